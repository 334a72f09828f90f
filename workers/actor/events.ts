// Journal events of one engagement. The actor's state is a pure fold of these (apply()), so the
// same code builds it live and on recovery, and sequence numbers come out identical.
export type Role = 'END_USER' | 'AGENT' | 'SYSTEM';

export type EngEvent =
  | {
      e: 'created';
      at: number;
      site: string;
      clientId: number;
      secret: string;
      senderKey: string;
      jti: string;
      jwtExp: number;
      name: string;
      info: Record<string, unknown>;
    }
  | {
      e: 'posted';
      at: number;
      from: number;
      role: Role;
      name: string;
      body: string;
      messageId?: string;
      richText: boolean;
      offTheRecord: boolean;
      /** who may see it: ALL, or NOT_ENDUSER (agent whisper) */
      visibility: 'ALL' | 'NOT_ENDUSER';
    }
  /** a Tier-1 notice from the system participant; `toAgents` false for soft (sender-only) notices */
  | { e: 'notice'; at: number; body: string; toAgents: boolean }
  | { e: 'strike'; at: number; senderKey: string }
  /**
   * Tier-1 withheld a post that carried a messageId (blocked, or soft for its text: not for its
   * pace): a retry of that id is answered as the post was, not screened again (no second notice,
   * no second strike). Only the id is kept — never a withheld text.
   */
  | { e: 'withheld'; at: number; from: number; messageId: string }
  /** the sneak-preview settings are absent in journals older than their use (ENABLED, 500) */
  | { e: 'activity'; at: number; from: number; mode: string; sneakPreview?: string; sneakPreviewFocus?: boolean; sneakPreviewState?: string; sneakPreviewInterval?: number }
  | { e: 'wait'; at: number; position: number; expectedWaitTimeSeconds: number; averageWaitTimeSeconds: number }
  | { e: 'joined'; at: number; clientId: number; name: string; greeting: string; role: string; accountId: number; agentSession: string }
  /** `requeued`: the lead handed the engagement back to the queue, so its absence is not "lead gone" */
  | { e: 'left'; at: number; clientId: number; role: string; reason: string; requeued?: boolean }
  /** agent property changes (setEngagementProperty / modifyProperties), merged into `info` */
  | { e: 'props'; at: number; props: Record<string, unknown> }
  /**
   * `introduce`: System is introduced to the customer first (a queue timeout: it was never in that
   * chat). Written on the event, not derived from `by` at apply, so a journal written before the
   * introduction existed replays with the sequence numbers its clients were sent.
   */
  | { e: 'concluded'; at: number; reason: string; by: number; introduce?: true }
  /** the consumer long-poll cursor: last sequence number handed to getMessages */
  | { e: 'cursor'; seq: number };

export type PostedEvent = Extract<EngEvent, { e: 'posted' }>;

/**
 * A `posted` event, its messageId set only when the client sent one. Not `{ ...fields, ...(id ?
 * { messageId } : {}) }`: a spread inside a literal whose site sees posts with and without an id
 * measured ~300 ns per object against ~15 ns for the assignment (one site sees both as soon as
 * some chat fronts send ids and others do not).
 */
export function postedEvent(fields: Omit<PostedEvent, 'messageId'>, messageId: string | undefined): PostedEvent {
  const ev: PostedEvent = fields;
  if (messageId !== undefined) ev.messageId = messageId;
  return ev;
}

/**
 * The `withheld` event for a post Tier-1 did not deliver (soft or block), or undefined: none for a
 * post without a messageId, nor for one withheld for its pace alone (`paced`: a retry after the
 * wait is a new attempt, screened afresh).
 */
export function withheldEvent(at: number, from: number, messageId: string | undefined, verdict: { paced?: true }): Extract<EngEvent, { e: 'withheld' }> | undefined {
  return messageId === undefined || verdict.paced === true ? undefined : { e: 'withheld', at, from, messageId };
}

const KINDS = new Set(['created', 'posted', 'notice', 'strike', 'withheld', 'activity', 'wait', 'joined', 'left', 'concluded', 'cursor', 'props']);

export function asEngEvent(v: unknown): EngEvent {
  if (typeof v !== 'object' || v === null || !KINDS.has(String((v as { e?: unknown }).e))) {
    throw new TypeError(`not an engagement event: ${JSON.stringify(v)?.slice(0, 80)}`);
  }
  return v as EngEvent;
}

// One engagement's state: a pure fold of its journal events (apply), plus the live-only parts
// (a parked long poll, WebSocket subscribers) that die with the process and are rebuilt by clients.
import type { PollReplay } from './poll-replay.ts';
import type { ScreenSlot } from './screen.ts';
import { DEFAULT_PREVIEW_INTERVAL_MS, DEFAULT_PREVIEW_STATE, TypingPace, previewTextAllowed } from './typing.ts';
import { asEngEvent, type EngEvent, type Role } from './events.ts';
import { consumerMessage, oracleTime } from './consumer-messages.ts';
import { twin } from '../../src/protocol/json.ts';
import type { Echo } from '../../src/protocol/shard.ts';
import { MessageIds } from './message-ids.ts';

export interface OutMsg {
  seq: number;
  json: string;
}

export interface TranscriptEntry {
  seq: number;
  at: number;
  from: number;
  role: Role;
  name: string;
  body: string;
  messageId?: string;
  richText: boolean;
  offTheRecord: boolean;
  visibility: 'ALL' | 'NOT_ENDUSER';
  kind: 'message' | 'notice';
}

export interface AgentPart {
  clientId: number;
  name: string;
  role: string;
  accountId: number;
  agentSession: string;
}

/** A live-only message for the agents (typing, a soft notice to one agent): not journaled, not numbered, at most once. */
export interface AgentDelivery {
  type: string;
  fields: Record<string, unknown>;
  at: number;
  /** restrict to one agent (e.g. a soft notice to the agent who posted); default all agents */
  onlyClientId?: number;
}

/**
 * The agent output of one journaled event, numbered per engagement. `agentSeq` and `accountIds`
 * come from the fold alone (never from `live`), so replay after kill -9 rebuilds the very same
 * numbers and recipients, and the home shard drops a re-sent delivery it already has.
 */
export interface NumberedDelivery {
  agentSeq: number;
  accountIds: number[];
  entries: Array<{ type: string; fields: Record<string, unknown>; at: number }>;
}

/**
 * How many numbered deliveries per engagement E keeps (replayed and live) to re-send after its own
 * recovery or after the home shard's thread restarted: at most this many per engagement that ever
 * had an agent, freed with the engagement when it is evicted.
 */
export const REPLAY_TAIL = 64;

export interface ParkedPoll {
  id: number;
  echo: Echo;
  timer: NodeJS.Timeout;
}

export const SYSTEM_SUFFIX = 2;

/**
 * The reserved System participant's role on the consumer side (spec §8: introduced once with
 * RNEngagementParticipantAddedMessage). Not LEAD: it never leads the chat, and chat fronts treat a
 * LEAD join as "an agent took the chat" (spec §6.2).
 */
export const SYSTEM_ROLE = 'CONFEREE';

export function consumerClientIdOf(engagementId: number): number {
  return engagementId * 4 + 1;
}
export function systemClientIdOf(engagementId: number): number {
  return engagementId * 4 + SYSTEM_SUFFIX;
}

export class Engagement {
  site = '';
  createdAt = 0;
  /** next journal event number */
  n = 0;
  consumerClientId: number;
  secret = '';
  senderKey = '';
  consumerName = '';
  jti = '';
  jwtExp = 0;
  info: Record<string, unknown> = {};

  readonly outbox: OutMsg[] = [];
  nextSeq = 1;
  /** last sequence number handed to a long poll */
  cursor = 0;
  /**
   * Transcript entries (messages and notices) so far. The entries themselves are not kept in memory:
   * every one would survive into the old generation, and under load the shard's young-generation
   * collections grew 2.5× longer (2.0 vs 0.8 ms average) with them. They are folded from the
   * journal when needed — an agent joining (history) and an admin transcript request.
   */
  said = 0;
  /** the messageIds each participant has used: a retry of theirs is recognised (message-ids.ts) */
  readonly messageIds = new MessageIds();
  systemIntroduced = false;
  systemName = 'System';
  readonly agents = new Map<number, AgentPart>();
  /** a lead agent took the engagement and none leads it now */
  leadGone = false;
  /**
   * accounts whose participation Tier-1 ended here (EJECTED): the home shard frees their slots on an
   * `agentLeft`, which is re-sent from this list when that shard or the process restarts (idempotent there)
   */
  readonly ejected: number[] = [];
  concludedAt = 0;
  concludeReason = '';
  consumerLeft = false;
  /** the last queue position the consumer was sent (0: none); re-announced to the home shard (agent-side.ts) */
  waitPosition = 0;

  // live only
  poll: ParkedPoll | undefined;
  /** the last answered poll, for its replay (poll-replay.ts); made at the first answer that held messages or answered a clientTransactionId */
  replay: PollReplay | undefined;
  /** the consumer's calls since its last getMessages began, that one included: another call between two polls voids them as evidence of how the client picks ids (poll-replay.ts) */
  calls = 0;
  /** the consumer's pair in the Tier-1 screen (its state reached without lookups); made at the first post */
  screenSlot: ScreenSlot | undefined;
  /** the customer's typing signals to the agents, paced to the chat's sneak-preview interval (typing.ts) */
  typing: TypingPace | undefined;
  /** the consumer's last call on this session (ms); not journaled: made (or recovered) counts as contact */
  lastContactAt = Date.now();
  readonly ws = new Set<number>();
  /** numbered agent deliveries so far (a pure function of the journaled events) */
  agentSeq = 0;
  /** filled by apply() when live (and by agent ops); drained by the shard after each command */
  agentFx: Array<AgentDelivery | NumberedDelivery> = [];
  /**
   * The last REPLAY_TAIL numbered deliveries, replayed and live: re-sent after recovery and when the
   * tenant's home shard restarted (deliveries it had not committed are lost with its thread).
   * Empty for an engagement that never had an agent.
   */
  tail: NumberedDelivery[] = [];
  /** set on a rebuild for a refill: the tail keeps every delivery from this number on */
  keepTailFrom = Infinity;
  live = false;

  /**
   * The ids as the Tier-1 screen keys its per-engagement maps and logs: made once, so each screen
   * call neither allocates them nor re-hashes a fresh string for every map lookup.
   */
  readonly idString: string;
  consumerClientIdString: string;

  constructor(
    readonly id: number,
    readonly vshard: number,
    /** an engagement's journaled events, in order (the journal's read-your-writes view) */
    private readonly readEvents: (engagementId: number) => unknown[],
  ) {
    this.consumerClientId = consumerClientIdOf(id);
    this.idString = String(id);
    this.consumerClientIdString = String(this.consumerClientId);
  }

  get systemClientId(): number {
    return systemClientIdOf(this.id);
  }

  get concluded(): boolean {
    return this.concludedAt > 0;
  }

  get lead(): AgentPart | undefined {
    for (const a of this.agents.values()) if (a.role === 'LEAD') return a;
    return undefined;
  }

  // The message fields below are written out as literals — `clientId: n, clientIdString: String(n)`
  // — not as `...twin('clientId', n)`: objects of computed keys spread into a literal measured ~7 µs
  // per message against ~0.2 µs for the literal (docs/performance.md, "The chat path"), and every
  // post in a chat with an agent, every typing signal and every queue position update builds one or
  // two. The values are numbers, so each pair is what twin() gave.

  /** An agent's ChatDisconnectNotification fields: `clientId` left or concluded, for `reason`. */
  private disconnect(clientId: number, reason: string): Record<string, unknown> {
    return { engagementId: this.id, engagementIdString: this.idString, clientId, clientIdString: String(clientId), reason };
  }

  private push(messageName: string, fields: Record<string, unknown>, at: number): void {
    const seq = this.nextSeq++;
    this.outbox.push({ seq, json: consumerMessage(messageName, fields, at, seq) });
  }

  /** Numbers one event's agent output for `accountIds` (none: nothing to deliver, no number used). */
  private toAgents(accountIds: number[], entries: NumberedDelivery['entries']): void {
    if (accountIds.length === 0 || entries.length === 0) return;
    const d: NumberedDelivery = { agentSeq: ++this.agentSeq, accountIds, entries };
    if (this.live) this.agentFx.push(d);
    this.tail.push(d);
    if (this.tail.length > REPLAY_TAIL && (this.tail[0] as NumberedDelivery).agentSeq < this.keepTailFrom) this.tail.shift();
  }

  /** Accounts of the agents taking part now, except `exceptClientId` (an agent's own post is not echoed). */
  private agentAccounts(exceptClientId?: number): number[] {
    const out: number[] = [];
    for (const a of this.agents.values()) if (a.clientId !== exceptClientId) out.push(a.accountId);
    return out;
  }

  /**
   * The role `clientId` has on the consumer side, as its RNEngagementParticipantAddedMessage gave it:
   * a conclusion names its author with the role the client already knows it by. An agent that has
   * left by then (its role is gone with it) was a lead: only leads join.
   */
  private roleOf(clientId: number): string {
    if (clientId === this.consumerClientId) return 'END_USER';
    if (clientId === this.systemClientId) return SYSTEM_ROLE;
    return this.agents.get(clientId)?.role ?? 'LEAD';
  }

  private introduceSystem(at: number): void {
    if (this.systemIntroduced) return;
    this.systemIntroduced = true;
    const id = this.systemClientId;
    this.push('RNEngagementParticipantAddedMessage', {
      clientId: id, clientIdString: String(id), name: this.systemName, greeting: '', role: SYSTEM_ROLE, virtualAgent: true, engagementId: this.id, engagementIdString: this.idString,
    }, at);
  }

  apply(ev: EngEvent): void {
    switch (ev.e) {
      case 'created':
        this.site = ev.site;
        this.createdAt = ev.at;
        this.consumerClientId = ev.clientId;
        this.consumerClientIdString = String(ev.clientId);
        this.secret = ev.secret;
        this.senderKey = ev.senderKey;
        this.jti = ev.jti;
        this.jwtExp = ev.jwtExp;
        this.consumerName = ev.name;
        this.info = ev.info;
        return;
      case 'posted': {
        this.said++;
        if (ev.messageId !== undefined) this.messageIds.add(ev.from, ev.messageId);
        if (ev.role !== 'END_USER' && ev.visibility === 'ALL') {
          const m: Record<string, unknown> = { clientId: ev.from, clientIdString: String(ev.from), body: ev.body, richText: ev.richText, offTheRecord: ev.offTheRecord };
          if (ev.messageId) m.messageId = ev.messageId;
          m.engagementId = this.id;
          m.engagementIdString = this.idString;
          this.push('RNEngagementMessagePostedMessage', m, ev.at);
        }
        // the common case on the hot path — a customer writing while queued — has no agent: build nothing
        if (this.agents.size === 0) return;
        this.toAgents(this.agentAccounts(ev.from), [{ type: 'ChatPostMessage', at: ev.at, fields: {
          engagementId: this.id,
          engagementIdString: this.idString,
          senderId: ev.from,
          senderIdString: String(ev.from),
          senderType: ev.role,
          senderName: ev.name,
          body: ev.body,
          richText: ev.richText,
          offTheRecord: ev.offTheRecord,
          messageId: ev.messageId ?? null,
          visibility: ev.visibility,
        } }]);
        return;
      }
      case 'notice': {
        this.introduceSystem(ev.at);
        this.said++;
        const sys = this.systemClientId;
        this.push('RNEngagementMessagePostedMessage', { clientId: sys, clientIdString: String(sys), body: ev.body, richText: false, offTheRecord: false, engagementId: this.id, engagementIdString: this.idString }, ev.at);
        if (ev.toAgents) {
          this.toAgents(this.agentAccounts(), [{ type: 'ChatPostMessage', at: ev.at, fields: { engagementId: this.id, engagementIdString: this.idString, senderId: sys, senderIdString: String(sys), senderType: 'SYSTEM', senderName: this.systemName, body: ev.body, richText: false, offTheRecord: false, visibility: 'ALL' } }]);
        }
        return;
      }
      case 'strike':
        return; // Tier-1 state; the shard replays it into the screen
      case 'withheld':
        this.messageIds.add(ev.from, ev.messageId);
        return;
      case 'activity': {
        const interval = ev.sneakPreviewInterval ?? DEFAULT_PREVIEW_INTERVAL_MS;
        // what the customer's client is told to keep to, and the server holds it to (typing.ts)
        const pace = (this.typing ??= new TypingPace());
        pace.announce(interval);
        pace.state = ev.sneakPreviewState ?? DEFAULT_PREVIEW_STATE;
        pace.withText = previewTextAllowed(pace.state);
        this.push('RNEngagementActivityChangedMessage', {
          clientId: ev.from,
          clientIdString: String(ev.from),
          mode: ev.mode,
          engagementId: this.id,
          engagementIdString: this.idString,
          sneakPreviewState: pace.state,
          sneakPreviewInterval: interval,
          sneakPreviewIntervalString: String(interval),
          sneakPreview: ev.sneakPreview ?? '',
          sneakPreviewFocus: ev.sneakPreviewFocus ?? false,
        }, ev.at);
        return;
      }
      case 'wait':
        this.waitPosition = ev.position;
        this.push('RNEngagementWaitInformationChangedMessage', {
          position: ev.position,
          positionString: String(ev.position),
          expectedWaitTimeSeconds: ev.expectedWaitTimeSeconds,
          averageWaitTimeSeconds: ev.averageWaitTimeSeconds,
          averageWaitTimeSecondsString: String(ev.averageWaitTimeSeconds),
          engagementId: this.id,
          engagementIdString: this.idString,
        }, ev.at);
        return;
      case 'joined':
        this.agents.set(ev.clientId, { clientId: ev.clientId, name: ev.name, role: ev.role, accountId: ev.accountId, agentSession: ev.agentSession });
        if (ev.role === 'LEAD') this.leadGone = false;
        // taken again later: a re-sent agentLeft must not free the new hold
        if (this.ejected.includes(ev.accountId)) this.ejected.splice(this.ejected.indexOf(ev.accountId), 1);
        this.push('RNEngagementParticipantAddedMessage', {
          clientId: ev.clientId, clientIdString: String(ev.clientId), name: ev.name, greeting: ev.greeting, role: ev.role, virtualAgent: false,
          accountId: ev.accountId, accountIdString: String(ev.accountId), agentSessionType: 'AUTOMATED', engagementId: this.id, engagementIdString: this.idString,
        }, ev.at);
        // the joining agent: its own participant entry, then what was said so far (once, in order)
        this.toAgents([ev.accountId], [
          { type: 'ChatEngagementParticipantAdded', at: ev.at, fields: {
            engagementId: this.id, engagementIdString: this.idString, clientId: ev.clientId, clientIdString: String(ev.clientId), name: ev.name, greeting: ev.greeting, role: ev.role,
            virtualAgent: false, accountId: ev.accountId, accountIdString: String(ev.accountId),
          } },
          ...this.transcript().filter((t) => t.kind === 'message').map((t) => ({
            type: 'ChatPostMessage',
            at: t.at,
            fields: {
              engagementId: this.id, engagementIdString: this.idString, senderId: t.from, senderIdString: String(t.from), senderType: t.role, senderName: t.name, body: t.body,
              richText: t.richText, offTheRecord: t.offTheRecord, messageId: t.messageId ?? null, visibility: t.visibility, history: true,
            },
          })),
        ]);
        return;
      case 'left':
        if (ev.clientId === this.consumerClientId) {
          this.consumerLeft = true;
          this.push('RNEngagementParticipantLeftMessage', { clientId: ev.clientId, clientIdString: String(ev.clientId), role: 'END_USER', disconnectReason: ev.reason, engagementId: this.id, engagementIdString: this.idString }, ev.at);
          this.toAgents(this.agentAccounts(), [{ type: 'ChatDisconnectNotification', at: ev.at, fields: this.disconnect(ev.clientId, ev.reason) }]);
          return;
        }
        {
          const a = this.agents.get(ev.clientId);
          this.agents.delete(ev.clientId);
          if (a && ev.reason === 'EJECTED' && !this.ejected.includes(a.accountId)) this.ejected.push(a.accountId);
          if (a?.role === 'LEAD' && !this.lead && ev.requeued !== true) this.leadGone = true;
          this.push('RNEngagementParticipantLeftMessage', { clientId: ev.clientId, clientIdString: String(ev.clientId), role: ev.role, disconnectReason: ev.reason, engagementId: this.id, engagementIdString: this.idString }, ev.at);
          // the remaining agents and the one leaving (ejected or handed back) are all told
          const to = this.agentAccounts();
          if (a) to.push(a.accountId);
          this.toAgents(to, [{ type: 'ChatDisconnectNotification', at: ev.at, fields: this.disconnect(ev.clientId, ev.reason) }]);
        }
        return;
      case 'concluded':
        this.concludedAt = ev.at;
        this.concludeReason = ev.reason;
        // a conclusion in System's name names a participant the chat front was told of, as every
        // other one does: a queue timeout's introduces it (events.ts), a termination's notice did
        if (ev.introduce === true) this.introduceSystem(ev.at);
        this.push('RNEngagementConcludedMessage', { reason: ev.reason, role: this.roleOf(ev.by), clientId: ev.by, clientIdString: String(ev.by), engagementId: this.id, engagementIdString: this.idString }, ev.at);
        // a termination told the agents at the customer's `left` already: one notification (spec §8)
        if (!this.consumerLeft) this.toAgents(this.agentAccounts(), [{ type: 'ChatDisconnectNotification', at: ev.at, fields: this.disconnect(ev.by, ev.reason) }]);
        return;
      case 'cursor':
        if (ev.seq > this.cursor) this.cursor = ev.seq;
        return;
      case 'props':
        this.info = { ...this.info, ...ev.props };
        return;
      default: {
        const never: never = ev;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  }

  /** Messages after `seq`, at most `max`. */
  after(seq: number, max = Infinity): OutMsg[] {
    // sequence numbers are dense from 1, so the index is seq
    return this.outbox.slice(seq, Math.min(this.outbox.length, seq + max));
  }

  /** The first `upTo` transcript entries, folded from the journal (during replay it holds later events too). */
  transcript(upTo = this.said): TranscriptEntry[] {
    const out: TranscriptEntry[] = [];
    for (const raw of this.readEvents(this.id)) {
      if (out.length >= upTo) break;
      const ev = asEngEvent(raw);
      if (ev.e === 'posted') {
        const entry: TranscriptEntry = { seq: out.length + 1, at: ev.at, from: ev.from, role: ev.role, name: ev.name, body: ev.body, richText: ev.richText, offTheRecord: ev.offTheRecord, visibility: ev.visibility, kind: 'message' };
        if (ev.messageId !== undefined) entry.messageId = ev.messageId;
        out.push(entry);
      } else if (ev.e === 'notice') {
        out.push({ seq: out.length + 1, at: ev.at, from: this.systemClientId, role: 'SYSTEM', name: this.systemName, body: ev.body, richText: false, offTheRecord: false, visibility: 'ALL', kind: 'notice' });
      }
    }
    return out;
  }

  transcriptJson(): Record<string, unknown> {
    return {
      ...twin('engagementId', this.id),
      site: this.site,
      createdTime: oracleTime(this.createdAt),
      concluded: this.concluded,
      ...(this.concluded ? { concludedTime: oracleTime(this.concludedAt), reason: this.concludeReason } : {}),
      messages: this.transcript()
        .filter((t) => !t.offTheRecord)
        .map((t) => ({
          ...twin('sequenceNumber', t.seq),
          messageId: t.messageId ?? null,
          ...twin('clientId', t.from),
          role: t.role,
          name: t.name,
          kind: t.kind,
          body: t.body,
          createdTime: new Date(t.at).toISOString(),
        })),
    };
  }
}

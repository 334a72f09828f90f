// The shard protocol: one discriminated union per direction. Traffic travels as micro-batches
// (arrays of these, structured-cloned by default) over one long-lived MessagePort per shard,
// flushed once per event-loop turn; the two hottest messages travel in the flat forms of wire.ts.
// Replies carry the finished JSON text so the main thread only writes bytes.
//
// Every receiving switch ends in an exhaustive `never` check; every receiver narrows from
// `unknown` with the guards at the bottom of this file.
import type { ShardMetrics } from '../metrics.ts';
import type { ErrorData } from '../errors.ts';
import type { Int64 } from './json.ts';
import { inFromWire, outFromWire } from './wire.ts';

/** Fields every consumer request may carry, echoed in the response envelope (spec §1.4). */
export interface Echo {
  clientTransactionId?: Int64;
  clientRequestTime?: string | number | null;
  /** ms epoch when the main thread received the request (serviceStartTime) */
  t0: number;
}

export interface TenantSnapshot {
  site: string;
  /** routing queues; the first is the tenant's default queue */
  queues?: ReadonlyArray<{ id: number; name: string }>;
  /** the resolved Tier-1 config (workers/tier1 owns its shape) */
  tier1: unknown;
  /** waiting engagements no agent took within this many seconds are concluded QUEUE_TIMEOUT (0 or absent: no limit) */
  queueTimeoutSec?: number;
  /**
   * `credential`: the keyed stamp of the agent's password (src/auth/agent-credential.ts); a session
   * made under another ends. `legacyCredential`: the plain-hash stamp older versions journaled,
   * only to recognise their sessions (roster.ts); it never leaves the process.
   */
  agents: ReadonlyArray<{ accountId: number; user: string; name: string; credential: string; legacyCredential: string }>;
  version: number;
}

// ── consumer operations (routed by engagement id / sender) ────────────────────────────────────
export type ConsumerOp =
  | {
      op: 'createEngagement';
      site: string;
      vshard: number;
      senderKey: string;
      jti: string;
      jwtExp: number;
      name: string;
      info: Record<string, unknown>;
      echo: Echo;
    }
  | { op: 'getMessages'; site: string; engagementId: number; secret: string; echo: Echo }
  | {
      op: 'postMessage';
      site: string;
      engagementId: number;
      secret: string;
      body: string;
      richText: boolean;
      offTheRecord: boolean;
      messageId?: string;
      echo: Echo;
    }
  | {
      op: 'activity';
      site: string;
      engagementId: number;
      secret: string;
      mode: string;
      sneakPreviewText?: string;
      sneakPreviewFocus: boolean;
      echo: Echo;
    }
  | { op: 'concludeEngagement'; site: string; engagementId: number; secret: string; echo: Echo }
  | { op: 'wsSubscribe'; site: string; engagementId: number; secret: string; after: number; wsId: number }
  | { op: 'wsUnsubscribe'; engagementId: number; secret: string; wsId: number }
  | { op: 'transcript'; engagementId: number }
  /** an operator (a human moderator, a Tier-2 system) ends the engagement as a Tier-1 termination would */
  | { op: 'terminate'; engagementId: number }
  | { op: 'stats' };

// ── agent operations (spec §4, §7) ───────────────────────────────────────────────────────────
/** The agent session behind a request, as the main thread's directory knows it (already authenticated). */
export interface AgentWho {
  site: string;
  token: string;
  accountId: number;
  clientId: number;
  name: string;
}

/** Session-level ops go to the tenant's home shard (H); engagement ops to the engagement's shard (E). */
export type AgentOp =
  // ── H: the tenant router
  | { op: 'agentLogon'; site: string; accountId: number; user: string; name: string; jti: string; jwtExp: number; seq?: Int64 }
  | { op: 'agentGetMessages'; who: AgentWho; seq?: Int64 }
  | { op: 'setActivityStatus'; who: AgentWho; status: string; subTypeId: number; seq?: Int64 }
  | { op: 'requestAssignment'; who: AgentWho; requested: boolean; idle: number; max: number; seq?: Int64 }
  | { op: 'assignmentAcknowledgement'; who: AgentWho; action: string; actionType: string; assignmentType: string; engagementId: number; seq?: Int64 }
  | { op: 'releaseChat'; who: AgentWho; engagementId: number; seq?: Int64 }
  | { op: 'logoff'; who: AgentWho; force: boolean; seq?: Int64 }
  | { op: 'retrieveAgentsAndQueues'; who: AgentWho; id?: Int64; type?: string; agents: boolean; queues: boolean; stats: boolean; seq?: Int64 }
  | { op: 'rerouteAvailability'; who: AgentWho; engagementId: number }
  | { op: 'rerouteEngagement'; who: AgentWho; engagementId: number; seq?: Int64 }
  /** `after` absent: the client has no position (a new console), it gets what the session keeps */
  | { op: 'agentWsSubscribe'; who: AgentWho; after?: number; wsId: number }
  | { op: 'agentWsUnsubscribe'; site: string; token: string; wsId: number }
  /** consumer getQueueStats / getEngagementQueue: answered from the tenant's live routing state */
  | { op: 'queueStats'; site: string; kind: 'stats' | 'queue'; queueId?: number; available: 'AGENTS' | 'SESSIONS'; echo: Echo }
  // ── E: the engagement's shard
  | { op: 'agentPostMessage'; who: AgentWho; engagementId: number; body: string; richText: boolean; offTheRecord: boolean; messageId?: string; visibility: 'ALL' | 'NOT_ENDUSER'; seq?: Int64 }
  | { op: 'concludeChat'; who: AgentWho; engagementId: number; seq?: Int64 }
  | {
      op: 'setInteractionStatus';
      who: AgentWho;
      engagementId: number;
      mode: string;
      sneakPreview?: string;
      sneakPreviewFocus: boolean;
      sneakPreviewState: string;
      sneakPreviewInterval: number;
      /** NOT_ENDUSER: the customer is not told */
      visibility: 'ALL' | 'NOT_ENDUSER';
      seq?: Int64;
    }
  /** setEngagementProperty (one entry) and modifyProperties (several) */
  | { op: 'setProperties'; who: AgentWho; engagementId: number; type: string; props: Record<string, string>; customFields: unknown[]; many: boolean; seq?: Int64 };

export type AgentOpName = AgentOp['op'];
/** Ops answered by the engagement's own shard; every other agent op goes to the tenant's home shard. */
export type EngagementAgentOp = Extract<AgentOp, { op: 'agentPostMessage' | 'concludeChat' | 'setInteractionStatus' | 'setProperties' }>;
// a record, so the set has every name of the type above and no other
const ENGAGEMENT_OP_NAMES: Record<EngagementAgentOp['op'], true> = { agentPostMessage: true, concludeChat: true, setInteractionStatus: true, setProperties: true };
export const ENGAGEMENT_AGENT_OPS: ReadonlySet<AgentOpName> = new Set(Object.keys(ENGAGEMENT_OP_NAMES) as AgentOpName[]);

/** One agent getResponseTypes entry before numbering: the home shard gives it the session's sequence number. */
export interface AgentEntry {
  type: string;
  fields: Record<string, unknown>;
  at: number;
}

// ── cross-shard events: one-way, forwarded by the main thread, FIFO per (from, to) shard pair ──
export type CrossEvent =
  // E → H
  /**
   * A new engagement for the queue, or E re-announcing an open one after its recovery. `agents`
   * (re-announce only): the client ids of the agents E counts as taking part. H unassigns again
   * those it no longer counts as holders (their `unassign` died in E's port with E's thread) and
   * re-sends the assign of the holder E does not list.
   */
  | { t: 'enqueue'; site: string; engagementId: number; queueId?: number; at: number; name: string; question: string; agents?: number[]; told?: number }
  /**
   * `agents`: the client ids of the agents E counted when it concluded (it told each of them); absent
   * when E no longer holds the engagement (a `check` after it left E's memory). An agent H counts as
   * holder and E does not list accepted while the conclusion was on its way: H tells it.
   */
  | { t: 'ended'; site: string; engagementId: number; reason: string; agents?: number[] }
  /**
   * `agentSeq`: the engagement's delivery number for deliveries derived from journaled events
   * (engagement.ts NumberedDelivery). H keeps a durable high-water mark per engagement and drops
   * a number it already appended, so E may re-send after a crash. Absent: live-only, at most once.
   * H appends only the next number (mark + 1): a later one means an earlier one was lost (H's thread
   * crashed) and is dropped too, to be re-sent in order. `tailFrom`: set on a re-sent tail (or a
   * refill), its first agentSeq; when it is above mark + 1 the tail no longer holds the gap, and H
   * asks E to `refill` it from the journal.
   */
  | { t: 'toAgents'; site: string; engagementId: number; accountIds: number[]; entries: AgentEntry[]; agentSeq?: number; tailFrom?: number }
  /** an agent's participation ended on E (Tier-1 terminated it): free its slot */
  | { t: 'agentLeft'; site: string; engagementId: number; accountId: number }
  /**
   * the agent session `token` acted on an engagement of E (posted, typed, concluded): it is in
   * contact, though the call never reached H. At most one per session per AGENT_SEEN_EVERY.
   */
  | { t: 'agentSeen'; site: string; token: string; accountId: number }
  /** E's answer to a `check` with `confirm`: the engagement is open here (a requeue may be offered) */
  | { t: 'open'; site: string; engagementId: number }
  // H → E
  | { t: 'assign'; engagementId: number; accountId: number; clientId: number; name: string; greeting: string; token: string }
  | { t: 'wait'; engagementId: number; position: number; expectedWaitTimeSeconds: number; averageWaitTimeSeconds: number }
  | { t: 'unassign'; engagementId: number; clientId: number; reason: string; requeued: boolean }
  /** the engagement waited longer than the tenant's queueTimeoutSec: conclude it (H already took it off the queue) */
  | { t: 'queueTimeout'; engagementId: number }
  /**
   * H recovered this engagement as waiting: E answers `ended` unless it is open there. Its own
   * `ended` may have died in flight with the process; E recovers only recent conclusions, so it
   * cannot re-announce older ones by itself. `confirm`: H requeued it (a release, a reroute, a
   * logoff) and offers it only once E answers — `open` when it is, else `ended` — so a conclusion
   * already on E is not offered to the next agent (the release may reach H before its `ended`).
   */
  | { t: 'check'; site: string; engagementId: number; confirm?: true }
  /**
   * H's mark is `from` − 1 and a re-sent tail started above it (more deliveries were lost with H's
   * thread than E keeps in memory): E re-sends every numbered delivery from `from` on, rebuilt
   * from the engagement's journaled events, which number them as they were numbered live.
   */
  | { t: 'refill'; engagementId: number; from: number };

/**
 * An agent's Tier-1 strike (its chats are on every shard; a customer's all on one, so customers'
 * strikes never travel). `until`: when it stops counting for either strike limit.
 */
export interface AgentStrike { site: string; senderKey: string; at: number; until: number }

/** The cross-shard events a tenant's home shard (H) receives; the rest go to engagement shards. */
export type ToHome = Extract<CrossEvent, { t: 'enqueue' | 'ended' | 'toAgents' | 'agentLeft' | 'agentSeen' | 'open' }>;

// ── main → shard ─────────────────────────────────────────────────────────────────────────────
export type ShardIn =
  | { k: 'req'; id: number; op: ConsumerOp }
  /** the HTTP response behind a parked long poll went away: do not deliver into it */
  | { k: 'cancel'; id: number; engagementId: number }
  | { k: 'tenant'; tenant: TenantSnapshot }
  | { k: 'campaign'; site: string; entries: unknown[] }
  /** agent strikes the tenant's other shards recorded: counted here, not journaled here */
  | { k: 'agentStrikes'; strikes: AgentStrike[] }
  | { k: 'stop' }
  /** a graceful stop began: answer every parked long poll now, as its hold ending would */
  | { k: 'drain' }
  | { k: 'agentReq'; id: number; op: AgentOp }
  /** a parked agent long poll's HTTP response went away */
  | { k: 'agentCancel'; id: number; site: string; token: string }
  | { k: 'fwd'; ev: CrossEvent }
  /**
   * Shard `toShard`'s thread restarted: re-send the delivery tails of this shard's engagements whose
   * tenant's home is `toShard` (what it had received but not committed died with its thread).
   */
  | { k: 'resend'; toShard: number }
  /** the supervisor's heartbeat: answered with 'pong' at once (a shard that does not is hung) */
  | { k: 'ping'; seq: number }
  /** fault injection for crash-recovery tests; honoured only when PARLEY_FAULT_INJECTION=1 */
  | { k: 'fault'; mode: FaultMode };

/**
 * A WebSocket subscribe's `after` past the stream's last sequence number: refused (400
 * INVALID_FIELD) rather than served from the end, which would hand the client numbers it says it
 * has. Both streams (consumer, agent) answer with this text.
 */
export function beyondEnd(after: number, last: number): string {
  // afterParam reads digits past 2^53 as Infinity
  const shown = Number.isFinite(after) ? String(after) : `a number over ${Number.MAX_SAFE_INTEGER}`;
  return `after: ${shown} is beyond the end of this stream (its last sequence number is ${last}); resume with after=${last} or lower`;
}

/** The message of the error a shard thread dies with after a failed journal commit (counted by the supervisor). */
export const JOURNAL_RESTART = 'journal commit failed: shard restarts from the journal';

export type FaultMode = 'throw' | 'exit' | 'oom' | 'hang' | 'hangInCommit' | 'failCommits';

// ── shard → main ─────────────────────────────────────────────────────────────────────────────
export type ShardOut =
  /** `threadId`: the worker thread it runs on (the supervisor terminates it if the shard hangs) */
  | { k: 'ready'; shard: number; engagements: number; threadId: number }
  | { k: 'pong'; seq: number }
  | { k: 'reply'; id: number; status: number; json: string }
  | { k: 'fail'; id: number; error: ErrorData }
  /** frames for a WebSocket subscriber; `json` is one JSON array of system messages, in sequence order */
  | { k: 'push'; wsId: number; lastSeq: number; json: string }
  /** the engagement ended for this WebSocket (after its last frame) */
  /** `replaced`: closed because a newer socket of the same session took its place (not the end of the stream) */
  | { k: 'wsEnd'; wsId: number; replaced?: boolean }
  | { k: 'campaign'; site: string; deltas: unknown[] }
  /**
   * agent strikes this shard recorded, once committed; `recovered`: sent once after 'ready', what its
   * recovery read from its journal (src/shards/agent-strikes.ts)
   */
  | { k: 'agentStrikes'; strikes: AgentStrike[]; recovered?: true }
  /** once a second: Tier-1 counts since the last report and the engagements held (see src/metrics.ts) */
  | ({ k: 'metrics'; shard: number } & ShardMetrics)
  | { k: 'stopped'; shard: number }
  /** a cross-shard event for the shard owning `vshard` */
  | { k: 'fwd'; vshard: number; ev: CrossEvent }
  /** an agent session began (up) or ended: the main thread's directory authenticates agent calls */
  | { k: 'agentSession'; up: boolean; site: string; token: string; accountId: number; clientId: number; name: string }
  /** one frame for an agent WebSocket: `{"getResponseTypes":[...]}` */
  | { k: 'agentPush'; wsId: number; lastSeq: number; json: string }
  | { k: 'agentWsEnd'; wsId: number; replaced?: boolean };

/** The shard → main messages that are not replies or lifecycle: the supervisor hands them on. */
export type ShardEvent = Extract<ShardOut, { k: 'push' | 'wsEnd' | 'fwd' | 'agentSession' | 'agentPush' | 'agentWsEnd' | 'campaign' | 'agentStrikes' | 'metrics' }>;

// ── narrowing at the receiving edge ──────────────────────────────────────────────────────────
const SHARD_IN_KINDS = new Set(['req', 'cancel', 'tenant', 'campaign', 'agentStrikes', 'stop', 'drain', 'ping', 'fault', 'agentReq', 'agentCancel', 'fwd', 'resend']);
const SHARD_OUT_KINDS = new Set(['ready', 'pong', 'reply', 'fail', 'push', 'wsEnd', 'campaign', 'agentStrikes', 'metrics', 'stopped', 'fwd', 'agentSession', 'agentPush', 'agentWsEnd']);

function isKinded(v: unknown, kinds: Set<string>): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { k?: unknown }).k === 'string' && kinds.has((v as { k: string }).k);
}

/**
 * Batches come from our own packer on the other side of the port; the guard checks the envelope
 * and turns wire arrays back into messages, in place.
 */
function asBatch<T>(v: unknown, kinds: Set<string>, fromWire: (a: unknown[]) => T, what: string): T[] {
  if (!Array.isArray(v)) throw new TypeError(`${what} batch is not an array`);
  for (let i = 0; i < v.length; i++) {
    const m: unknown = v[i];
    if (Array.isArray(m)) v[i] = fromWire(m);
    else if (!isKinded(m, kinds)) throw new TypeError(`unknown ${what} message`);
  }
  return v as T[];
}

export const asShardInBatch = (v: unknown): ShardIn[] => asBatch(v, SHARD_IN_KINDS, inFromWire, 'shard command');
export const asShardOutBatch = (v: unknown): ShardOut[] => asBatch(v, SHARD_OUT_KINDS, outFromWire, 'shard reply');

/** A client request (consumer or agent) as the shard receives it: what has an answer waiting. */
export type RequestIn = Extract<ShardIn, { k: 'req' | 'agentReq' }>;

export function isRequest(m: ShardIn): m is RequestIn {
  return m.k === 'req' || m.k === 'agentReq';
}

export function assertNever(x: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(x)}`);
}

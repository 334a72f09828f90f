// One agent session on the tenant's home shard: its routing attributes (status, capacity, held
// engagements) and its inbox — the getResponseTypes entries it was told, numbered per session.
//
// Lifetimes: the record and every inbox entry are journaled (meta keys, group-committed with the
// batch that produced them) from logon until logoff, so a session id keeps working across kill -9
// and its sequence numbers continue — unless the tenant's document no longer lists its agent with
// the user and password it was made under (roster.ts): then it ends as by a logoff, live or at
// recovery. The parked long poll and WebSocket cursors are live only: the
// client re-polls / reconnects with ?after=.
//
// Pruning: an entry handed to a long poll or sent on a WebSocket is delivered alike — neither is
// acknowledged, and `?after=` is how a socket client recovers — so entries more than INBOX_KEEP
// behind the furthest one delivered either way are dropped, with their journal keys (before, only
// the poll cursor pruned: a socket-only console kept every entry since its logon, for days). A
// socket resuming from before the oldest kept entry is refused (RESUME_TOO_OLD), not served a gap.
// Entries delivered neither way are all kept: with no poll and no socket, the idle expiry
// (PARLEY_AGENT_IDLE_MS, expiry.ts) is what ends the session and its inbox.
import type { Journal } from '../../src/store/journal.ts';
import { int64Pair, type Int64 } from '../../src/protocol/json.ts';
import type { PollReplay } from '../actor/poll-replay.ts';
import { agentEntry } from '../actor/consumer-messages.ts';

export type ActivityStatus = 'NONE' | 'AVAILABLE' | 'UNAVAILABLE';

/** An engagement this session holds (accepted, not yet released). */
export interface Held {
  engagementId: number;
  queueId: number;
  name: string;
  question: string;
  at: number;
  concluded: boolean;
  /** the conclusion's reason (from E's `ended`), for re-announcing it to a session that takes over */
  endReason?: string;
}

export interface SessionRecord {
  token: string;
  accountId: number;
  clientId: number;
  name: string;
  status: ActivityStatus;
  requested: boolean;
  max: number;
  held: Held[];
  createdAt: number;
  /** the sign-in user and password stamp it was made under (roster.ts); absent in older records */
  user?: string;
  credential?: string;
}

export interface InboxEntry {
  seq: number;
  json: string;
}

export interface ParkedAgentPoll {
  id: number;
  seq: Int64 | undefined;
  timer: NodeJS.Timeout;
}

/** Agent client ids are stable per account (≡ 3 mod 4: never a consumer's or the system's); below 2^53 for accountIds up to MAX_ACCOUNT_ID, the tenant file's bound. */
export function agentClientIdOf(accountId: number): number {
  return accountId * 4 + 3;
}

const INBOX_KEEP = 500;
/**
 * A session answered a long poll this recently (or has one parked) reads by polling: its sockets'
 * deliveries do not prune what its poll has not been handed (a client re-polls at once; the hold is
 * ≤ 30 s). Else a burst sent on a socket at once would prune entries the poll reads 100 at a time.
 */
const POLL_READER_MS = 120_000;
const WITHDRAWN_KEEP = 64;
const pad = (n: number): string => String(n).padStart(12, '0');

/** Meta keys of one tenant's routing state: `rt/<site>/<kind>/…`. */
export class Keys {
  constructor(readonly site: string) {}
  get prefix(): string {
    return `rt/${this.site}/`;
  }
  session(token: string): string {
    return `rt/${this.site}/s/${token}`;
  }
  cursor(token: string): string {
    return `rt/${this.site}/c/${token}`;
  }
  inboxPrefix(token: string): string {
    return `rt/${this.site}/i/${token}/`;
  }
  inbox(token: string, seq: number): string {
    return `rt/${this.site}/i/${token}/${pad(seq)}`;
  }
  queued(engagementId: number): string {
    return `rt/${this.site}/q/${engagementId}`;
  }
  get deliveredPrefix(): string {
    return `rt/${this.site}/d/`;
  }
  /** an agent logon JWT already used (used-tokens.ts) */
  usedToken(jti: string): string {
    return `rt/${this.site}/j/${jti}`;
  }
  get usedTokenPrefix(): string {
    return `rt/${this.site}/j/`;
  }
  /** high-water mark of an engagement's numbered agent deliveries (delivery-marks.ts) */
  delivered(engagementId: number): string {
    return `rt/${this.site}/d/${engagementId}`;
  }
}

export class AgentSession {
  readonly inbox: InboxEntry[] = [];
  nextSeq = 1;
  /** last sequence number handed to a long poll */
  cursor = 0;
  /** last sequence number sent on any WebSocket (live only: after a restart the cursor alone counts until a socket is sent one) */
  private sentOnSocket = 0;
  /** JSON bytes of the kept entries up to sentOnSocket */
  private sentBytes = 0;
  /** when a long poll of this session was last answered (ms; 0 never, live only) */
  private polledAt = 0;
  /** engagement ids currently offered to this session (open offers use capacity too) */
  readonly offers = new Set<number>();
  lastOfferAt = 0;
  /**
   * the last engagements whose offer to this session was revoked (live only, at most WITHDRAWN_KEEP):
   * an ACCEPT of one that has left the queue since is told OFFER_UNKNOWN, not ENGAGEMENT_ID_UNKNOWN
   */
  readonly withdrawn = new Set<number>();

  // live only
  poll: ParkedAgentPoll | undefined;
  /** the last answered poll, for its replay (poll-replay.ts); made at the first answer that held entries or answered a sequenceNumber */
  replay: PollReplay | undefined;
  /** the agent's last call on this session (ms); not journaled: a recovery starts a fresh window */
  lastContactAt = Date.now();
  /** WebSocket id → last sequence number sent on it */
  readonly ws = new Map<number, number>();

  constructor(
    readonly rec: SessionRecord,
    private readonly journal: Journal,
    private readonly keys: Keys,
    /**
     * Bytes of socket-sent entries kept besides INBOX_KEEP of them: twice PARLEY_WS_MAX_BACKPRESSURE,
     * so a socket closed 4008 with that much unsent (plus its last frame) resumes from its last
     * entry seen, as the close reason tells it to, instead of being refused RESUME_TOO_OLD.
     */
    private readonly socketKeepBytes: number,
  ) {}

  /**
   * A new socket starts after the last entry; every socket gets every entry, so the session keeps
   * at most `cap` and the oldest beyond it are returned, to be closed as replaced (4009): the newest
   * stay, as a reloaded desktop's old socket can linger until its ping times out.
   */
  addSocket(wsId: number, cap: number): number[] {
    const evicted: number[] = [];
    for (const old of this.ws.keys()) {
      if (this.ws.size - evicted.length < cap) break;
      evicted.push(old);
    }
    for (const old of evicted) this.ws.delete(old);
    this.ws.set(wsId, this.nextSeq - 1);
    return evicted;
  }

  get token(): string {
    return this.rec.token;
  }

  get eligible(): boolean {
    return this.rec.status === 'AVAILABLE' && this.rec.requested;
  }

  /** Slots left for new offers: capacity − held (released frees a slot, concluding does not) − open offers. */
  get free(): number {
    return this.rec.max - this.rec.held.length - this.offers.size;
  }

  /** The offer of `engagementId` to this session was revoked (offers.ts tellRevoked). */
  noteWithdrawn(engagementId: number): void {
    this.withdrawn.delete(engagementId);
    this.withdrawn.add(engagementId);
    if (this.withdrawn.size <= WITHDRAWN_KEEP) return;
    const oldest = this.withdrawn.values().next();
    if (!oldest.done) this.withdrawn.delete(oldest.value);
  }

  holds(engagementId: number): Held | undefined {
    return this.rec.held.find((h) => h.engagementId === engagementId);
  }

  save(): void {
    this.journal.putMeta(this.keys.session(this.token), this.rec);
  }

  /** Numbers and journals one entry; the caller delivers it to the poll / sockets. */
  append(type: string, fields: Record<string, unknown>, at: number): InboxEntry {
    const seq = this.nextSeq++;
    const e = { seq, json: agentEntry(type, fields, at, seq) };
    this.inbox.push(e);
    this.journal.putMeta(this.keys.inbox(this.token, seq), e.json);
    return e;
  }

  /**
   * Numbers and journals an entry of another session's inbox (a takeover, takeover.ts) under this
   * session's next number: the text is kept as it was but for its trailing sequenceNumber pair,
   * which agentEntry always writes last.
   */
  appendRenumbered(from: InboxEntry): InboxEntry {
    const tail = `${int64Pair('sequenceNumber', from.seq)}}}`;
    if (!from.json.endsWith(tail)) throw new Error(`inbox entry ${from.seq} does not end with its sequence number`);
    const seq = this.nextSeq++;
    const e = { seq, json: `${from.json.slice(0, -tail.length)}${int64Pair('sequenceNumber', seq)}}}` };
    this.inbox.push(e);
    this.journal.putMeta(this.keys.inbox(this.token, seq), e.json);
    return e;
  }

  /** Entries after `seq`, at most `max` (inbox is dense in seq from its first kept entry). */
  after(seq: number, max = Infinity): InboxEntry[] {
    const first = this.inbox[0]?.seq ?? this.nextSeq;
    const from = Math.max(0, seq + 1 - first);
    return this.inbox.slice(from, Math.min(this.inbox.length, from + max));
  }

  /** The first entry still kept (`nextSeq` when there is none): a socket may resume from the one before it. */
  get oldest(): number {
    return this.inbox[0]?.seq ?? this.nextSeq;
  }

  /** A long poll of this session was answered (inbox.ts): it reads by polling, for POLL_READER_MS. */
  polled(now: number): void {
    this.polledAt = now;
  }

  advanceCursor(seq: number): void {
    if (seq <= this.cursor) return;
    this.cursor = seq;
    this.journal.putMeta(this.keys.cursor(this.token), seq);
    this.prune();
  }

  /** Entries up to `seq` were sent on a WebSocket (inbox.ts). */
  sentUpTo(seq: number): void {
    if (seq <= this.sentOnSocket) return;
    const first = this.oldest;
    for (let q = Math.max(this.sentOnSocket + 1, first); q <= seq && q - first < this.inbox.length; q++) this.sentBytes += (this.inbox[q - first] as InboxEntry).json.length;
    this.sentOnSocket = seq;
    this.prune();
  }

  /**
   * Drops the entries more than INBOX_KEEP behind the poll cursor, or — unless the session reads
   * by polling (POLL_READER_MS) — behind what the sockets were sent once the socketKeepBytes after
   * them are kept too; memory and journal.
   */
  private prune(): void {
    const first = this.inbox[0]?.seq ?? this.nextSeq;
    const pollLine = this.cursor - INBOX_KEEP;
    let sockLine = this.sentOnSocket - INBOX_KEEP;
    if (first >= pollLine && first >= sockLine) return; // nothing due: no clock read per delivery
    if (this.poll !== undefined || Date.now() - this.polledAt < POLL_READER_MS) sockLine = 0;
    let drop = 0;
    let bytes = this.sentBytes;
    for (; drop < this.inbox.length; drop++) {
      const e = this.inbox[drop] as InboxEntry;
      const sent = e.seq <= this.sentOnSocket;
      if (!(e.seq < pollLine || (e.seq < sockLine && bytes - e.json.length >= this.socketKeepBytes))) break;
      if (sent) bytes -= e.json.length;
    }
    if (drop === 0) return;
    this.sentBytes = bytes;
    for (const e of this.inbox.splice(0, drop)) this.journal.removeMeta(this.keys.inbox(this.token, e.seq));
  }

  /** Deletes every key of this session (logoff, or replaced by a newer logon of the same account). */
  erase(): void {
    for (const e of this.inbox) this.journal.removeMeta(this.keys.inbox(this.token, e.seq));
    this.journal.removeMeta(this.keys.cursor(this.token));
    this.journal.removeMeta(this.keys.session(this.token));
  }

  /** Rebuilds the inbox and cursor of a recovered session record. */
  restore(): void {
    const prefix = this.keys.inboxPrefix(this.token);
    for (const { key, value } of this.journal.metaRange(prefix)) {
      const seq = Number(key.slice(prefix.length));
      if (typeof value !== 'string' || !Number.isSafeInteger(seq)) continue;
      this.inbox.push({ seq, json: value });
      this.nextSeq = seq + 1;
    }
    const c = this.journal.getMeta(this.keys.cursor(this.token));
    if (typeof c === 'number') this.cursor = c;
  }
}

/** Slots open for offers across `sessions`: what the eligible ones can still take. */
export function freeSlots(sessions: Iterable<AgentSession>): number {
  let n = 0;
  for (const s of sessions) if (s.eligible && s.free > 0) n += s.free;
  return n;
}

export function asSessionRecord(v: unknown): SessionRecord | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Partial<SessionRecord>;
  if (typeof r.token !== 'string' || typeof r.accountId !== 'number' || typeof r.clientId !== 'number' || !Array.isArray(r.held)) return undefined;
  return r as SessionRecord;
}

// Per-engagement high-water marks of numbered agent deliveries on the tenant's home shard (H):
// the last `agentSeq` of each engagement that H numbered into its agents' inboxes.
//
// Why: E journals a consumer message, acknowledges it, and sends its agent delivery one way to H.
// After kill -9, and after H's thread alone restarted, E re-sends the recent numbered deliveries
// it keeps (agent-side.ts); H appends only the number right after the mark, so every delivery
// lands in the inboxes exactly once and in order, whatever overtook the re-send.
// The mark is a meta key written in the same group commit as the inbox entries it covers, so the
// two can never disagree after a crash.
//
// Lifetime: from the engagement's first numbered delivery until `retainMs` after its `ended`
// event (E re-sends only for engagements still in memory after its recovery sweep: open, or
// concluded within the grace period — retainMs covers that with a margin).
//
// A mark is also H's durable word that an engagement it neither queues nor counts as held exists
// or ended (an agent was ejected from it or released it; it concluded, also while it waited, never
// held): calls on it by an agent not holding it answer NOT_PARTICIPANT rather than
// ENGAGEMENT_ID_UNKNOWN (held-chats.ts notHeld), and rerouteAvailability of an ended one
// ENGAGEMENT_CONCLUDED.
import type { Journal } from '../../src/store/journal.ts';
import type { Keys } from './agent-session.ts';

interface Mark {
  seq: number;
  endedAt?: number;
}

function asMark(v: unknown): Mark | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const m = v as { seq?: unknown; endedAt?: unknown };
  if (typeof m.seq !== 'number') return undefined;
  return typeof m.endedAt === 'number' ? { seq: m.seq, endedAt: m.endedAt } : { seq: m.seq };
}

/** a refill not answered (its first number not taken) within this long is asked again */
const REFILL_RETRY_MS = 2_000;

export class DeliveryMarks {
  private readonly marks = new Map<number, Mark>();
  /** refills asked and not yet answered: until the mark moves */
  private readonly refills = new Map<number, { from: number; at: number }>();
  /** ended engagements in `endedAt` order, for pruning */
  private ended: Array<{ engagementId: number; at: number }> = [];

  constructor(
    private readonly journal: Journal,
    private readonly keys: Keys,
    private readonly retainMs: number,
  ) {}

  restore(now = Date.now()): void {
    const prefix = this.keys.deliveredPrefix;
    for (const { key, value } of this.journal.metaRange(prefix)) {
      const engagementId = Number(key.slice(prefix.length));
      const m = asMark(value);
      if (!m || !Number.isSafeInteger(engagementId)) continue;
      this.marks.set(engagementId, m);
      if (m.endedAt !== undefined) this.ended.push({ engagementId, at: m.endedAt });
    }
    this.ended.sort((a, b) => a.at - b.at);
    this.prune(now);
  }

  /**
   * 'take' (and the mark moves, journaled) when `agentSeq` is this engagement's next number. 'drop'
   * for one already appended (a re-send), and for one past a gap: the numbers between were lost
   * with this thread (it crashed or hung with them in its port) and E re-sends its tail when we are
   * back, in order — appending the later one first would make the mark skip them. 'refill' when
   * a re-sent tail starts above the gap (`tailFrom` > mark + 1: E keeps REPLAY_TAIL deliveries in
   * memory, and a long hang lost more): the caller asks E to rebuild them from its journal
   * (`refillFrom`), and drops this one, which the refill carries again. Before, such a gap was
   * skipped: an agent never saw those customer messages live.
   */
  accept(engagementId: number, agentSeq: number, tailFrom?: number): 'take' | 'drop' | 'refill' {
    const m = this.marks.get(engagementId);
    const next = (m?.seq ?? 0) + 1;
    if (agentSeq < next) return 'drop';
    if (agentSeq > next) return tailFrom !== undefined && tailFrom > next ? 'refill' : 'drop';
    const mark: Mark = m?.endedAt !== undefined ? { seq: agentSeq, endedAt: m.endedAt } : { seq: agentSeq };
    this.marks.set(engagementId, mark);
    this.journal.putMeta(this.keys.delivered(engagementId), mark);
    this.refills.delete(engagementId);
    return 'take';
  }

  /**
   * The first number to ask E for, or undefined when that refill was asked less than REFILL_RETRY_MS
   * ago (every entry of a re-sent tail meets the same gap: one ask, not one per entry; again only
   * if the answer is lost, with E's thread).
   */
  refillFrom(engagementId: number, now = Date.now()): number | undefined {
    const from = (this.marks.get(engagementId)?.seq ?? 0) + 1;
    const asked = this.refills.get(engagementId);
    if (asked && asked.from === from && now - asked.at < REFILL_RETRY_MS) return undefined;
    this.refills.set(engagementId, { from, at: now });
    return from;
  }

  /**
   * Whether this shard knows `engagementId` from a delivery (or a `keep`): it exists, or ended less
   * than `retainMs` ago — an agent not holding it is told NOT_PARTICIPANT, not ENGAGEMENT_ID_UNKNOWN.
   */
  has(engagementId: number): boolean {
    return this.marks.has(engagementId);
  }

  /** Whether `engagementId` ended less than `retainMs` ago (known by its mark). */
  hasEnded(engagementId: number): boolean {
    return this.marks.get(engagementId)?.endedAt !== undefined;
  }

  /**
   * The engagement concluded: its mark is kept `retainMs` longer for late re-sends, then dropped.
   * `keep`: one without a delivery yet gets a mark too (an agent this shard told of the end itself,
   * or a chat that ended while it waited: later calls on it should find it known and ended).
   */
  end(engagementId: number, now = Date.now(), keep = false): void {
    let m = this.marks.get(engagementId);
    if (!m && keep) {
      m = { seq: 0 };
      this.marks.set(engagementId, m);
    }
    if (m && m.endedAt === undefined) {
      m.endedAt = now;
      this.journal.putMeta(this.keys.delivered(engagementId), m);
      this.ended.push({ engagementId, at: now });
    }
    this.prune(now);
  }

  get size(): number {
    return this.marks.size;
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.ended.length && (this.ended[drop] as { at: number }).at < now - this.retainMs) {
      const { engagementId } = this.ended[drop] as { engagementId: number };
      this.marks.delete(engagementId);
      this.refills.delete(engagementId);
      this.journal.removeMeta(this.keys.delivered(engagementId));
      drop++;
    }
    if (drop > 0) this.ended = this.ended.slice(drop);
  }
}

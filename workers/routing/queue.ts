// A tenant's waiting engagements, all queues together, in arrival order (`ord`). Each entry is one
// meta key, written when it is queued, offered, declined or requeued, and removed when an agent
// accepts it or it ends, so the home shard rebuilds its queues (and open offers) after a restart.
//
// Lifetimes: an entry lives from the engagement's `enqueue` event (or a requeue: release, reroute,
// logoff) until ACCEPT or `ended`. The offer timer is live only; recovery restarts it with the time
// that was left.
import type { Journal } from '../../src/store/journal.ts';
import type { Keys } from './agent-session.ts';
import { QueueRanks } from './queue-ranks.ts';

export interface QueuedRecord {
  engagementId: number;
  queueId: number;
  /** when the customer first arrived (offers show the wait from here) */
  at: number;
  /** when it last entered the queue: arrival, or an agent handing it back (queue timeout counts from here; absent in older records: `at`) */
  queuedAt?: number;
  ord: number;
  name: string;
  question: string;
  /** agent session token the engagement is offered to, if any */
  offeredTo?: string;
  offeredAt?: number;
  /** sessions that declined it or let the offer time out: it goes to the next agent */
  declined: string[];
}

export interface QueueEntry extends QueuedRecord {
  /**
   * the last position this consumer was told (0: none yet; POSITION_UNKNOWN: restored, until the
   * engagement's shard re-announces the one it recorded), and when (live only, wait-updates.ts)
   */
  lastPosition: number;
  lastSentAt: number;
  timer: NodeJS.Timeout | undefined;
  /** its place in its queue's ranks (queue-ranks.ts) */
  slot: number;
  /** the key of its live node in its queue's halving heap (wait-planner.ts); NaN: none */
  halvingAt: number;
  /** the number of its live place in the planner's list of recent notices (wait-planner.ts); 0: none */
  recentSeq: number;
}

export const POSITION_UNKNOWN = -1;

/** Told of every change of the queue (wait-planner.ts: who may be due a new position). */
export interface QueueWatcher {
  /** `e` joined its queue: at the tail (an arrival), or at the head (`front`: handed back) */
  added(e: QueueEntry, front: boolean): void;
  removed(e: QueueEntry): void;
  /** the queue was rebuilt (restored entries, a replaced one): anything may have moved */
  reset(): void;
}

export class TenantQueue {
  private readonly entries = new Map<number, QueueEntry>();
  /**
   * Restored entries not offered yet: until the engagement's shard has answered for each (re-
   * announced it open, or ended it — its `ended` may have died with the process) or the recovery's
   * wait for answers is over (tenant-router.ts recover). A set, not an entry field: empty but after
   * a recovery, and no cost per entry (100k waiting: 24 B each as a field, measured).
   */
  private readonly unconfirmed = new Set<number>();
  /** entries per queue id in order, for positions in O(log n); stale: rebuilt on the next read (after recovery) */
  private readonly ranks = new Map<number, QueueRanks>();
  private ranksStale = false;
  private watcher: QueueWatcher | undefined;
  private nextOrd = 1;
  private minOrd = 0;
  /**
   * The entries by `ord`, kept up to date instead of copied and sorted on every dispatch (which
   * runs on every agent event while a slot is free: 0.29 ms for 10k waiting, 4 ms for 100k,
   * measured). An arrival has the largest ord (push), a requeue the smallest (unshift), a removal
   * is found by binary search. null: rebuilt on the next read (after recovery).
   */
  private sorted: QueueEntry[] | null = null;

  constructor(
    private readonly journal: Journal,
    private readonly keys: Keys,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(engagementId: number): QueueEntry | undefined {
    return this.entries.get(engagementId);
  }

  watch(w: QueueWatcher): void {
    this.watcher = w;
  }

  /** Adds at the tail (arrival) or at the head (an engagement handed back by its agent). */
  add(r: Omit<QueuedRecord, 'ord' | 'declined'> & { declined?: string[] }, front: boolean): QueueEntry {
    const ord = front ? --this.minOrd : this.nextOrd++;
    const e = entryOf(r, ord, r.declined ?? [], 0, 0);
    const replaced = this.entries.has(e.engagementId);
    this.entries.set(e.engagementId, e);
    this.save(e);
    if (replaced) {
      // replaced in place: rebuild the order
      this.sorted = null;
      this.ranksStale = true;
      this.watcher?.reset();
      return e;
    }
    if (front) this.sorted?.unshift(e);
    else this.sorted?.push(e);
    if (!this.ranksStale) {
      const ranks = this.ranksOf(e.queueId);
      if (front) ranks.unshift(e);
      else ranks.push(e);
    }
    this.watcher?.added(e, front);
    return e;
  }

  save(e: QueueEntry): void {
    const rec: QueuedRecord = { engagementId: e.engagementId, queueId: e.queueId, at: e.at, ord: e.ord, name: e.name, question: e.question, declined: e.declined };
    if (e.queuedAt !== undefined) rec.queuedAt = e.queuedAt;
    if (e.offeredTo !== undefined) {
      rec.offeredTo = e.offeredTo;
      rec.offeredAt = e.offeredAt ?? 0;
    }
    this.journal.putMeta(this.keys.queued(e.engagementId), rec);
  }

  remove(engagementId: number): QueueEntry | undefined {
    const e = this.entries.get(engagementId);
    if (!e) return undefined;
    clearTimeout(e.timer);
    this.entries.delete(engagementId);
    this.unconfirmed.delete(engagementId);
    if (this.sorted) {
      let lo = 0;
      let hi = this.sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((this.sorted[mid] as QueueEntry).ord < e.ord) lo = mid + 1;
        else hi = mid;
      }
      // the head (the usual departure) by shift: O(1) in V8, where splice(0, 1) copied the whole
      // array (10k waiting: ~0.1 vs 20–60 µs, measured)
      if (this.sorted[lo] !== e) this.sorted = null;
      else if (lo === 0) this.sorted.shift();
      else this.sorted.splice(lo, 1);
    }
    if (!this.ranksStale) this.ranks.get(e.queueId)?.delete(e);
    this.journal.removeMeta(this.keys.queued(engagementId));
    this.watcher?.removed(e);
    return e;
  }

  /**
   * An entry from its meta record. What its consumer was last told is not journaled here (it is on
   * the engagement's shard, which re-announces it): unknown until then, as if told `now`, so the
   * recovery does not re-tell every waiting consumer (100k journaled messages after a restart).
   */
  restore(r: QueuedRecord, now = Date.now()): QueueEntry {
    const e = entryOf(r, r.ord, Array.isArray(r.declined) ? r.declined : [], POSITION_UNKNOWN, now);
    this.unconfirmed.add(e.engagementId);
    this.entries.set(e.engagementId, e);
    this.sorted = null;
    this.ranksStale = true;
    this.watcher?.reset();
    if (e.ord >= this.nextOrd) this.nextOrd = e.ord + 1;
    if (e.ord < this.minOrd) this.minOrd = e.ord;
    return e;
  }

  /** Whether an entry may be offered: not one restored and still unconfirmed (see `unconfirmed`). */
  offerable(e: QueueEntry): boolean {
    return this.unconfirmed.size === 0 || !this.unconfirmed.has(e.engagementId);
  }

  /** Not offerable until `confirm` (a requeued entry waits for its shard's word that it is open). */
  hold(engagementId: number): void {
    if (this.entries.has(engagementId)) this.unconfirmed.add(engagementId);
  }

  /** The engagement's shard answered for a restored entry: offerable; whether it was unconfirmed. */
  confirm(engagementId: number): boolean {
    return this.unconfirmed.delete(engagementId);
  }

  /** Makes every restored entry offerable; whether there was one. */
  confirmAll(): boolean {
    const any = this.unconfirmed.size > 0;
    this.unconfirmed.clear();
    return any;
  }

  /** Every entry, oldest first. The live order: do not add or remove entries while iterating it. */
  ordered(): readonly QueueEntry[] {
    this.sorted ??= [...this.entries.values()].sort((a, b) => a.ord - b.ord);
    return this.sorted;
  }

  /** `e`'s 1-based position inside its own queue. O(log n). */
  position(e: QueueEntry): number {
    return this.ranksOf(e.queueId).rank(e);
  }

  /** The entry at 1-based position `k` of queue `queueId`, if any. O(log n). */
  nth(queueId: number, k: number): QueueEntry | undefined {
    return this.ranksOf(queueId).nth(k);
  }

  count(queueId?: number): number {
    if (queueId === undefined) return this.entries.size;
    return this.ranksStale ? this.ranksOf(queueId).size : (this.ranks.get(queueId)?.size ?? 0);
  }

  private ranksOf(queueId: number): QueueRanks {
    if (this.ranksStale) {
      this.ranksStale = false;
      const per = new Map<number, QueueEntry[]>();
      for (const e of this.ordered()) {
        const list = per.get(e.queueId);
        if (list) list.push(e);
        else per.set(e.queueId, [e]);
      }
      this.ranks.clear();
      for (const [q, list] of per) this.ranks.set(q, new QueueRanks(list));
    }
    let r = this.ranks.get(queueId);
    if (!r) this.ranks.set(queueId, (r = new QueueRanks()));
    return r;
  }
}

/**
 * A new entry, its fields written out: a spread (`{ ...r, ord, … }`) took 4–6 µs per entry in V8
 * (the properties after it are added one by one at run time), written out 0.1 µs (measured).
 */
function entryOf(r: Omit<QueuedRecord, 'ord' | 'declined'>, ord: number, declined: string[], lastPosition: number, lastSentAt: number): QueueEntry {
  const e: QueueEntry = {
    engagementId: r.engagementId, queueId: r.queueId, at: r.at, queuedAt: r.queuedAt, ord, name: r.name, question: r.question, declined,
    lastPosition, lastSentAt, timer: undefined, slot: 0, halvingAt: NaN, recentSeq: 0,
  };
  if (r.offeredTo !== undefined) {
    e.offeredTo = r.offeredTo;
    e.offeredAt = r.offeredAt;
  }
  return e;
}

export function asQueuedRecord(v: unknown): QueuedRecord | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Partial<QueuedRecord>;
  if (typeof r.engagementId !== 'number' || typeof r.queueId !== 'number' || typeof r.ord !== 'number') return undefined;
  return r as QueuedRecord;
}

// A tenant's waiting engagements, all queues together, in arrival order (`ord`). Each entry is one
// meta key, written when it is queued, offered, declined or requeued, and removed when an agent
// accepts it or it ends, so the home shard rebuilds its queues (and open offers) after a restart.
//
// Lifetimes: an entry lives from the engagement's `enqueue` event (or a requeue: release, reroute,
// logoff) until ACCEPT or `ended`. The offer timer is live only; recovery restarts it with the time
// that was left.
import type { Journal } from '../../src/store/journal.ts';
import type { Keys } from './agent-session.ts';

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
}

export const POSITION_UNKNOWN = -1;

export class TenantQueue {
  private readonly entries = new Map<number, QueueEntry>();
  /**
   * Restored entries not offered yet: until the engagement's shard has answered for each (re-
   * announced it open, or ended it — its `ended` may have died with the process) or the recovery's
   * wait for answers is over (tenant-router.ts recover). A set, not an entry field: empty but after
   * a recovery, and no cost per entry (100k waiting: 24 B each as a field, measured).
   */
  private readonly unconfirmed = new Set<number>();
  /** entries per queue id, so an arrival learns its position in O(1) */
  private readonly counts = new Map<number, number>();
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

  /** Adds at the tail (arrival) or at the head (an engagement handed back by its agent). */
  add(r: Omit<QueuedRecord, 'ord' | 'declined'> & { declined?: string[] }, front: boolean): QueueEntry {
    const ord = front ? --this.minOrd : this.nextOrd++;
    const e: QueueEntry = { ...r, ord, declined: r.declined ?? [], lastPosition: 0, lastSentAt: 0, timer: undefined };
    if (this.entries.has(e.engagementId)) this.sorted = null; // replaced in place: rebuild the order
    else if (front) this.sorted?.unshift(e);
    else this.sorted?.push(e);
    this.entries.set(e.engagementId, e);
    this.counts.set(e.queueId, (this.counts.get(e.queueId) ?? 0) + 1);
    this.save(e);
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
      if (this.sorted[lo] === e) this.sorted.splice(lo, 1);
      else this.sorted = null;
    }
    this.counts.set(e.queueId, (this.counts.get(e.queueId) ?? 1) - 1);
    this.journal.removeMeta(this.keys.queued(engagementId));
    return e;
  }

  /**
   * An entry from its meta record. What its consumer was last told is not journaled here (it is on
   * the engagement's shard, which re-announces it): unknown until then, as if told `now`, so the
   * recovery does not re-tell every waiting consumer (100k journaled messages after a restart).
   */
  restore(r: QueuedRecord, now = Date.now()): QueueEntry {
    const e: QueueEntry = { ...r, declined: Array.isArray(r.declined) ? r.declined : [], lastPosition: POSITION_UNKNOWN, lastSentAt: now, timer: undefined };
    this.unconfirmed.add(e.engagementId);
    if (!this.entries.has(e.engagementId)) this.counts.set(e.queueId, (this.counts.get(e.queueId) ?? 0) + 1);
    this.entries.set(e.engagementId, e);
    this.sorted = null;
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

  /** Entries with their 1-based position inside their own queue. */
  positions(): Array<{ e: QueueEntry; position: number }> {
    const per = new Map<number, number>();
    return this.ordered().map((e) => {
      const position = (per.get(e.queueId) ?? 0) + 1;
      per.set(e.queueId, position);
      return { e, position };
    });
  }

  count(queueId?: number): number {
    return queueId === undefined ? this.entries.size : (this.counts.get(queueId) ?? 0);
  }
}

export function asQueuedRecord(v: unknown): QueuedRecord | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Partial<QueuedRecord>;
  if (typeof r.engagementId !== 'number' || typeof r.queueId !== 'number' || typeof r.ord !== 'number') return undefined;
  return r as QueuedRecord;
}

// Finds the waiting consumers the wait rule (wait-rule.ts) makes due, without walking the queue.
// Every departure moves everyone behind it, and ranking the whole queue to test each entry after
// every change was O(queue length) per change (~13 % of the shard's busy time with 5–10k waiting
// and ~150 a second leaving: docs/performance.md, run 36). Here a change costs O(log n), plus
// O(log n) for each entry it may have made due, by keeping per rule the entries it can pick:
//   - never told (requeued): `fresh`, told at the next plan;
//   - ≤ WAIT_NEAR: the first WAIT_NEAR of each queue that changed (queue-ranks.ts nth);
//   - halved: a queue's departures (`moved`) bound how far any of its entries moved up, so one
//     told P, now at p, cannot be at ⌊P/2⌋ or better before `moved` has grown by p − ⌊P/2⌋; it
//     waits in a heap keyed by that value of `moved`, and is ranked again only then;
//   - 10 s: the entries by time of their last notice (`recent`); once its 10 s are up, one whose
//     position moved is told, one whose did not waits in its queue's `ripe` list (by ord) until a
//     change ahead of it moves it.
// Each candidate is ranked (queue-ranks.ts) and tested against the rule itself, so the notices are
// those a pass over every entry would send at the same moment (test/queue-wait-planner.test.ts
// checks it against that pass).
import type { QueueEntry, QueueWatcher, TenantQueue } from './queue.ts';
import { MinHeap } from './min-heap.ts';
import { WAIT_NEAR, WAIT_UPDATE_MS, isDue } from './wait-rule.ts';

export interface Notice {
  e: QueueEntry;
  position: number;
}

interface QueueState {
  /** departures from the queue so far: between two moments no entry moved up more than this grew */
  moved: number;
  /** lowest ord whose followers moved since the last plan (a departure's; a requeue's moves them all) */
  changedFrom: number | undefined;
  /** entries by the `moved` at which their position may have halved (key = e.halvingAt) */
  halving: MinHeap<QueueEntry>;
  /** entries whose 10 s are up and whose position has not changed since their last plan, by ord */
  ripe: QueueEntry[];
}

export class WaitPlanner implements QueueWatcher {
  private readonly queues = new Map<number, QueueState>();
  /** told less than WAIT_UPDATE_MS ago (as of the last plan), oldest notice first */
  private readonly recent = new Recent();
  /** added and never told */
  private readonly fresh = new Set<QueueEntry>();
  /** whose last position their engagement's shard reported since the last plan */
  private readonly vouched = new Set<QueueEntry>();
  /** every entry is planned afresh (a recovery rebuilt the queue) */
  private full = true;

  constructor(private readonly queue: TenantQueue) {
    queue.watch(this);
  }

  added(e: QueueEntry, front: boolean): void {
    e.halvingAt = NaN;
    this.fresh.add(e);
    // a requeue moves everyone back (an arrival, behind everyone, moves nobody)
    if (front) this.changed(e);
  }

  removed(e: QueueEntry): void {
    this.state(e.queueId).moved++;
    this.changed(e);
    this.unplace(e);
    this.fresh.delete(e);
    this.vouched.delete(e);
    e.halvingAt = NaN;
  }

  reset(): void {
    this.full = true;
  }

  /** Its engagement's shard says `e`'s consumer was last told `told` (a re-announce). */
  vouch(e: QueueEntry, told: number): void {
    e.lastPosition = told;
    this.vouched.add(e);
  }

  /** `e` is told `position` at `now` (an arrival, or a notice `plan` chose). */
  note(e: QueueEntry, position: number, now: number): void {
    e.lastPosition = position;
    e.lastSentAt = now;
    this.unplace(e);
    this.fresh.delete(e);
    this.recent.add(e);
    this.arm(e, position);
  }

  /** The notices due at `now`, oldest entry first, each noted as told. */
  plan(now: number): Notice[] {
    const out: Notice[] = [];
    if (this.full) this.replan(now, out);
    else {
      // one not told now (its shard vouched for the position it is at) was never told here: its 10 s are up
      for (const e of this.fresh) if (!this.consider(e, now, out)) this.insertRipe(e);
      this.fresh.clear();
      for (const e of this.vouched) if (!this.consider(e, now, out)) this.arm(e, this.queue.position(e));
      this.vouched.clear();
      this.ripen(now, out);
      for (const [queueId, s] of this.queues) this.planQueue(queueId, s, now, out);
    }
    return out.length > 1 ? out.sort((a, b) => a.e.ord - b.e.ord) : out;
  }

  /** When the oldest recent notice is WAIT_UPDATE_MS old (a held-back change may be due then), if any. */
  nextAt(): number | undefined {
    const e = this.recent.first();
    return e && e.lastSentAt + WAIT_UPDATE_MS;
  }

  /** Entries whose 10 s are up: told if their position moved, else ripe. */
  private ripen(now: number, out: Notice[]): void {
    // one told now goes to the end, behind the loop's stop
    for (let e = this.recent.first(); e && e.lastSentAt + WAIT_UPDATE_MS <= now; e = this.recent.first()) {
      this.recent.delete(e);
      if (!this.consider(e, now, out)) this.insertRipe(e);
    }
  }

  private planQueue(queueId: number, s: QueueState, now: number, out: Notice[]): void {
    if (s.changedFrom !== undefined) {
      const from = s.changedFrom;
      s.changedFrom = undefined;
      // the ripe ones behind the change moved (unless a requeue moved them back as far)
      const i = lowerBound(s.ripe, from);
      if (i < s.ripe.length) for (const e of s.ripe.splice(i)) if (!this.consider(e, now, out)) this.insertRipe(e);
      for (let k = 1; k <= WAIT_NEAR; k++) {
        const e = this.queue.nth(queueId, k);
        if (!e) break;
        this.consider(e, now, out);
      }
    }
    while (s.halving.peekKey() <= s.moved) {
      const e = s.halving.peek();
      const key = s.halving.peekKey();
      s.halving.pop();
      if (e.halvingAt !== key) continue; // re-keyed since, or gone
      e.halvingAt = NaN;
      const position = this.queue.position(e);
      if (isDue(e, position, now)) this.tell(e, position, now, out);
      else this.arm(e, position);
    }
    if (s.halving.size > 64 + 2 * this.queue.count(queueId)) s.halving.compact((e, key) => e.halvingAt === key);
  }

  private replan(now: number, out: Notice[]): void {
    this.full = false;
    this.queues.clear();
    this.recent.clear();
    this.fresh.clear();
    this.vouched.clear();
    const waiting: Notice[] = [];
    for (const e of this.queue.ordered()) {
      const position = this.queue.position(e);
      e.halvingAt = NaN;
      if (isDue(e, position, now)) out.push({ e, position });
      else waiting.push({ e, position });
    }
    waiting.sort((a, b) => a.e.lastSentAt - b.e.lastSentAt); // stable: ord order among equals
    for (const { e, position } of waiting) {
      this.recent.add(e); // those whose 10 s are up ripen at the next plan (the timer's, at once)
      this.arm(e, position);
    }
    for (const { e, position } of out) this.note(e, position, now);
  }

  /** Tells `e` if the rule says so; whether it did. */
  private consider(e: QueueEntry, now: number, out: Notice[]): boolean {
    const position = this.queue.position(e);
    if (!isDue(e, position, now)) return false;
    this.tell(e, position, now, out);
    return true;
  }

  private tell(e: QueueEntry, position: number, now: number, out: Notice[]): void {
    this.note(e, position, now);
    out.push({ e, position });
  }

  /** Keys `e`, now at `position`, by the `moved` at which it may be at half its last position. */
  private arm(e: QueueEntry, position: number): void {
    const half = Math.floor(e.lastPosition / 2);
    if (half < 1) {
      e.halvingAt = NaN; // last told 1, never told, or unknown: no halving to wait for
      return;
    }
    const s = this.state(e.queueId);
    e.halvingAt = s.moved + Math.max(1, position - half);
    s.halving.push(e, e.halvingAt);
  }

  /** Everyone behind `e` in its queue moved. */
  private changed(e: QueueEntry): void {
    const s = this.state(e.queueId);
    if (s.changedFrom === undefined || e.ord < s.changedFrom) s.changedFrom = e.ord;
  }

  private unplace(e: QueueEntry): void {
    if (this.recent.delete(e)) return;
    const ripe = this.queues.get(e.queueId)?.ripe;
    if (!ripe) return;
    const i = lowerBound(ripe, e.ord);
    if (ripe[i] === e) ripe.splice(i, 1);
  }

  private insertRipe(e: QueueEntry): void {
    const ripe = this.state(e.queueId).ripe;
    ripe.splice(lowerBound(ripe, e.ord), 0, e);
  }

  private state(queueId: number): QueueState {
    let s = this.queues.get(queueId);
    if (!s) this.queues.set(queueId, (s = { moved: 0, changedFrom: undefined, halving: new MinHeap(), ripe: [] }));
    return s;
  }
}

/** The first index of `list` (sorted by ord) whose ord is ≥ `ord`. */
function lowerBound(list: readonly QueueEntry[], ord: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as QueueEntry).ord < ord) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Entries by time of their last notice, oldest first: a notice appends its entry (its time is the
 * latest) and leaves its older place stale (`recentSeq` names the live one). An array with a
 * moving head, not a Set: a Set read from the front after many deletions there walks all their
 * holes (10k waiting: 62 µs per look at the oldest, measured).
 */
class Recent {
  private items: QueueEntry[] = [];
  private seqs: number[] = [];
  private head = 0;
  private seq = 0;

  add(e: QueueEntry): void {
    e.recentSeq = ++this.seq;
    this.items.push(e);
    this.seqs.push(e.recentSeq);
  }

  /** Whether `e` was here. */
  delete(e: QueueEntry): boolean {
    if (e.recentSeq === 0) return false;
    e.recentSeq = 0;
    return true;
  }

  /** The oldest entry here, if any. */
  first(): QueueEntry | undefined {
    while (this.head < this.items.length) {
      const e = this.items[this.head] as QueueEntry;
      if (e.recentSeq === this.seqs[this.head]) {
        if (this.head >= 1024 && this.head * 2 >= this.items.length) {
          // the passed part is dropped once it is half the array: O(1) amortised
          this.items = this.items.slice(this.head);
          this.seqs = this.seqs.slice(this.head);
          this.head = 0;
        }
        return e;
      }
      this.head++;
    }
    this.clear();
    return undefined;
  }

  clear(): void {
    for (let i = this.head; i < this.items.length; i++) {
      const e = this.items[i] as QueueEntry;
      if (e.recentSeq === this.seqs[i]) e.recentSeq = 0;
    }
    this.items = [];
    this.seqs = [];
    this.head = 0;
  }
}

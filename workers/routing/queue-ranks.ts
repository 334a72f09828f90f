// One queue's waiting entries in arrival order as a Fenwick tree of counts over slots, so an entry's
// position in its queue, and the entry at a position, cost O(log n) — the home shard used to rank
// every waiting entry to plan queue-position notices after each departure, O(queue length).
// Slots follow `ord`: an arrival takes the next slot on the right, a requeue (at the head) the next
// one on the left. When an end is reached the live entries are packed into fresh arrays with room
// on both sides: O(live) every ~live insertions, and the window follows the queue as its head
// drains, so the arrays stay about twice the queue's size.
import type { QueueEntry } from './queue.ts';

export class QueueRanks {
  /** 1-based Fenwick tree: tree[i] counts the live slots in (i − lowbit(i), i] (1-based) */
  private tree = new Int32Array(1);
  private at: Array<QueueEntry | undefined> = [];
  /** lowest slot handed out; a requeue takes lo − 1 */
  private lo = 0;
  /** one past the highest slot handed out; an arrival takes hi */
  private hi = 0;
  size = 0;

  /** `entries`: this queue's entries, oldest first. */
  constructor(entries: readonly QueueEntry[] = []) {
    this.pack(entries);
  }

  /** An arrival: the newest entry. */
  push(e: QueueEntry): void {
    if (this.hi === this.at.length) this.pack(this.live());
    this.place(e, this.hi++);
  }

  /** A requeue: the entry goes ahead of all the others. */
  unshift(e: QueueEntry): void {
    if (this.lo === 0) this.pack(this.live());
    this.place(e, --this.lo);
  }

  delete(e: QueueEntry): void {
    if (this.at[e.slot] !== e) return;
    this.at[e.slot] = undefined;
    this.size--;
    if (this.size === 0) this.pack([]);
    else this.add(e.slot, -1);
  }

  /** 1-based position of `e` in its queue. */
  rank(e: QueueEntry): number {
    let n = 0;
    for (let i = e.slot + 1; i > 0; i -= i & -i) n += this.tree[i] as number;
    return n;
  }

  /** The entry at 1-based position `k`, if the queue is that long. */
  nth(k: number): QueueEntry | undefined {
    if (k < 1 || k > this.size) return undefined;
    const cap = this.at.length;
    let i = 0;
    for (let step = 1 << (31 - Math.clz32(cap)); step > 0; step >>= 1) {
      const j = i + step;
      if (j <= cap && (this.tree[j] as number) < k) {
        i = j;
        k -= this.tree[j] as number;
      }
    }
    return this.at[i]; // 1-based i + 1 is the slot i
  }

  private place(e: QueueEntry, slot: number): void {
    e.slot = slot;
    this.at[slot] = e;
    this.size++;
    this.add(slot, 1);
  }

  private add(slot: number, d: number): void {
    const cap = this.at.length;
    for (let i = slot + 1; i <= cap; i += i & -i) this.tree[i] = (this.tree[i] as number) + d;
  }

  private live(): QueueEntry[] {
    const out: QueueEntry[] = [];
    for (let s = this.lo; s < this.hi; s++) {
      const e = this.at[s];
      if (e) out.push(e);
    }
    return out;
  }

  /** Fresh arrays for `entries` (oldest first): room for a few requeues on the left, as many arrivals as live on the right. */
  private pack(entries: readonly QueueEntry[]): void {
    const n = entries.length;
    const left = 8 + (n >> 3);
    const cap = left + n + Math.max(32, n);
    this.at = new Array<QueueEntry | undefined>(cap).fill(undefined);
    this.tree = new Int32Array(cap + 1);
    this.lo = left;
    this.hi = left + n;
    this.size = n;
    for (let k = 0; k < n; k++) {
      const e = entries[k] as QueueEntry;
      e.slot = left + k;
      this.at[left + k] = e;
      this.tree[left + k + 1] = 1;
    }
    // linear Fenwick build: each node passes its count on to its parent
    for (let i = 1; i <= cap; i++) {
      const j = i + (i & -i);
      if (j <= cap) this.tree[j] = (this.tree[j] as number) + (this.tree[i] as number);
    }
  }
}

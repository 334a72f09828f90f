// The tenant's queueTimeoutSec (0: no limit): an engagement no agent took within that many seconds
// of entering the queue leaves it and is concluded QUEUE_TIMEOUT, a reason Oracle's chat clients
// know. The wait counts from when it last entered the queue: one an agent hands back (release,
// reroute, logoff) starts a new wait, however long its conversation was. Should the process die
// before its shard concludes it, the restored entry is timed out again.
//
// Why not the shard's periodic sweep: it runs every 10 s with the default grace period, so a 3 s
// limit concluded after up to 9 s, and an ACCEPT in between still won the chat. Why not a timer per
// engagement: 100k waiting would be 100k timers. The waits are kept in the order they started —
// arrivals and requeues start now, so an addition lands at (or within a few entries of) the tail —
// and one timer is armed for the oldest, at most every MIN_GAP_MS: each firing times out every
// wait then due, drops the entries that left the queue meanwhile, and arms for the next. Nothing
// is armed while nothing waits or there is no limit.
//
// Lifetimes: an entry is referenced from its `add` until it is timed out or, having left the queue
// (accepted, ended, replaced by a requeue), it reaches the head; so the list holds at most the
// entries queued within the last limit, plus those still waiting.
import type { QueueEntry, TenantQueue } from './queue.ts';

/** the timer fires at most this often: waits due within it are timed out together */
const MIN_GAP_MS = 250;

const startOf = (e: QueueEntry): number => e.queuedAt ?? e.at;

export class QueueDeadlines {
  private list: QueueEntry[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private limitMs = 0;

  constructor(
    private readonly queue: TenantQueue,
    /** times out these entries (still queued, in start order); called from the timer */
    private readonly expire: (due: QueueEntry[], now: number) => void,
  ) {}

  /** The tenant's limit (seconds, 0: none); a change re-reads every waiting entry. */
  setLimit(sec: number): void {
    const ms = sec > 0 ? sec * 1000 : 0;
    if (ms === this.limitMs) return;
    this.limitMs = ms;
    this.rebuild();
  }

  /** Whether `e` has waited past the limit (an ACCEPT arriving before the timer acted is refused). */
  overdue(e: QueueEntry, now: number): boolean {
    return this.limitMs > 0 && now - startOf(e) > this.limitMs;
  }

  /** `e` entered the queue (an arrival, a requeue). */
  add(e: QueueEntry): void {
    if (this.limitMs === 0) return;
    let i = this.list.length;
    while (i > this.head && startOf(this.list[i - 1] as QueueEntry) > startOf(e)) i--;
    if (i === this.list.length) this.list.push(e);
    else this.list.splice(i, 0, e);
    this.arm(Date.now());
  }

  /** Every waiting entry again, in start order (after a recovery, or a new limit). */
  rebuild(): void {
    this.list = this.limitMs > 0 ? [...this.queue.ordered()].sort((a, b) => startOf(a) - startOf(b)) : [];
    this.head = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    this.arm(Date.now());
  }

  private live(e: QueueEntry): boolean {
    return this.queue.get(e.engagementId) === e;
  }

  /** Arms the timer for the oldest live wait, unless it is armed for that time or earlier already. */
  private arm(now: number): void {
    while (this.head < this.list.length && !this.live(this.list[this.head] as QueueEntry)) this.head++;
    this.compact();
    const first = this.list[this.head];
    if (!first || this.limitMs === 0) return;
    const at = Math.max(startOf(first) + this.limitMs + 1, now + MIN_GAP_MS);
    if (this.timer && this.armedFor <= at) return;
    clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.fire(), at - now);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Date.now();
    const due: QueueEntry[] = [];
    while (this.head < this.list.length) {
      const e = this.list[this.head] as QueueEntry;
      if (this.live(e)) {
        if (!this.overdue(e, now)) break;
        due.push(e);
      }
      this.head++;
    }
    if (due.length > 0) this.expire(due, now);
    this.arm(now);
  }

  /** Drops the consumed prefix once it is most of the array (amortised O(1) per entry). */
  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.list.length) return;
    this.list = this.list.slice(this.head);
    this.head = 0;
  }
}

// Which waiting consumers are told their new queue position (RNEngagementWaitInformationChangedMessage,
// journaled on the engagement's shard). Telling every waiting consumer on every change costs O(n²)
// messages to drain a queue of n; this rule makes it O(n·log n) plus a time term.
//
// Rule (docs/agent-routing.md): a consumer is sent its position only when it changed since the
// last one it was told, AND one of:
//   - it was never told one (just queued, or requeued),
//   - the new position is ≤ WAIT_NEAR (the last few steps are always shown),
//   - the new position is at most half the last one told,
//   - WAIT_UPDATE_MS have passed since its last update.
// A change held back by the rule is sent by a trailing timer once its WAIT_UPDATE_MS are up, so
// no consumer is left with a stale position when the queue goes quiet.
// After the home shard restarts, what each consumer was told comes from its engagement's shard
// (the `told` of its re-announce, the position that shard journaled): only the positions that
// moved meanwhile are sent, under the same rule. Before, every waiting consumer was re-told —
// 100k journaled messages per restart with 100k waiting. One no shard vouches for is told within
// WAIT_UPDATE_MS.
// Bound for draining a queue of n in time T: ≤ n·(log2 n + WAIT_NEAR + 1) + n·⌈T / WAIT_UPDATE_MS⌉.
import { POSITION_UNKNOWN, type QueueEntry, type TenantQueue } from './queue.ts';

export const WAIT_UPDATE_MS = 10_000;
export const WAIT_NEAR = 3;
/** how long soon() gathers calls: a recovery's re-announces arrive over many port batches, and each update walks the whole queue */
const SOON_MS = 50;

export interface WaitPlan {
  send: Array<{ e: QueueEntry; position: number }>;
  /** when a held-back change becomes due (ms epoch), if any */
  nextAt: number | undefined;
}

export function planWaits(positions: Array<{ e: QueueEntry; position: number }>, now: number): WaitPlan {
  const send: WaitPlan['send'] = [];
  let nextAt: number | undefined;
  for (const x of positions) {
    const { e, position } = x;
    if (e.lastPosition === position) continue;
    // restored and not yet vouched for by its engagement's shard: only the time term applies
    const known = e.lastPosition !== POSITION_UNKNOWN;
    const due = (known && (e.lastPosition === 0 || position <= WAIT_NEAR || position * 2 <= e.lastPosition)) || now - e.lastSentAt >= WAIT_UPDATE_MS;
    if (due) {
      send.push(x);
      continue;
    }
    const at = e.lastSentAt + WAIT_UPDATE_MS;
    if (nextAt === undefined || at < nextAt) nextAt = at;
  }
  return { send, nextAt };
}

export interface WaitMessage {
  engagementId: number;
  position: number;
  expectedWaitTimeSeconds: number;
  averageWaitTimeSeconds: number;
}

/** Applies the rule above for one tenant: who is told what, and the trailing timer. */
export class WaitNotifier {
  /** trailing timer for position updates held back by the throttle */
  private timer: NodeJS.Timeout | undefined;
  private soonTimer: NodeJS.Timeout | undefined;
  /** moving average of queue wait (s), for wait estimates */
  avgWaitSec = 30;

  constructor(
    private readonly queue: TenantQueue,
    private readonly send: (m: WaitMessage) => void,
    /** releases staged output when the trailing timer (not a mailbox batch) produced it */
    private readonly release: () => void,
  ) {}

  tell(e: QueueEntry, position: number, now: number): void {
    const avg = Math.round(this.avgWaitSec);
    e.lastPosition = position;
    e.lastSentAt = now;
    this.send({ engagementId: e.engagementId, position, expectedWaitTimeSeconds: avg * position, averageWaitTimeSeconds: avg });
  }

  /** An arrival joins the tail of its queue: nobody ahead moves, so only it is told — O(1). */
  arrived(e: QueueEntry, now: number): void {
    this.tell(e, this.queue.count(e.queueId), now);
  }

  /** An engagement left the queue for an agent after waiting since `queuedAt`. */
  served(queuedAt: number, now: number): void {
    this.avgWaitSec = this.avgWaitSec * 0.8 + ((now - queuedAt) / 1000) * 0.2;
  }

  /** One update within SOON_MS, however many calls come meanwhile (a recovery's re-announces). */
  soon(): void {
    if (this.soonTimer !== undefined) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      this.update();
      this.release();
    }, SOON_MS);
    this.soonTimer.unref();
  }

  /** Positions moved (someone left or was requeued at the head): tell those the rule selects. */
  update(): void {
    const now = Date.now();
    const { send, nextAt } = planWaits(this.queue.positions(), now);
    for (const { e, position } of send) this.tell(e, position, now);
    // a held-back change goes out when due, even if the queue stays quiet until then
    if (nextAt !== undefined && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.update();
        this.release();
      }, Math.max(0, nextAt - now));
      this.timer.unref();
    }
  }
}

// The queue-position notices of one tenant's waiting consumers: the rule (wait-rule.ts) applied by
// the planner (wait-planner.ts), the messages to the engagements' shards, and the trailing timer
// that sends a change the rule held back once its WAIT_UPDATE_MS are up.
import type { QueueEntry, TenantQueue } from './queue.ts';
import { WaitPlanner } from './wait-planner.ts';

export { WAIT_NEAR, WAIT_UPDATE_MS } from './wait-rule.ts';

/** how long soon() gathers calls: a recovery's re-announces arrive over many port batches */
const SOON_MS = 50;

export interface WaitMessage {
  engagementId: number;
  position: number;
  expectedWaitTimeSeconds: number;
  averageWaitTimeSeconds: number;
}

/** The wait rule for one tenant: who is told what (the planner), the messages, the trailing timer. */
export class WaitNotifier {
  /** trailing timer for position updates held back by the throttle */
  private timer: NodeJS.Timeout | undefined;
  /** when `timer` fires */
  private timerAt = Infinity;
  private soonTimer: NodeJS.Timeout | undefined;
  /** moving average of queue wait (s), for wait estimates */
  avgWaitSec = 30;

  private readonly planner: WaitPlanner;

  constructor(
    private readonly queue: TenantQueue,
    private readonly send: (m: WaitMessage) => void,
    /** releases staged output when the trailing timer (not a mailbox batch) produced it */
    private readonly release: () => void,
  ) {
    this.planner = new WaitPlanner(queue);
  }

  private tell(e: QueueEntry, position: number): void {
    const avg = Math.round(this.avgWaitSec);
    this.send({ engagementId: e.engagementId, position, expectedWaitTimeSeconds: avg * position, averageWaitTimeSeconds: avg });
  }

  /** An arrival joins the tail of its queue: nobody ahead moves, so only it is told — O(1). */
  arrived(e: QueueEntry, now: number): void {
    const position = this.queue.count(e.queueId);
    this.planner.note(e, position, now);
    this.tell(e, position);
  }

  /** Its engagement's shard says `e`'s consumer was last told `told`: the next update tells it only if that is stale. */
  vouch(e: QueueEntry, told: number): void {
    this.planner.vouch(e, told);
    this.soon();
  }

  /** An engagement left the queue for an agent after waiting since `queuedAt`. */
  served(queuedAt: number, now: number): void {
    this.avgWaitSec = this.avgWaitSec * 0.8 + ((now - queuedAt) / 1000) * 0.2;
  }

  /** One update within SOON_MS, however many calls come meanwhile (a recovery's re-announces). */
  private soon(): void {
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
    for (const { e, position } of this.planner.plan(now)) this.tell(e, position);
    // a held-back change goes out when due, even if the queue stays quiet until then: the timer
    // is (re)armed for the oldest notice's 10 s (it may find nothing moved: then it sends nothing)
    const nextAt = this.planner.nextAt();
    if (nextAt === undefined || nextAt >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = nextAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.update();
      this.release();
    }, Math.max(0, nextAt - now));
    this.timer.unref();
  }
}

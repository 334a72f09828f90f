// What a tenant router needs from its shard (the journal, staging and release of outputs, the
// settings it runs with) and which agent operations it answers. Its own file so the shard side
// (routing.ts, agent-side.ts) and the router agree on it without importing the router.
import type { Journal } from '../../src/store/journal.ts';
import type { ReplayReason } from '../actor/poll-replay.ts';
import type { AgentOp, EngagementAgentOp, ShardOut } from '../../src/protocol/shard.ts';

export interface RouterIo {
  readonly journal: Journal;
  stage(o: ShardOut): void;
  sendNow(o: ShardOut): void;
  /** a poll answer moved a journaled cursor: the batch's outputs leave at once (workers/shard.ts) */
  cursorMoved(): void;
  /** releases what a timer staged, after its journal barrier */
  release(): void;
  readonly longPollMs: number;
  /** a poll repeating the last answered poll's sequenceNumber within this long gets its batch again; 0: never */
  readonly pollReplayMs: number;
  /** an agent poll's answer started before its cursor (counted for the metrics) */
  readonly replayed: (reason: ReplayReason) => void;
  readonly offerTimeoutMs: number;
  /** how long a delivery mark outlives its engagement's end (delivery-marks.ts) */
  readonly markRetainMs: number;
  /** a session whose agent has not called for this long (no poll parked, no socket) is logged off; 0: never */
  readonly agentIdleMs: number;
  /** agent WebSockets one session keeps; a newer one closes the oldest (4009) */
  readonly wsMaxPerSession: number;
}

/** The agent ops the tenant's home shard answers (the rest go to the engagement's shard). */
export type HomeOp = Exclude<AgentOp, EngagementAgentOp>;

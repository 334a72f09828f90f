// What a tenant router needs from its shard (the journal, staging and release of outputs, the
// settings it runs with) and which agent operations it answers. Its own file so the shard side
// (routing.ts, agent-side.ts) and the router agree on it without importing the router.
import type { Journal } from '../../src/store/journal.ts';
import type { AgentOp, EngagementAgentOp } from '../../src/protocol/shard.ts';
import type { InboxIo } from './inbox.ts';

/** The staging, cursor and long-poll settings of agent inboxes (inbox.ts), and the router's own. */
export interface RouterIo extends InboxIo {
  readonly journal: Journal;
  /** releases what a timer staged, after its journal barrier */
  release(): void;
  readonly offerTimeoutMs: number;
  /** how long a delivery mark outlives its engagement's end (delivery-marks.ts) */
  readonly markRetainMs: number;
  /** a session whose agent has not called for this long (no poll parked, no socket) is logged off; 0: never */
  readonly agentIdleMs: number;
  /** agent WebSockets one session keeps; a newer one closes the oldest (4009) */
  readonly wsMaxPerSession: number;
  /** bytes of socket-sent inbox entries a session keeps for resumes (AgentSession): 2 × PARLEY_WS_MAX_BACKPRESSURE */
  readonly socketKeepBytes: number;
}

/** The agent ops the tenant's home shard answers (the rest go to the engagement's shard). */
export type HomeOp = Exclude<AgentOp, EngagementAgentOp>;

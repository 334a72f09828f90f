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
// Who is due is found without walking the queue: wait-planner.ts.
import { POSITION_UNKNOWN, type QueueEntry } from './queue.ts';

export const WAIT_UPDATE_MS = 10_000;
export const WAIT_NEAR = 3;

/** Whether `e`, now at `position`, is told it at `now`. */
export function isDue(e: QueueEntry, position: number, now: number): boolean {
  if (e.lastPosition === position) return false;
  // restored and not yet vouched for by its engagement's shard: only the time term applies
  const known = e.lastPosition !== POSITION_UNKNOWN;
  return (known && (e.lastPosition === 0 || position <= WAIT_NEAR || position * 2 <= e.lastPosition)) || now - e.lastSentAt >= WAIT_UPDATE_MS;
}

// Which waiting consumers are told their new queue position (RNEngagementWaitInformationChangedMessage,
// journaled on the engagement's shard). Telling every waiting consumer on every change costs O(n²)
// messages to drain a queue of n; this rule makes it O(n·log n) plus a time term.
//
// Rule (docs/agent-routing.md): a consumer is sent its position only when it changed since the
// last one it was told, AND one of:
//   - it was never told one (just queued, or the home shard restarted),
//   - the new position is ≤ WAIT_NEAR (the last few steps are always shown),
//   - the new position is at most half the last one told,
//   - WAIT_UPDATE_MS have passed since its last update.
// A change held back by the rule is sent by a trailing timer once its WAIT_UPDATE_MS are up, so
// no consumer is left with a stale position when the queue goes quiet.
// Bound for draining a queue of n in time T: ≤ n·(log2 n + WAIT_NEAR + 1) + n·⌈T / WAIT_UPDATE_MS⌉.
import type { QueueEntry } from './queue.ts';

export const WAIT_UPDATE_MS = 10_000;
export const WAIT_NEAR = 3;

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
    const due = e.lastPosition === 0 || position <= WAIT_NEAR || position * 2 <= e.lastPosition || now - e.lastSentAt >= WAIT_UPDATE_MS;
    if (due) {
      send.push(x);
      continue;
    }
    const at = e.lastSentAt + WAIT_UPDATE_MS;
    if (nextAt === undefined || at < nextAt) nextAt = at;
  }
  return { send, nextAt };
}

// Which open engagements their consumer abandoned. Selection only; ShardState concludes them.
//
// A consumer who closed the page never concludes: without this the engagement stayed open for
// good — held in memory, and offered to agents from the queue as a ghost. A live consumer is never
// silent this long: a chat front keeps a long poll parked (re-polling at least every
// PARLEY_LONG_POLL_MS) or a WebSocket open (uWS pings drop a dead one within ~2 minutes). They are
// concluded as the end user's disconnection, as Oracle's legacy protocol names it. At most
// ABANDONED_PER_SWEEP per sweep, so a mass departure (consumers who never came back after an
// outage) becomes a few modest group commits rather than one huge batch.
import type { Engagement } from './engagement.ts';

export const ABANDONED_PER_SWEEP = 2000;

/** Open engagements silent for over `idleMs` (0: never), at most ABANDONED_PER_SWEEP. */
export function abandonedEngagements(engagements: Iterable<Engagement>, now: number, idleMs: number): Engagement[] {
  if (idleMs <= 0) return [];
  const out: Engagement[] = [];
  for (const eng of engagements) {
    // connected now (a poll parked, a socket open): in contact until now, so a reader who only
    // listens on a socket and loses it for a moment is not concluded for having posted nothing
    if (eng.poll !== undefined || eng.ws.size > 0) eng.lastContactAt = now;
    if (eng.concluded || now - eng.lastContactAt <= idleMs) continue;
    out.push(eng);
    if (out.length === ABANDONED_PER_SWEEP) break;
  }
  return out;
}

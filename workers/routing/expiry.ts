// What the home shard's periodic sweep retires: agent sessions nobody is behind any more, and waits
// that outlasted the tenant's limit. Selection only; the router acts on the result.
import type { AgentSession } from './agent-session.ts';
import type { QueueEntry } from './queue.ts';

/**
 * An agent whose desktop closed never logs off: its session stayed available for good, so every new
 * engagement was offered to it first and waited out the offer timeout, and the chats it held waited
 * for an agent who was gone. A live agent client keeps a long poll parked (re-polling at least every
 * PARLEY_LONG_POLL_MS) or a WebSocket open; a session silent for `idleMs` (0: never) is logged off.
 * A session connected now is stamped in contact until now: the countdown starts when its client
 * goes away, not at its last call (a socket-only client that reconnects is not logged off).
 */
export function silentSessions(sessions: Iterable<AgentSession>, now: number, idleMs: number): AgentSession[] {
  if (idleMs <= 0) return [];
  const out: AgentSession[] = [];
  for (const s of sessions) {
    if (s.poll !== undefined || s.ws.size > 0) s.lastContactAt = now;
    else if (now - s.lastContactAt > idleMs) out.push(s);
  }
  return out;
}

/**
 * The tenant's queueTimeoutSec (0: no limit): an engagement that waited longer leaves the queue and
 * is concluded QUEUE_TIMEOUT, a reason Oracle's chat clients know. The wait counts from when it last
 * entered the queue: one an agent hands back (release, reroute, logoff) starts a new wait, however
 * long its conversation was. Should the process die before its shard concludes it, recovery
 * re-announces the engagement with its original arrival time, and the next sweep times it out again.
 */
export function overdueWaits(entries: Iterable<QueueEntry>, now: number, limitSec: number): QueueEntry[] {
  if (limitSec <= 0) return [];
  const out: QueueEntry[] = [];
  for (const e of entries) if (now - (e.queuedAt ?? e.at) > limitSec * 1000) out.push(e);
  return out;
}

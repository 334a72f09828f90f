// What the home shard's periodic sweep retires: agent sessions nobody is behind any more. Selection
// only; the router acts on the result. (Waits that outlast the tenant's limit are timed out on their
// own timer, queue-deadlines.ts: the sweep's period is too coarse for them.)
import type { AgentSession } from './agent-session.ts';

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

// A logon on an account that already has a session replaces it (a restarted bot has lost its
// session id; `logonOverride` or not). The old session's inbox dies with it, so what its client
// was not handed yet moves to the new session, and the new session is told which engagements it
// now holds — else the customer posts acknowledged meanwhile never reached the agent, and a chat
// that concluded meanwhile kept its slot taken forever (no ChatDisconnectNotification, so no
// releaseChat).
//
// Runs inside the logon's batch, before the old session's keys are erased: the carried and
// re-announced entries are journaled inbox entries of the new session in the same group commit
// as the old session's removal, so after kill -9 either the old session with its inbox or the new
// one with the carried entries exists — each entry is in exactly one inbox, once.
import type { AgentSession, InboxEntry } from './agent-session.ts';
import { DISCONNECT, disconnectOf } from './ended-notice.ts';

const ADDED = 'ChatEngagementParticipantAdded';
/** offers belong to the old session and are revoked by the takeover; the engagement is offered afresh */
const OFFER_TYPES = new Set(['ChatEngagementAssignmentNotification', 'ChatEngagementAssignmentRevokedNotification']);

interface Parsed {
  entry: InboxEntry;
  type: string;
  engagementId: number | undefined;
  clientId: number | undefined;
}

function parse(entry: InboxEntry): Parsed {
  const o = JSON.parse(entry.json) as Record<string, Record<string, unknown> | undefined>;
  const type = Object.keys(o)[0] ?? '';
  const f = o[type] ?? {};
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  return { entry, type, engagementId: num(f.engagementId), clientId: num(f.clientId) };
}

/**
 * Gives `s` (the new session, holding `old`'s engagements, with no poll or socket yet) first a
 * re-announcement of each held engagement its carried entries do not announce — its own
 * ChatEngagementParticipantAdded for an open one, a ChatDisconnectNotification for a concluded
 * one (the slot stays taken until releaseChat) — marked `resumed: true`, then `old`'s entries
 * of held engagements after its journaled long-poll cursor, in order, renumbered into `s`'s
 * sequence. Returns how many entries were carried.
 *
 * Only the long-poll cursor counts as handed: it is the one position that is journaled (a
 * socket's is live only, and its client resumes with ?after=, which a restarted bot no longer
 * has), so a client that read the old session over a WebSocket gets its held chats' entries again
 * — those the old session still kept: INBOX_KEEP (and socketKeepBytes of entries) behind what its sockets were sent, and every one
 * they were not. Entries of engagements the account no longer holds (released, rerouted, ejected) are
 * not carried: the new session could not act on them.
 */
export function carryInbox(old: AgentSession, s: AgentSession, now: number): number {
  const held = new Set(s.rec.held.map((h) => h.engagementId));
  const pending = old
    .after(old.cursor)
    .map(parse)
    .filter((p) => !OFFER_TYPES.has(p.type) && p.engagementId !== undefined && held.has(p.engagementId));
  const announced = new Set<number>();
  const lastType = new Map<number, string>();
  for (const p of pending) {
    if (p.engagementId === undefined) continue;
    if (p.type === ADDED && p.clientId === s.rec.clientId) announced.add(p.engagementId);
    lastType.set(p.engagementId, p.type);
  }
  for (const h of s.rec.held) {
    const id = h.engagementId;
    if (h.concluded) {
      if (lastType.get(id) === DISCONNECT) continue;
      s.append(DISCONNECT, { ...disconnectOf(h), resumed: true }, now);
    } else if (!announced.has(id)) {
      s.append(ADDED, {
        engagementId: id, engagementIdString: String(id), clientId: s.rec.clientId, clientIdString: String(s.rec.clientId), name: s.rec.name,
        greeting: greetingOf(s.rec.name), role: 'LEAD', virtualAgent: false, accountId: s.rec.accountId, accountIdString: String(s.rec.accountId), resumed: true,
      }, now);
    }
  }
  for (const p of pending) s.appendRenumbered(p.entry);
  return pending.length;
}

/** The greeting an agent joins with (sent to E with the assignment, shown to the customer). */
export function greetingOf(name: string): string {
  return `Hi, I'm ${name}. How can I help?`;
}

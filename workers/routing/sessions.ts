// Agent sessions coming and going on the tenant's home shard: a logon (one session per account: a
// new one takes over the old, takeover.ts) and a session's end — a logoff, or one the router ends
// as a logoff (a silent client, expiry.ts; an agent the tenant's document no longer lists,
// roster.ts) — which hands the chats it held open back to the queue.
import type { AgentOp, ShardOut, TenantSnapshot } from '../../src/protocol/shard.ts';
import { twin } from '../../src/protocol/json.ts';
import { newAgentSessionId } from '../../src/router/ids.ts';
import { AgentSession, agentClientIdOf, type SessionRecord } from './agent-session.ts';
import type { RouterParts } from './router-parts.ts';
import { timeoutBody } from './inbox.ts';
import { carryInbox } from './takeover.ts';
import { requeue } from './held-chats.ts';

export function addSession(p: RouterParts, s: AgentSession): void {
  p.sessions.set(s.token, s);
  p.byAccount.set(s.rec.accountId, s);
  for (const h of s.rec.held) p.holders.set(h.engagementId, s);
}

export function announce(p: RouterParts, s: AgentSession, up: boolean, now = false): void {
  const o: ShardOut = { k: 'agentSession', up, site: p.site, token: s.token, accountId: s.rec.accountId, clientId: s.rec.clientId, name: s.rec.name };
  if (now) p.io.sendNow(o);
  else p.io.stage(o);
}

export function logon(p: RouterParts, agents: TenantSnapshot['agents'], id: number, op: Extract<AgentOp, { op: 'agentLogon' }>): void {
  if (p.usedTokens.has(op.jti)) return p.fail(id, 'INVALID_TOKEN');
  // the main thread checked the account against its config; this shard has that config or a newer
  const account = agents.find((a) => a.accountId === op.accountId && a.user === op.user);
  if (!account) return p.fail(id, 'ACCESS_DENIED');
  const now = Date.now();
  p.usedTokens.use(op.jti, op.jwtExp);
  const old = p.byAccount.get(op.accountId);
  const rec: SessionRecord = {
    token: newAgentSessionId(), accountId: op.accountId, clientId: agentClientIdOf(op.accountId), name: op.name,
    status: 'UNAVAILABLE', requested: false, max: 1, held: [], createdAt: now, user: account.user, credential: account.credential,
  };
  // one session per account: a new logon takes over (a restarted bot has lost its old session id);
  // the engagements it held move to the new session with what its client was not handed yet
  // (takeover.ts), the old id answers 403 from now on
  const s = new AgentSession(rec, p.io.journal, p.keys, p.io.socketKeepBytes);
  if (old) {
    rec.held = old.rec.held;
    rec.max = old.rec.max;
    carryInbox(old, s, now);
    p.offers.revoke(old, 'AGENT_UNAVAILABLE');
    dropSession(p, old);
  }
  s.save();
  addSession(p, s);
  announce(p, s, true);
  p.reply(id, {
    sessionId: s.token,
    chatLogonResult: { ...twin('accountId', rec.accountId), ...twin('clientId', rec.clientId), sessionId: s.token },
    ...twin('accountId', rec.accountId),
    ...twin('clientId', rec.clientId),
  }, op.seq);
}

/** Ends `list` as logoffs, then offers and queue positions catch up (once, when any ended). */
export function endSessions(p: RouterParts, list: AgentSession[]): void {
  for (const s of list) endSession(p, s, 'TRANSFERRED_TO_QUEUE');
  if (list.length === 0) return;
  p.offers.dispatch();
  p.waits.update();
}

/** Forgets a session: keys, directory entry, parked poll, sockets. Held engagements are the caller's. */
function dropSession(p: RouterParts, s: AgentSession): void {
  p.sessions.delete(s.token);
  if (p.byAccount.get(s.rec.accountId) === s) p.byAccount.delete(s.rec.accountId);
  for (const h of s.rec.held) if (p.holders.get(h.engagementId) === s) p.holders.delete(h.engagementId);
  s.erase();
  announce(p, s, false);
  if (s.poll) {
    clearTimeout(s.poll.timer);
    p.io.stage({ k: 'reply', id: s.poll.id, status: 200, json: timeoutBody(s.poll.seq) });
    s.poll = undefined;
  }
  for (const wsId of s.ws.keys()) p.io.stage({ k: 'agentWsEnd', wsId });
  s.ws.clear();
}

/**
 * Logoff: engagements still open go back to the head of the queue (TRANSFERRED_TO_QUEUE, spec
 * §7.9) in their customers' order of arrival: each requeue goes in front of the last, so the
 * youngest first (in acceptance order they came back newest-first). Concluded ones awaiting their
 * release are held by nobody from now on: dropSession takes them out of `holders` (emptied before
 * it, the held list left them there, pointing at the ended session, until a restart).
 */
function endSession(p: RouterParts, s: AgentSession, reason: string): void {
  p.offers.revoke(s, 'AGENT_UNAVAILABLE');
  const open = s.rec.held.filter((h) => !h.concluded).sort((x, y) => y.at - x.at);
  for (const h of open) requeue(p, h, s, reason, []);
  dropSession(p, s);
  s.rec.held = [];
}

// The chats agents hold (accepted, not yet released) and the agent operations on them: the answer
// to an offer (ACCEPT, DECLINE), releaseChat, rerouteEngagement and rerouteAvailability, and the
// requeue that hands an open chat back to the queue (a release or reroute before its conclusion,
// a logoff: sessions.ts). E hears of each change as a one-way event (assign, unassign).
import type { AgentOp } from '../../src/protocol/shard.ts';
import { twin, type Int64 } from '../../src/protocol/json.ts';
import { consumerClientIdOf } from '../actor/engagement.ts';
import { freeSlots, type AgentSession, type Held } from './agent-session.ts';
import type { RouterParts } from './router-parts.ts';
import { agentRoutingReply } from './replies.ts';
import { greetingOf } from './takeover.ts';
import { timeOut } from './endings.ts';

export function acknowledge(p: RouterParts, id: number, s: AgentSession, op: Extract<AgentOp, { op: 'assignmentAcknowledgement' }>): void {
  const e = p.queue.get(op.engagementId);
  if (!e) {
    const holder = p.holders.get(op.engagementId);
    if (holder) return p.fail(id, 'CONFLICT', holder === s ? 'This agent already accepted this engagement.' : 'Another agent already accepted this engagement.');
    // no offer open: its offer to this session was withdrawn (timed out of the queue, the chat
    // ended), or it exists — ended, or open without an agent (one ejected) — and was never offered
    // here; a known chat is no 404, as for the other calls on it (notHeld)
    return p.fail(id, s.withdrawn.has(op.engagementId) || p.marks.has(op.engagementId) ? 'OFFER_UNKNOWN' : 'ENGAGEMENT_ID_UNKNOWN');
  }
  // past the queue timeout, before its timer acted: timed out now, not won by a late ACCEPT
  if (p.deadlines.overdue(e, Date.now())) {
    timeOut(p, [e], Date.now());
    return p.fail(id, 'OFFER_UNKNOWN');
  }
  if (e.offeredTo !== s.token) return p.fail(id, 'OFFER_UNKNOWN');
  if (op.action !== 'ACCEPT') {
    p.offers.decline(e, s, op.action === 'UNAVAILABLE');
    p.offers.dispatch();
    return p.reply(id, { chatAssignmentAcknowledgementResult: { clientList: [] } }, op.seq);
  }
  const now = Date.now();
  p.offers.clear(e, s);
  p.queue.remove(e.engagementId);
  p.waits.served(e.at, now);
  const held: Held = { engagementId: e.engagementId, queueId: e.queueId, name: e.name, question: e.question, at: e.at, concluded: false };
  s.rec.held.push(held);
  s.save();
  p.holders.set(e.engagementId, s);
  assignOnE(p, held, s);
  p.waits.update();
  p.offers.dispatch();
  p.reply(id, {
    chatAssignmentAcknowledgementResult: {
      clientList: [{ ...twin('clientId', consumerClientIdOf(e.engagementId)), name: e.name, role: 'END_USER', ...twin('engagementId', e.engagementId) }],
    },
  }, op.seq);
}

export function assignOnE(p: RouterParts, h: Held, s: AgentSession): void {
  p.toE({ t: 'assign', engagementId: h.engagementId, accountId: s.rec.accountId, clientId: s.rec.clientId, name: s.rec.name, greeting: greetingOf(s.rec.name), token: s.token });
}

/**
 * Why `s` cannot act on an engagement it does not hold: NOT_PARTICIPANT when it exists — held,
 * waiting, known by its deliveries (an agent ejected from it, a release already done) or by its
 * end (one that concluded while it waited, never held) — else ENGAGEMENT_ID_UNKNOWN. H does not
 * see every engagement for good: an ended one only while its mark is kept (delivery-marks.ts).
 */
function notHeld(p: RouterParts, engagementId: number): 'NOT_PARTICIPANT' | 'ENGAGEMENT_ID_UNKNOWN' {
  return p.holders.has(engagementId) || p.queue.get(engagementId) || p.marks.has(engagementId) ? 'NOT_PARTICIPANT' : 'ENGAGEMENT_ID_UNKNOWN';
}

/** `s` no longer holds `h` (released, rerouted, ejected on E); its slot is free again. */
export function unhold(p: RouterParts, s: AgentSession, h: Held): void {
  s.rec.held = s.rec.held.filter((x) => x !== h);
  s.save();
  p.holders.delete(h.engagementId);
}

export function release(p: RouterParts, id: number, s: AgentSession, engagementId: number, seq: Int64 | undefined): void {
  const h = s.holds(engagementId);
  if (!h) return p.fail(id, notHeld(p, engagementId));
  unhold(p, s, h);
  // released before it was concluded: the agent hands it back to the queue, for another agent
  // (as a reroute; its next requestAssignment makes it eligible again: a lone agent gets it back)
  if (!h.concluded) requeue(p, h, s, 'TRANSFERRED_TO_QUEUE', [s.token]);
  p.offers.dispatch();
  p.waits.update();
  p.reply(id, { chatReleaseEngagementResult: {} }, seq);
}

export function reroute(p: RouterParts, id: number, s: AgentSession, engagementId: number, seq: Int64 | undefined): void {
  const h = s.holds(engagementId);
  if (!h) return p.fail(id, notHeld(p, engagementId));
  if (h.concluded) return p.fail(id, 'ENGAGEMENT_CONCLUDED');
  unhold(p, s, h);
  // escalation: the next queue of the tenant, and not straight back to the agent who rerouted it
  requeue(p, { ...h, queueId: escalationQueue(p, h.queueId) }, s, 'TRANSFERRED_TO_QUEUE', [s.token]);
  p.offers.dispatch();
  p.waits.update();
  p.reply(id, { ...twin('clientId', s.rec.clientId), ...twin('engagementId', engagementId) }, seq);
}

export function rerouteAvailability(p: RouterParts, id: number, s: AgentSession, engagementId: number): void {
  const where = whereIs(p, engagementId);
  // concluded (awaiting its release, released, or ended while it waited): nowhere to go, whoever asks
  if (where ? where.concluded : p.marks.hasEnded(engagementId)) return p.fail(id, 'ENGAGEMENT_CONCLUDED');
  // open and not `s`'s — waiting, offered, another agent's, or nobody's (Tier-1 ejected its agent):
  // `s` cannot reroute it (reroute: notHeld), so it is told no figures of it either
  const h = s.holds(engagementId);
  if (!h) return p.fail(id, notHeld(p, engagementId));
  const queueId = escalationQueue(p, h.queueId);
  const free = freeSlots(p.sessions.values());
  p.reply(id, agentRoutingReply(engagementId, queueId, free, p.queue.count(queueId), p.waits.avgWaitSec));
}

export function requeue(p: RouterParts, h: Held, s: AgentSession, reason: string, declined: string[]): void {
  const id = h.engagementId;
  p.holders.delete(id);
  p.toE({ t: 'unassign', engagementId: id, clientId: s.rec.clientId, reason, requeued: true });
  p.deadlines.add(p.queue.add({ engagementId: id, queueId: h.queueId, at: h.at, queuedAt: Date.now(), name: h.name, question: h.question, declined }, true));
  // offered once E says it is still open: a conclusion E already has (the agent's concludeChat
  // sent with this release, the customer's) may not have reached this shard yet. E answers after
  // the unassign (FIFO per shard pair); an answer lost with E's thread holds it CONFIRM_WAIT_MS.
  p.queue.hold(id);
  p.toE({ t: 'check', site: p.site, engagementId: id, confirm: true });
  p.offers.offerUnconfirmedLater(() => p.queue.confirm(id));
}

function escalationQueue(p: RouterParts, queueId: number): number {
  const ids = p.queueIds;
  const i = ids.indexOf(queueId);
  return ids[(i + 1) % ids.length] ?? queueId;
}

function whereIs(p: RouterParts, engagementId: number): { queueId: number; concluded: boolean } | undefined {
  const e = p.queue.get(engagementId);
  return e ? { queueId: e.queueId, concluded: false } : p.holders.get(engagementId)?.holds(engagementId);
}

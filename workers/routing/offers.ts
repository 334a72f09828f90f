// Offers of waiting engagements to agents (spec §7.4) for one tenant's router: who gets the next
// one, the offer timeout, revocation. An offer is a queue-entry field (`offeredTo`, journaled with
// the entry) plus the session's `offers` set; both change only here and in an ACCEPT (held-chats.ts).
import { consumerClientIdOf } from '../actor/engagement.ts';
import { freeSlots, type AgentSession } from './agent-session.ts';
import { deliver } from './inbox.ts';
import type { TenantQueue, QueueEntry } from './queue.ts';
import type { RouterIo } from './router-io.ts';

const OFFER_TYPE = 'ChatEngagementAssignmentNotification';
const REVOKE_TYPE = 'ChatEngagementAssignmentRevokedNotification';
/** how long a restored or requeued entry waits for its engagement shard's word before it is offered */
const CONFIRM_WAIT_MS = 2_000;

export class Offers {
  constructor(
    private readonly queue: TenantQueue,
    private readonly sessions: ReadonlyMap<string, AgentSession>,
    private readonly io: RouterIo,
  ) {}

  /** Offers waiting engagements, oldest first, each to the eligible agent with the most free slots. */
  dispatch(): void {
    const now = Date.now();
    // no eligible agent with a free slot: nothing to offer (skip ranking a possibly long queue)
    let free = freeSlots(this.sessions.values());
    if (free === 0 || this.queue.size === 0) return;
    // queues behind an entry still waiting for its engagement shard's word (a requeue, a recovery):
    // a younger chat confirmed first is not offered ahead of it (at most CONFIRM_WAIT_MS)
    let held: Set<number> | undefined;
    for (const e of this.queue.ordered()) {
      if (free === 0) break;
      if (e.offeredTo !== undefined) continue;
      if (!this.queue.offerable(e)) {
        (held ??= new Set()).add(e.queueId);
        continue;
      }
      if (held?.has(e.queueId)) continue;
      let best: AgentSession | undefined;
      for (const s of this.sessions.values()) {
        if (!s.eligible || s.free <= 0 || e.declined.includes(s.token)) continue;
        if (!best || s.free > best.free || (s.free === best.free && s.lastOfferAt < best.lastOfferAt)) best = s;
      }
      if (!best) continue;
      e.offeredTo = best.token;
      e.offeredAt = now;
      best.offers.add(e.engagementId);
      best.lastOfferAt = now;
      free--;
      this.queue.save(e);
      // literal int64 pairs, not twin() spreads (docs/performance.md, "The chat path")
      const clientId = consumerClientIdOf(e.engagementId);
      const waited = Math.round((now - e.at) / 1000);
      deliver(this.io, best, OFFER_TYPE, {
        engagementId: e.engagementId, engagementIdString: String(e.engagementId), queueId: e.queueId, queueIdString: String(e.queueId),
        clientId, clientIdString: String(clientId), assignmentType: 'LEAD', name: e.name, question: e.question,
        offerTimeoutSeconds: Math.round(this.io.offerTimeoutMs / 1000), waitTimeSeconds: waited, waitTimeSecondsString: String(waited),
      }, now);
      this.arm(e, best, this.io.offerTimeoutMs);
    }
  }

  arm(e: QueueEntry, s: AgentSession, ms: number): void {
    clearTimeout(e.timer);
    e.timer = setTimeout(() => {
      if (this.queue.get(e.engagementId) !== e || e.offeredTo !== s.token) return;
      // unanswered: the engagement goes to the next agent
      this.passOn(e, s);
      if (this.sessions.get(s.token) === s) this.tellRevoked(s, e.engagementId, 'OFFER_TIMEOUT', Date.now());
      this.dispatch();
      this.io.release();
    }, ms);
  }

  clear(e: QueueEntry, s: AgentSession | undefined): void {
    clearTimeout(e.timer);
    e.timer = undefined;
    s?.offers.delete(e.engagementId);
    delete e.offeredTo;
    delete e.offeredAt;
  }

  /** DECLINE (or UNAVAILABLE: the agent also stops taking offers): the engagement goes to the next agent. */
  decline(e: QueueEntry, s: AgentSession, unavailable: boolean): void {
    this.passOn(e, s);
    if (!unavailable) return;
    s.rec.status = 'UNAVAILABLE';
    s.save();
    this.revoke(s, 'AGENT_UNAVAILABLE');
  }

  /** Its offer to `s` ended unaccepted (declined, timed out): the engagement goes to the next agent. */
  private passOn(e: QueueEntry, s: AgentSession): void {
    this.clear(e, s);
    e.declined.push(s.token);
    this.queue.save(e);
  }

  /** After CONFIRM_WAIT_MS, entries still waiting for their shard's word are offered (`confirm`: whether there was one). */
  offerUnconfirmedLater(confirm: () => boolean): void {
    setTimeout(() => {
      if (!confirm()) return;
      this.dispatch();
      this.io.release();
    }, CONFIRM_WAIT_MS).unref();
  }

  /** Takes a waiting engagement off the queue; the agent it was offered to hears the offer is gone. */
  withdraw(e: QueueEntry, reason: string, now: number): void {
    const s = e.offeredTo !== undefined ? this.sessions.get(e.offeredTo) : undefined;
    this.clear(e, s);
    this.queue.remove(e.engagementId);
    if (s) this.tellRevoked(s, e.engagementId, reason, now);
  }

  revoke(s: AgentSession, reason: string): void {
    for (const engagementId of [...s.offers]) {
      const e = this.queue.get(engagementId);
      s.offers.delete(engagementId);
      if (!e || e.offeredTo !== s.token) continue;
      this.clear(e, s);
      this.queue.save(e);
      if (this.sessions.get(s.token) === s) this.tellRevoked(s, engagementId, reason, Date.now());
    }
  }

  /** The agent hears that the offer of `engagementId` is gone (`reason`). */
  tellRevoked(s: AgentSession, engagementId: number, reason: string, now: number): void {
    s.noteWithdrawn(engagementId);
    deliver(this.io, s, REVOKE_TYPE, { engagementId, engagementIdString: String(engagementId), reason }, now);
  }
}

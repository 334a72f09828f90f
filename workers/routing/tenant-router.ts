// One tenant's routing state on its home shard: agent sessions, the queue, open offers. Agents and
// engagements meet here only through one-way cross-shard events (CrossEvent); a chat message
// never waits on this shard — the engagement's shard sends its agent deliveries here to be
// numbered into the agent inboxes, and this shard never answers back.
//
// Output discipline as on the engagement side: replies and events are staged and released after
// the journal barrier of the batch (or, for an offer or a wait timing out and the periodic sweep, of their own release()).
import type { AgentOp, AgentWho, CrossEvent, ShardOut, TenantSnapshot, ToHome } from '../../src/protocol/shard.ts';
import type { HomeOp, RouterIo } from './router-io.ts';
import { assertNever, beyondEnd } from '../../src/protocol/shard.ts';
import { codedError, type ErrorCode, type Fail } from '../../src/errors.ts';
import { stringify, twin, withPair, type Int64 } from '../../src/protocol/json.ts';
import { newAgentSessionId, vshardOfId } from '../../src/router/ids.ts';
import { consumerClientIdOf } from '../actor/engagement.ts';
import { AgentSession, Keys, agentClientIdOf, type Held, type SessionRecord } from './agent-session.ts';
import { TenantQueue, type QueueEntry } from './queue.ts';
import { agentRoutingReply, queueStatsBody, retrieveBody, UNKNOWN_QUEUE } from './replies.ts';
import { deliver, getMessages, subscribe, timeoutBody } from './inbox.ts';
import { cancelPoll } from '../actor/poll-replay.ts';
import { DeliveryMarks } from './delivery-marks.ts';
import { WaitNotifier } from './wait-updates.ts';
import { carryInbox, greetingOf } from './takeover.ts';
import { tellEnded } from './ended-notice.ts';
import { Offers } from './offers.ts';
import { silentSessions } from './expiry.ts';
import { QueueDeadlines } from './queue-deadlines.ts';
import { UsedTokens } from './used-tokens.ts';
import { unlistedSessions } from './roster.ts';
import { restoreRouting } from './restore.ts';

/** how long a restored queue entry waits for its engagement shard's word before it is offered */
const CONFIRM_WAIT_MS = 2_000;

export class TenantRouter {
  private readonly keys: Keys;
  readonly sessions = new Map<string, AgentSession>();
  private readonly byAccount = new Map<number, AgentSession>();
  private readonly queue: TenantQueue;
  private readonly marks: DeliveryMarks;
  /** engagement id → the session holding it */
  private readonly holders = new Map<number, AgentSession>();
  private readonly waits: WaitNotifier;
  private readonly offers: Offers;
  private readonly usedTokens: UsedTokens;
  private readonly deadlines: QueueDeadlines;

  constructor(
    private tenant: TenantSnapshot,
    private readonly io: RouterIo,
  ) {
    this.keys = new Keys(tenant.site);
    this.queue = new TenantQueue(io.journal, this.keys);
    this.marks = new DeliveryMarks(io.journal, this.keys, io.markRetainMs);
    this.offers = new Offers(this.queue, this.sessions, io);
    this.usedTokens = new UsedTokens(io.journal, this.keys);
    this.waits = new WaitNotifier(this.queue, (m) => this.toE({ t: 'wait', ...m }), () => this.io.release());
    this.deadlines = new QueueDeadlines(this.queue, (due, now) => {
      this.timeOut(due, now);
      this.io.release();
    });
    this.deadlines.setLimit(tenant.queueTimeoutSec ?? 0);
  }

  get site(): string {
    return this.tenant.site;
  }

  setTenant(t: TenantSnapshot): void {
    this.tenant = t;
    this.deadlines.setLimit(t.queueTimeoutSec ?? 0);
    this.endUnlisted();
  }

  /** Sessions of agents the document no longer lists as they signed in end as logoffs (roster.ts). */
  private endUnlisted(): void {
    const gone = unlistedSessions(this.sessions.values(), this.tenant.agents);
    for (const s of gone) this.endSession(s, 'TRANSFERRED_TO_QUEUE');
    if (gone.length === 0) return;
    this.offers.dispatch();
    this.waits.update();
  }

  private get queueIds(): number[] {
    const q = this.tenant.queues?.map((x) => x.id) ?? [];
    return q.length ? q : [1];
  }

  // ── recovery ────────────────────────────────────────────────────────────────────────────────
  /** Rebuilds sessions, inboxes and the queue from meta; announces sessions to the main thread. */
  recover(now = Date.now()): void {
    this.marks.restore(now);
    this.usedTokens.restore(now);
    const { io, keys, queue, offers, sessions } = this;
    restoreRouting({ io, keys, queue, offers, sessions, addSession: (s) => this.addSession(s), check: (engagementId) => this.toE({ t: 'check', site: this.site, engagementId }) }, now);
    // a change of the document while the process was down, or while this thread was being restarted
    this.endUnlisted();
    this.deadlines.rebuild();
    for (const s of this.sessions.values()) this.announce(s, true, true);
    // the restored entries wait for E's answers (enqueue/ended) before they are offered, and so do
    // the younger entries of their queue (offers.ts); a lost answer delays them by CONFIRM_WAIT_MS
    this.offerUnconfirmedLater(() => this.queue.confirmAll());
    this.offers.dispatch();
    this.waits.update();
  }

  private addSession(s: AgentSession): void {
    this.sessions.set(s.token, s);
    this.byAccount.set(s.rec.accountId, s);
    for (const h of s.rec.held) this.holders.set(h.engagementId, s);
  }

  private announce(s: AgentSession, up: boolean, now = false): void {
    const o: ShardOut = { k: 'agentSession', up, site: this.site, token: s.token, accountId: s.rec.accountId, clientId: s.rec.clientId, name: s.rec.name };
    if (now) this.io.sendNow(o);
    else this.io.stage(o);
  }

  // ── outputs ─────────────────────────────────────────────────────────────────────────────────
  private reply(id: number, body: Record<string, unknown>, seq?: Int64): void {
    const json = stringify(body);
    this.io.stage({ k: 'reply', id, status: 200, json: seq !== undefined ? withPair(json, 'sequenceNumber', seq) : json });
  }

  private readonly fail: Fail = (id: number, code: ErrorCode, message?: string): void => {
    this.io.stage({ k: 'fail', id, error: codedError(code, message) });
  };

  private toE(ev: CrossEvent & { engagementId: number }): void {
    this.io.stage({ k: 'fwd', vshard: vshardOfId(ev.engagementId), ev });
  }

  // ── agent operations ────────────────────────────────────────────────────────────────────────
  handle(id: number, op: HomeOp): void {
    if (op.op === 'agentLogon') return this.logon(id, op);
    if (op.op === 'queueStats') {
      if (op.queueId !== undefined && !this.queueIds.includes(op.queueId)) return this.fail(id, UNKNOWN_QUEUE.code, UNKNOWN_QUEUE.message);
      return this.reply(id, queueStatsBody(op, this.queue, [...this.sessions.values()], this.queueIds, this.waits.avgWaitSec));
    }
    if (op.op === 'agentWsUnsubscribe') {
      this.sessions.get(op.token)?.ws.delete(op.wsId);
      return;
    }
    const s = this.session(op.who);
    if (!s) return this.fail(id, 'SESSION_UNKNOWN');
    switch (op.op) {
      case 'agentGetMessages':
        return getMessages(this.io, s, id, op.seq);
      case 'setActivityStatus':
        s.rec.status = op.status === 'AVAILABLE' || op.status === 'UNAVAILABLE' ? op.status : 'NONE';
        s.save();
        if (!s.eligible) this.offers.revoke(s, 'AGENT_UNAVAILABLE');
        this.offers.dispatch();
        return this.reply(id, { chatActivityStatusChangeResult: { status: s.rec.status, subTypeId: op.subTypeId } }, op.seq);
      case 'requestAssignment':
        s.rec.requested = op.requested;
        s.rec.max = op.max;
        s.save();
        if (!s.eligible) this.offers.revoke(s, 'AGENT_UNAVAILABLE');
        // asking again is a fresh start: engagements this agent declined may come back to it
        if (op.requested) for (const e of this.queue.ordered()) if (e.declined.includes(s.token)) { e.declined = e.declined.filter((t) => t !== s.token); this.queue.save(e); }
        this.offers.dispatch();
        return this.reply(id, { chatRequestAssignmentResult: { ...twin('maxSessionCount', s.rec.max), ...twin('activeSessionCount', s.rec.held.length) } }, op.seq);
      case 'assignmentAcknowledgement':
        return this.acknowledge(id, s, op);
      case 'releaseChat':
        return this.release(id, s, op.engagementId, op.seq);
      case 'logoff':
        this.endSession(s, 'TRANSFERRED_TO_QUEUE');
        this.offers.dispatch();
        this.waits.update();
        return this.reply(id, { chatLogoffResult: {} }, op.seq);
      case 'retrieveAgentsAndQueues':
        return this.reply(id, retrieveBody(op, this.tenant, this.byAccount, this.queue, this.queueIds, agentClientIdOf), op.seq);
      case 'rerouteAvailability': {
        const where = this.whereIs(op.engagementId);
        // concluded (awaiting its release, released, or ended while it waited): nowhere to go
        if (where ? where.concluded : this.marks.hasEnded(op.engagementId)) return this.fail(id, 'ENGAGEMENT_CONCLUDED');
        if (!where) return this.fail(id, 'ENGAGEMENT_ID_UNKNOWN');
        const queueId = this.escalationQueue(where.queueId);
        const free = this.freeSlots();
        return this.reply(id, agentRoutingReply(op.engagementId, queueId, free, this.queue.count(queueId), this.waits.avgWaitSec));
      }
      case 'rerouteEngagement':
        return this.reroute(id, s, op.engagementId, op.seq);
      case 'agentWsSubscribe':
        if (op.after > s.nextSeq - 1) return this.fail(id, 'INVALID_FIELD', beyondEnd(op.after, s.nextSeq - 1));
        this.reply(id, { ...twin('clientId', s.rec.clientId), ...twin('accountId', s.rec.accountId) });
        return subscribe(this.io, s, op.wsId, op.after, this.io.wsMaxPerSession);
      default:
        assertNever(op);
    }
  }

  private session(who: AgentWho): AgentSession | undefined {
    const s = this.sessions.get(who.token);
    if (!s || s.rec.accountId !== who.accountId) return undefined;
    s.lastContactAt = Date.now();
    return s;
  }

  /** Periodic upkeep (the shard's sweep, expiry.ts): silent agents logged off. */
  sweep(now: number): void {
    this.usedTokens.sweep(now);
    const silent = silentSessions(this.sessions.values(), now, this.io.agentIdleMs);
    for (const s of silent) this.endSession(s, 'TRANSFERRED_TO_QUEUE');
    if (silent.length === 0) return;
    this.offers.dispatch();
    this.waits.update();
  }

  /** Waits past the tenant's queueTimeoutSec (queue-deadlines.ts): off the queue, concluded on E. */
  private timeOut(due: QueueEntry[], now: number): void {
    for (const e of due) {
      this.offers.withdraw(e, 'QUEUE_TIMEOUT', now);
      this.toE({ t: 'queueTimeout', engagementId: e.engagementId });
    }
    this.offers.dispatch();
    this.waits.update();
  }

  private logon(id: number, op: Extract<AgentOp, { op: 'agentLogon' }>): void {
    if (this.usedTokens.has(op.jti)) return this.fail(id, 'INVALID_TOKEN');
    // the main thread checked the account against its config; this shard has that config or a newer
    const account = this.tenant.agents.find((a) => a.accountId === op.accountId && a.user === op.user);
    if (!account) return this.fail(id, 'ACCESS_DENIED');
    const now = Date.now();
    this.usedTokens.use(op.jti, op.jwtExp);
    const old = this.byAccount.get(op.accountId);
    const rec: SessionRecord = {
      token: newAgentSessionId(), accountId: op.accountId, clientId: agentClientIdOf(op.accountId), name: op.name,
      status: 'UNAVAILABLE', requested: false, max: 1, held: [], createdAt: now, user: account.user, credential: account.credential,
    };
    // one session per account: a new logon takes over (a restarted bot has lost its old session id);
    // the engagements it held move to the new session with what its client was not handed yet
    // (takeover.ts), the old id answers 403 from now on
    const s = new AgentSession(rec, this.io.journal, this.keys);
    if (old) {
      rec.held = old.rec.held;
      rec.max = old.rec.max;
      carryInbox(old, s, now);
      this.offers.revoke(old, 'AGENT_UNAVAILABLE');
      this.dropSession(old);
    }
    s.save();
    this.addSession(s);
    this.announce(s, true);
    this.reply(id, {
      sessionId: s.token,
      chatLogonResult: { ...twin('accountId', rec.accountId), ...twin('clientId', rec.clientId), sessionId: s.token },
      ...twin('accountId', rec.accountId),
      ...twin('clientId', rec.clientId),
    }, op.seq);
  }

  /** Forgets a session: keys, directory entry, parked poll, sockets. Held engagements are the caller's. */
  private dropSession(s: AgentSession): void {
    this.sessions.delete(s.token);
    if (this.byAccount.get(s.rec.accountId) === s) this.byAccount.delete(s.rec.accountId);
    for (const h of s.rec.held) if (this.holders.get(h.engagementId) === s) this.holders.delete(h.engagementId);
    s.erase();
    this.announce(s, false);
    if (s.poll) {
      clearTimeout(s.poll.timer);
      this.io.stage({ k: 'reply', id: s.poll.id, status: 200, json: timeoutBody(s.poll.seq) });
      s.poll = undefined;
    }
    for (const wsId of s.ws.keys()) this.io.stage({ k: 'agentWsEnd', wsId });
    s.ws.clear();
  }

  /**
   * Logoff: engagements still open go back to the head of the queue (TRANSFERRED_TO_QUEUE, spec
   * §7.9) in their customers' order of arrival: each requeue goes in front of the last, so the
   * youngest first (in acceptance order they came back newest-first).
   */
  private endSession(s: AgentSession, reason: string): void {
    this.offers.revoke(s, 'AGENT_UNAVAILABLE');
    const open = s.rec.held.filter((h) => !h.concluded).sort((x, y) => y.at - x.at);
    for (const h of open) this.requeue(h, s, reason, []);
    s.rec.held = [];
    this.dropSession(s);
  }

  cancel(id: number, token: string): void {
    const s = this.sessions.get(token);
    if (s) cancelPoll(s, id);
  }

  private acknowledge(id: number, s: AgentSession, op: Extract<AgentOp, { op: 'assignmentAcknowledgement' }>): void {
    const e = this.queue.get(op.engagementId);
    if (!e) {
      const holder = this.holders.get(op.engagementId);
      if (holder) return this.fail(id, 'CONFLICT', holder === s ? 'This agent already accepted this engagement.' : 'Another agent already accepted this engagement.');
      // its offer to this session was withdrawn (timed out of the queue, the chat ended)
      return this.fail(id, s.withdrawn.has(op.engagementId) ? 'OFFER_UNKNOWN' : 'ENGAGEMENT_ID_UNKNOWN');
    }
    // past the queue timeout, before its timer acted: timed out now, not won by a late ACCEPT
    if (this.deadlines.overdue(e, Date.now())) {
      this.timeOut([e], Date.now());
      return this.fail(id, 'OFFER_UNKNOWN');
    }
    if (e.offeredTo !== s.token) return this.fail(id, 'OFFER_UNKNOWN');
    if (op.action !== 'ACCEPT') {
      this.offers.decline(e, s, op.action === 'UNAVAILABLE');
      this.offers.dispatch();
      return this.reply(id, { chatAssignmentAcknowledgementResult: { clientList: [] } }, op.seq);
    }
    const now = Date.now();
    this.offers.clear(e, s);
    this.queue.remove(e.engagementId);
    this.waits.served(e.at, now);
    const held: Held = { engagementId: e.engagementId, queueId: e.queueId, name: e.name, question: e.question, at: e.at, concluded: false };
    s.rec.held.push(held);
    s.save();
    this.holders.set(e.engagementId, s);
    this.assignOnE(held, s);
    this.waits.update();
    this.offers.dispatch();
    this.reply(id, {
      chatAssignmentAcknowledgementResult: {
        clientList: [{ ...twin('clientId', consumerClientIdOf(e.engagementId)), name: e.name, role: 'END_USER', ...twin('engagementId', e.engagementId) }],
      },
    }, op.seq);
  }

  private assignOnE(h: Held, s: AgentSession): void {
    this.toE({ t: 'assign', engagementId: h.engagementId, accountId: s.rec.accountId, clientId: s.rec.clientId, name: s.rec.name, greeting: greetingOf(s.rec.name), token: s.token });
  }

  /**
   * Why `s` cannot act on an engagement it does not hold: NOT_PARTICIPANT when it exists — held,
   * waiting, known by its deliveries (an agent ejected from it, a release already done) or by its
   * end (one that concluded while it waited, never held) — else ENGAGEMENT_ID_UNKNOWN. H does not
   * see every engagement for good: an ended one only while its mark is kept (delivery-marks.ts).
   */
  private notHeld(engagementId: number): 'NOT_PARTICIPANT' | 'ENGAGEMENT_ID_UNKNOWN' {
    return this.holders.has(engagementId) || this.queue.get(engagementId) || this.marks.has(engagementId) ? 'NOT_PARTICIPANT' : 'ENGAGEMENT_ID_UNKNOWN';
  }

  private release(id: number, s: AgentSession, engagementId: number, seq: Int64 | undefined): void {
    const h = s.holds(engagementId);
    if (!h) return this.fail(id, this.notHeld(engagementId));
    s.rec.held = s.rec.held.filter((x) => x !== h);
    this.holders.delete(engagementId);
    // released before it was concluded: the agent hands it back to the queue, for another agent
    // (as a reroute; its next requestAssignment makes it eligible again: a lone agent gets it back)
    if (!h.concluded) this.requeue(h, s, 'TRANSFERRED_TO_QUEUE', [s.token]);
    s.save();
    this.offers.dispatch();
    this.waits.update();
    this.reply(id, { chatReleaseEngagementResult: {} }, seq);
  }

  private reroute(id: number, s: AgentSession, engagementId: number, seq: Int64 | undefined): void {
    const h = s.holds(engagementId);
    if (!h) return this.fail(id, this.notHeld(engagementId));
    if (h.concluded) return this.fail(id, 'ENGAGEMENT_CONCLUDED');
    s.rec.held = s.rec.held.filter((x) => x !== h);
    s.save();
    this.holders.delete(engagementId);
    // escalation: the next queue of the tenant, and not straight back to the agent who rerouted it
    this.requeue({ ...h, queueId: this.escalationQueue(h.queueId) }, s, 'TRANSFERRED_TO_QUEUE', [s.token]);
    this.offers.dispatch();
    this.waits.update();
    this.reply(id, { ...twin('clientId', s.rec.clientId), ...twin('engagementId', engagementId) }, seq);
  }

  private requeue(h: Held, s: AgentSession, reason: string, declined: string[]): void {
    const id = h.engagementId;
    this.holders.delete(id);
    this.toE({ t: 'unassign', engagementId: id, clientId: s.rec.clientId, reason, requeued: true });
    this.deadlines.add(this.queue.add({ engagementId: id, queueId: h.queueId, at: h.at, queuedAt: Date.now(), name: h.name, question: h.question, declined }, true));
    // offered once E says it is still open: a conclusion E already has (the agent's concludeChat
    // sent with this release, the customer's) may not have reached this shard yet. E answers after
    // the unassign (FIFO per shard pair); an answer lost with E's thread holds it CONFIRM_WAIT_MS.
    this.queue.hold(id);
    this.toE({ t: 'check', site: this.site, engagementId: id, confirm: true });
    this.offerUnconfirmedLater(() => this.queue.confirm(id));
  }

  /** After CONFIRM_WAIT_MS, entries still waiting for their shard's word are offered (`confirm`: whether there was one). */
  private offerUnconfirmedLater(confirm: () => boolean): void {
    setTimeout(() => {
      if (!confirm()) return;
      this.offers.dispatch();
      this.io.release();
    }, CONFIRM_WAIT_MS).unref();
  }

  private escalationQueue(queueId: number): number {
    const ids = this.queueIds;
    const i = ids.indexOf(queueId);
    return ids[(i + 1) % ids.length] ?? queueId;
  }

  private whereIs(engagementId: number): { queueId: number; concluded: boolean } | undefined {
    const e = this.queue.get(engagementId);
    return e ? { queueId: e.queueId, concluded: false } : this.holders.get(engagementId)?.holds(engagementId);
  }

  private freeSlots(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.eligible) n += Math.max(0, s.free);
    return n;
  }

  // ── events from engagement shards ───────────────────────────────────────────────────────────
  onCross(ev: ToHome): void {
    switch (ev.t) {
      case 'enqueue': {
        const holder = this.holders.get(ev.engagementId);
        const queued = this.queue.get(ev.engagementId);
        // E recovered counting agents no longer counted here: their unassign (a release, a reroute,
        // a logoff) died in E's port with E's thread. Unknown here altogether: left as it is.
        for (const clientId of holder || queued ? (ev.agents ?? []) : []) {
          if (clientId !== holder?.rec.clientId) this.toE({ t: 'unassign', engagementId: ev.engagementId, clientId, reason: 'TRANSFERRED_TO_QUEUE', requeued: true });
        }
        // E recovered without the join: tell it again (idempotent there)
        const h = holder?.holds(ev.engagementId);
        if (holder && h && !h.concluded && !ev.agents?.includes(holder.rec.clientId)) this.assignOnE(h, holder);
        // E's word on the position its consumer last got: after this shard's recovery (which told
        // nobody) or E's (a tell lost in its port); one update for all of a recovery's re-announces
        if (queued && ev.told !== undefined && ev.told !== queued.lastPosition) {
          queued.lastPosition = ev.told;
          this.waits.soon();
        }
        if (queued && this.queue.confirm(queued.engagementId)) this.offers.dispatch(); // E counts it open (recover)
        if (holder || queued || ev.agents?.length) return;
        const queueId = ev.queueId !== undefined && this.queueIds.includes(ev.queueId) ? ev.queueId : (this.queueIds[0] as number);
        const e = this.queue.add({ engagementId: ev.engagementId, queueId, at: ev.at, queuedAt: ev.at, name: ev.name, question: ev.question }, false);
        this.deadlines.add(e);
        // not a re-rank of the whole queue: 100k waiting engagements must not cost O(n²) to create
        this.waits.arrived(e, Date.now());
        this.offers.dispatch();
        return;
      }
      case 'ended': {
        const e = this.queue.get(ev.engagementId);
        if (e) {
          this.offers.withdraw(e, ev.reason, Date.now());
          this.waits.update();
          this.offers.dispatch();
        }
        const holder = this.holders.get(ev.engagementId);
        const h = holder?.holds(ev.engagementId);
        const untold = holder !== undefined && h !== undefined && !h.concluded && !ev.agents?.includes(holder.rec.clientId);
        // every end is remembered, a chat's that ended while it waited too: calls on it find it (notHeld)
        this.marks.end(ev.engagementId, Date.now(), true);
        if (holder && h && !h.concluded) {
          // the slot stays taken until releaseChat (wrap-up, spec §7.8)
          h.concluded = true;
          h.endReason = ev.reason;
          holder.save();
          // E concluded without this agent (its ACCEPT crossed the conclusion: the assign reached E
          // after it, and E told nobody), or no longer knows: the agent hears it here, or it would
          // hold a dead chat, and its slot, until it released blindly
          if (untold) tellEnded(this.io, holder, h, Date.now());
        }
        return;
      }
      case 'toAgents':
        // a numbered delivery H already appended (E re-sends its tail after a crash), or one past a
        // gap the coming re-send or refill fills: drop it
        if (ev.agentSeq !== undefined) {
          const verdict = this.marks.accept(ev.engagementId, ev.agentSeq, ev.tailFrom);
          if (verdict === 'refill') {
            const from = this.marks.refillFrom(ev.engagementId);
            if (from !== undefined) this.toE({ t: 'refill', engagementId: ev.engagementId, from });
          }
          if (verdict !== 'take') return;
        }
        for (const accountId of ev.accountIds) {
          const s = this.byAccount.get(accountId);
          if (s) for (const x of ev.entries) deliver(this.io, s, x.type, x.fields, x.at);
        }
        return;
      case 'agentLeft': {
        const s = this.byAccount.get(ev.accountId);
        const h = s?.holds(ev.engagementId);
        if (!s || !h) return;
        s.rec.held = s.rec.held.filter((x) => x !== h);
        s.save();
        this.holders.delete(ev.engagementId);
        this.offers.dispatch();
        return;
      }
      case 'open': // E's answer to a requeue's check (requeue above)
        if (this.queue.confirm(ev.engagementId)) this.offers.dispatch();
        return;
      case 'agentSeen': { // its client acts on E without polling here: not silent (expiry.ts)
        const s = this.sessions.get(ev.token);
        if (s?.rec.accountId === ev.accountId) s.lastContactAt = Date.now();
        return;
      }
      default:
        assertNever(ev);
    }
  }
}

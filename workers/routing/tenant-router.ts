// One tenant's routing state on its home shard: agent sessions, the queue, open offers. Agents and
// engagements meet here only through one-way cross-shard events (CrossEvent); a chat message
// never waits on this shard — the engagement's shard sends its agent deliveries here to be
// numbered into the agent inboxes, and this shard never answers back.
//
// Output discipline as on the engagement side: replies and events are staged and released after
// the journal barrier of the batch (or, for an offer or a wait timing out and the periodic sweep, of their own release()).
//
// This file holds the state and the dispatch of agent operations and cross-shard events; what they
// do lives by concept: sessions.ts (logon, session ends), held-chats.ts (ACCEPT, release,
// reroute, requeue), endings.ts (conclusions, queue timeouts). Those modules act on the router
// itself through RouterParts (router-parts.ts).
import type { AgentWho, CrossEvent, TenantSnapshot, ToHome } from '../../src/protocol/shard.ts';
import type { HomeOp, RouterIo } from './router-io.ts';
import type { RouterParts } from './router-parts.ts';
import { assertNever, beyondEnd } from '../../src/protocol/shard.ts';
import { codedError, type ErrorCode, type Fail } from '../../src/errors.ts';
import { stringify, twin, withPair, type Int64 } from '../../src/protocol/json.ts';
import { vshardOfId } from '../../src/router/ids.ts';
import { AgentSession, Keys, agentClientIdOf } from './agent-session.ts';
import { TenantQueue } from './queue.ts';
import { queueStatsBody, retrieveBody, UNKNOWN_QUEUE } from './replies.ts';
import { beforeKept, deliver, getMessages, subscribe } from './inbox.ts';
import { cancelPoll } from '../actor/poll-replay.ts';
import { DeliveryMarks } from './delivery-marks.ts';
import { WaitNotifier } from './wait-updates.ts';
import { Offers } from './offers.ts';
import { silentSessions } from './expiry.ts';
import { QueueDeadlines } from './queue-deadlines.ts';
import { UsedTokens } from './used-tokens.ts';
import { unlistedSessions } from './roster.ts';
import { restoreRouting } from './restore.ts';
import { addSession, announce, endSessions, logon } from './sessions.ts';
import { acknowledge, assignOnE, release, reroute, rerouteAvailability, unhold } from './held-chats.ts';
import { onEnded, timeOut } from './endings.ts';

export class TenantRouter implements RouterParts {
  readonly keys: Keys;
  readonly sessions = new Map<string, AgentSession>();
  readonly byAccount = new Map<number, AgentSession>();
  readonly queue: TenantQueue;
  readonly marks: DeliveryMarks;
  /** engagement id → the session holding it */
  readonly holders = new Map<number, AgentSession>();
  readonly waits: WaitNotifier;
  readonly offers: Offers;
  readonly usedTokens: UsedTokens;
  readonly deadlines: QueueDeadlines;

  constructor(
    private tenant: TenantSnapshot,
    readonly io: RouterIo,
  ) {
    this.keys = new Keys(tenant.site);
    this.queue = new TenantQueue(io.journal, this.keys);
    this.marks = new DeliveryMarks(io.journal, this.keys, io.markRetainMs);
    this.offers = new Offers(this.queue, this.sessions, io);
    this.usedTokens = new UsedTokens(io.journal, this.keys);
    this.waits = new WaitNotifier(this.queue, (m) => this.toE({ t: 'wait', ...m }), () => this.io.release());
    this.deadlines = new QueueDeadlines(this.queue, (due, now) => {
      timeOut(this, due, now);
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
    endSessions(this, unlistedSessions(this.sessions.values(), this.tenant.agents));
  }

  get queueIds(): number[] {
    const q = this.tenant.queues?.map((x) => x.id) ?? [];
    return q.length ? q : [1];
  }

  // ── recovery ────────────────────────────────────────────────────────────────────────────────
  /** Rebuilds sessions, inboxes and the queue from meta; announces sessions to the main thread. */
  recover(now = Date.now()): void {
    this.marks.restore(now);
    this.usedTokens.restore(now);
    const { io, keys, queue, offers, sessions } = this;
    restoreRouting({ io, keys, queue, offers, sessions, addSession: (s) => addSession(this, s), check: (engagementId) => this.toE({ t: 'check', site: this.site, engagementId }) }, now);
    // a change of the document while the process was down, or while this thread was being restarted
    this.endUnlisted();
    this.deadlines.rebuild();
    for (const s of this.sessions.values()) announce(this, s, true, true);
    // the restored entries wait for E's answers (enqueue/ended) before they are offered, and so do
    // the younger entries of their queue (offers.ts); a lost answer delays them by CONFIRM_WAIT_MS
    this.offers.offerUnconfirmedLater(() => this.queue.confirmAll());
    this.offers.dispatch();
    this.waits.update();
  }

  // ── outputs ─────────────────────────────────────────────────────────────────────────────────
  reply(id: number, body: Record<string, unknown>, seq?: Int64): void {
    const json = stringify(body);
    this.io.stage({ k: 'reply', id, status: 200, json: seq !== undefined ? withPair(json, 'sequenceNumber', seq) : json });
  }

  readonly fail: Fail = (id: number, code: ErrorCode, message?: string): void => {
    this.io.stage({ k: 'fail', id, error: codedError(code, message) });
  };

  toE(ev: CrossEvent & { engagementId: number }): void {
    this.io.stage({ k: 'fwd', vshard: vshardOfId(ev.engagementId), ev });
  }

  // ── agent operations ────────────────────────────────────────────────────────────────────────
  handle(id: number, op: HomeOp): void {
    if (op.op === 'agentLogon') return logon(this, this.tenant.agents, id, op);
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
        return acknowledge(this, id, s, op);
      case 'releaseChat':
        return release(this, id, s, op.engagementId, op.seq);
      case 'logoff':
        endSessions(this, [s]);
        return this.reply(id, { chatLogoffResult: {} }, op.seq);
      case 'retrieveAgentsAndQueues':
        return this.reply(id, retrieveBody(op, this.tenant, this.byAccount, this.queue, this.queueIds, agentClientIdOf), op.seq);
      case 'rerouteAvailability':
        return rerouteAvailability(this, id, s, op.engagementId);
      case 'rerouteEngagement':
        return reroute(this, id, s, op.engagementId, op.seq);
      case 'agentWsSubscribe':
        if (op.after !== undefined && op.after > s.nextSeq - 1) return this.fail(id, 'INVALID_FIELD', beyondEnd(op.after, s.nextSeq - 1));
        if (op.after !== undefined && op.after < s.oldest - 1) return this.fail(id, 'RESUME_TOO_OLD', beforeKept(op.after, s.oldest));
        this.reply(id, { ...twin('clientId', s.rec.clientId), ...twin('accountId', s.rec.accountId) });
        return subscribe(this.io, s, op.wsId, op.after ?? s.oldest - 1, this.io.wsMaxPerSession);
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
    endSessions(this, silentSessions(this.sessions.values(), now, this.io.agentIdleMs));
  }

  cancel(id: number, token: string): void {
    const s = this.sessions.get(token);
    if (s) cancelPoll(s, id);
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
        if (holder && h && !h.concluded && !ev.agents?.includes(holder.rec.clientId)) assignOnE(this, h, holder);
        // E's word on the position its consumer last got: after this shard's recovery (which told
        // nobody) or E's (a tell lost in its port); one update for all of a recovery's re-announces
        if (queued && ev.told !== undefined && ev.told !== queued.lastPosition) this.waits.vouch(queued, ev.told);
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
      case 'ended':
        return onEnded(this, ev);
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
        unhold(this, s, h);
        this.offers.dispatch();
        return;
      }
      case 'open': // E's answer to a requeue's check (held-chats.ts requeue)
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

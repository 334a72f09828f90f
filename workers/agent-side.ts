// The agent half of a shard thread, wired beside the engagement actors by workers/shard.ts:
//  - as the home shard of some tenants: their routers (queues, agent sessions, inboxes);
//  - as an engagement shard: agent operations on its engagements, and the one-way events its
//    engagements send to their tenant's home shard (enqueue, agent deliveries, ended).
// Cross-shard events leave as staged `fwd` outputs, so they are released only after the batch
// that caused them is durable; the main thread forwards them, FIFO per shard pair.
import type { AgentOp, AgentWho, CrossEvent, EngagementAgentOp, ShardIn, ShardOut, TenantSnapshot } from '../src/protocol/shard.ts';
import { ENGAGEMENT_AGENT_OPS, assertNever } from '../src/protocol/shard.ts';
import type { Journal } from '../src/store/journal.ts';
import { shardOfVshard, vshardOfSite } from '../src/router/ids.ts';
import type { AgentDelivery, Engagement, NumberedDelivery } from './actor/engagement.ts';
import type { Screen } from './actor/screen.ts';
import type { ShardState } from './actor/shard-state.ts';
import type { ShardSettings } from './actor/shard-settings.ts';
import { EngagementAgentOps } from './actor/agent-ops.ts';
import { Routing } from './routing/routing.ts';
import type { HomeOp } from './routing/router-io.ts';

type EOp = EngagementAgentOp;

const DEFAULT_OFFER_TIMEOUT_MS = 30_000;
/**
 * After recovery, numbered agent deliveries journaled less than this long before the shard's last
 * one are re-sent (H drops what it has). A delivery can only be lost if it was in flight between
 * E's and H's commits when the process died, i.e. right before the end of the journal; the window
 * keeps a restart from re-sending the recent tail of every engagement the shard ever served.
 */
const RESEND_WINDOW_MS = 5 * 60_000;

function isEngagementOp(op: AgentOp): op is EOp {
  return ENGAGEMENT_AGENT_OPS.has(op.op);
}

/** Inverse of agentClientIdOf (accountId * 4 + 3). */
function accountOfAgentClient(clientId: number): number {
  return (clientId - 3) / 4;
}

export class AgentSide {
  private state: ShardState | undefined;
  private ops: EngagementAgentOps | undefined;
  private readonly routing: Routing;
  private readonly shards: number;
  /** agent session token → when E last told its home shard the session acted here (agentSeen) */
  private readonly seenSent = new Map<string, number>();
  private readonly seenEveryMs: number;

  constructor(
    cfg: ShardSettings,
    journal: Journal,
    sendNow: (o: ShardOut) => void,
    release: () => void,
    private readonly screenFor: (site: string) => Screen,
  ) {
    this.shards = cfg.shards;
    // a quarter of the idle limit: H hears of a post-only agent at least three times before it
    // would log it off, at one cross-shard event per active session per interval (not per post)
    this.seenEveryMs = cfg.agentIdleMs > 0 ? Math.max(250, Math.floor(cfg.agentIdleMs / 4)) : 0;
    this.routing = new Routing(cfg.shard, cfg.shards, {
      journal,
      stage: (o) => this.st.staged.push(o),
      sendNow,
      cursorMoved: () => this.st.staged.cursorMoved(),
      release,
      longPollMs: cfg.longPollMs,
      replayed: (reason) => this.st.countReplay('agent', reason),
      offerTimeoutMs: cfg.offerTimeoutMs ?? DEFAULT_OFFER_TIMEOUT_MS,
      // E re-sends for engagements concluded up to grace + 5 s before its restart (ShardState.sweep)
      markRetainMs: cfg.concludeGraceMs + 5_000 + 60_000,
      agentIdleMs: cfg.agentIdleMs,
      wsMaxPerSession: cfg.wsMaxPerAgentSession,
      socketKeepBytes: 2 * cfg.wsMaxBackpressure,
    });
  }

  drainPolls(): void {
    this.routing.drainPolls();
  }

  /** Periodic upkeep on the shard's sweep (outside a mailbox batch: the caller releases). */
  sweep(now = Date.now()): void {
    this.routing.sweep(now);
    for (const [token, at] of this.seenSent) if (now - at >= this.seenEveryMs) this.seenSent.delete(token);
  }

  /**
   * An agent's call on an engagement of this shard is contact with its session, which lives on the
   * tenant's home shard: without telling it, an agent client that only posts (no long poll, no
   * socket) was logged off as silent after PARLEY_AGENT_IDLE_MS in the middle of its chats.
   */
  private seen(who: AgentWho): void {
    if (this.seenEveryMs === 0) return;
    const now = Date.now();
    const last = this.seenSent.get(who.token);
    if (last !== undefined && now - last < this.seenEveryMs) return;
    this.seenSent.set(who.token, now);
    this.fwd(who.site, { t: 'agentSeen', site: who.site, token: who.token, accountId: who.accountId });
  }

  private get st(): ShardState {
    if (!this.state) throw new Error('AgentSide used before bind()');
    return this.state;
  }

  bind(state: ShardState): void {
    this.state = state;
    this.ops = new EngagementAgentOps(state, this.screenFor, this.shards > 1);
  }

  /**
   * After the engagements are recovered: rebuild the home tenants' routers, then re-announce this
   * shard's open engagements to their home shards, held ones with their agents. An `enqueue` in
   * flight when the process (or this thread) died is not lost that way, and neither is an `assign`
   * or `unassign` that was in this thread's port: the home shard ignores what it already has,
   * re-sends the join it counts and E lacks, and unassigns the agents it no longer counts.
   */
  start(tenants: TenantSnapshot[]): void {
    for (const t of tenants) this.routing.setTenant(t);
    for (const eng of this.st.engagements.values()) {
      if (!eng.concluded && !eng.leadGone && eng.site) this.created(eng, [...eng.agents.keys()]);
      if (eng.site) this.ejectedLeft(eng);
    }
    this.resendTails();
  }

  /**
   * Closes the kill -9 window of agent deliveries: a delivery committed on E whose `fwd` had not
   * been committed on H yet is re-sent from the replayed tail (engagements still in memory after
   * the recovery sweep: open, or concluded within the grace period). H dedups by agentSeq.
   */
  private resendTails(): void {
    let last = 0;
    for (const eng of this.st.engagements.values()) for (const d of eng.tail) last = Math.max(last, d.entries[0]?.at ?? 0);
    const from = last - RESEND_WINDOW_MS;
    for (const eng of this.st.engagements.values()) {
      if (eng.site) this.resendTail(eng, eng.tail.filter((d) => (d.entries[0]?.at ?? 0) >= from));
    }
  }

  /**
   * The home shard `home` restarted its thread alone: what it had received from us but not yet
   * committed is gone, and we did not restart, so re-send the live tails of our engagements homed
   * there, and re-announce their waiting or ended state. H appends only each engagement's next
   * number, so the gap lands in order, exactly once.
   */
  resendTo(home: number): void {
    for (const eng of this.st.engagements.values()) {
      if (!eng.site || shardOfVshard(vshardOfSite(eng.site), this.shards) !== home) continue;
      if (eng.tail.length > 0) this.resendTail(eng, eng.tail);
      // the lifecycle events it may have lost too (both idempotent on H): the enqueue of an
      // engagement still waiting for an agent, the end of one that ended
      if (eng.concluded) this.ended(eng);
      else if (!eng.lead && !eng.leadGone) this.created(eng);
      this.ejectedLeft(eng);
    }
  }

  /**
   * The `agentLeft` of each agent Tier-1 ejected here, again: one in flight when the home shard's
   * thread (or the process) died was lost, and the agent's slot stayed taken on H for good.
   */
  private ejectedLeft(eng: Engagement): void {
    for (const accountId of eng.ejected) this.fwd(eng.site, { t: 'agentLeft', site: eng.site, engagementId: eng.id, accountId });
  }

  /** In agentSeq order; `tailFrom` lets H tell a gap this re-send fills from one it never can. */
  private resendTail(eng: Engagement, tail: NumberedDelivery[]): void {
    const tailFrom = tail[0]?.agentSeq;
    for (const d of tail) this.fwdNumbered(eng, d, tailFrom);
  }

  private fwdNumbered(eng: Engagement, d: NumberedDelivery, tailFrom?: number): void {
    this.fwd(eng.site, { t: 'toAgents', site: eng.site, engagementId: eng.id, accountIds: d.accountIds, entries: d.entries, agentSeq: d.agentSeq, ...(tailFrom !== undefined ? { tailFrom } : {}) });
  }

  setTenant(t: TenantSnapshot): void {
    this.routing.setTenant(t);
  }

  private fwd(site: string, ev: CrossEvent): void {
    this.st.staged.push({ k: 'fwd', vshard: vshardOfSite(site), ev });
  }

  // ── engagement hooks (called by ShardState while it handles a batch) ──────────────────────
  /** `agents`: a re-announce after recovery with the agents taking part (see CrossEvent `enqueue`). */
  created(eng: Engagement, agents: number[] = []): void {
    const q = eng.info.queueId;
    const queueId = typeof q === 'number' ? q : typeof q === 'string' && /^\d{1,15}$/.test(q) ? Number(q) : undefined;
    const question = typeof eng.info.question === 'string' ? eng.info.question : '';
    // `told`: the queue position the consumer last got, so a recovering home shard re-tells only
    // those whose position is not that (tenant-router.ts 'enqueue')
    const told = eng.waitPosition > 0 ? { told: eng.waitPosition } : {};
    this.fwd(eng.site, { t: 'enqueue', site: eng.site, engagementId: eng.id, ...(queueId !== undefined ? { queueId } : {}), at: eng.createdAt, name: eng.consumerName, question, ...(agents.length > 0 ? { agents } : {}), ...told });
  }

  /**
   * Numbered deliveries go one `toAgents` each (H dedups by number); live-only ones are grouped
   * into runs with the same recipients. Order per recipient is kept either way.
   */
  agentDeliveries(eng: Engagement, fx: Array<AgentDelivery | NumberedDelivery>): void {
    let run: { accountIds: number[]; key: string; entries: Array<{ type: string; fields: Record<string, unknown>; at: number }> } | undefined;
    for (const d of fx) {
      if ('agentSeq' in d) {
        if (run) this.fwd(eng.site, { t: 'toAgents', site: eng.site, engagementId: eng.id, accountIds: run.accountIds, entries: run.entries });
        run = undefined;
        this.fwdNumbered(eng, d);
        continue;
      }
      let accountIds: number[];
      if (d.onlyClientId !== undefined) accountIds = [eng.agents.get(d.onlyClientId)?.accountId ?? accountOfAgentClient(d.onlyClientId)];
      else {
        // an agent's own message is not echoed back to it (it renders its text locally, like consumers)
        const sender = d.type === 'ChatPostMessage' ? d.fields.senderId : undefined;
        accountIds = [...eng.agents.values()].filter((a) => a.clientId !== sender).map((a) => a.accountId);
      }
      if (accountIds.length === 0) continue;
      const key = accountIds.join(',');
      if (!run || run.key !== key) {
        if (run) this.fwd(eng.site, { t: 'toAgents', site: eng.site, engagementId: eng.id, accountIds: run.accountIds, entries: run.entries });
        run = { accountIds, key, entries: [] };
      }
      run.entries.push({ type: d.type, fields: d.fields, at: d.at });
    }
    if (run) this.fwd(eng.site, { t: 'toAgents', site: eng.site, engagementId: eng.id, accountIds: run.accountIds, entries: run.entries });
  }

  ended(eng: Engagement): void {
    this.fwd(eng.site, { t: 'ended', site: eng.site, engagementId: eng.id, reason: eng.concludeReason, agents: [...eng.agents.keys()] });
  }

  /**
   * H recovered `engagementId` as waiting or held: not open here (concluded, or evicted after it
   * concluded) → `ended`. Open: its re-announce (start, resendTo) is the answer, which H waits for
   * before it offers a restored waiting entry.
   */
  private check(site: string, engagementId: number, confirm: boolean): void {
    const eng = this.st.engagements.get(engagementId);
    if (eng && !eng.concluded) {
      if (confirm) this.fwd(site, { t: 'open', site, engagementId });
      return;
    }
    // the agents it told, when it still knows them (endings.ts)
    this.fwd(site, { t: 'ended', site, engagementId, reason: eng?.concludeReason || 'ENDED', ...(eng ? { agents: [...eng.agents.keys()] } : {}) });
  }

  /**
   * H lost more deliveries of `engagementId` than its tail holds (its thread hung or crashed with
   * them in its port): rebuilt from the journal, numbered as they were live, re-sent from `from`.
   */
  private refill(engagementId: number, from: number): void {
    const eng = this.st.load(engagementId, from);
    if (eng) this.resendTail(eng, eng.tail.filter((d) => d.agentSeq >= from));
  }

  // ── mailbox ─────────────────────────────────────────────────────────────────────────────────
  handle(m: Extract<ShardIn, { k: 'agentReq' | 'agentCancel' | 'fwd' | 'resend' }>): void {
    switch (m.k) {
      case 'resend':
        this.resendTo(m.toShard);
        return;
      case 'agentReq':
        if (isEngagementOp(m.op)) {
          (this.ops as EngagementAgentOps).handle(m.id, m.op);
          this.seen(m.op.who);
        } else this.routing.handle(m.id, m.op as HomeOp);
        return;
      case 'agentCancel':
        this.routing.cancel(m.id, m.site, m.token);
        return;
      case 'fwd': {
        const ev = m.ev;
        switch (ev.t) {
          case 'enqueue':
          case 'ended':
          case 'toAgents':
          case 'agentLeft':
          case 'agentSeen':
          case 'open':
            return this.routing.onCross(ev);
          case 'assign':
          case 'wait':
          case 'unassign':
          case 'queueTimeout':
            return (this.ops as EngagementAgentOps).onCross(ev);
          case 'check':
            return this.check(ev.site, ev.engagementId, ev.confirm === true);
          case 'refill':
            return this.refill(ev.engagementId, ev.from);
          default:
            assertNever(ev);
        }
        return;
      }
      default:
        assertNever(m);
    }
  }
}

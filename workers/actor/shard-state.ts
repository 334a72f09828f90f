// All engagements of one shard thread: the mailbox handlers for consumer operations, recovery from
// the journal, long-poll parking, WebSocket cursors, eviction and retention.
//
// Output discipline: everything produced while handling a mailbox batch is *staged* and released
// only after the journal barrier for that batch resolves (group commit), so no client ever sees
// state that is not durable, and outputs keep their order. Timers (an empty long poll expiring)
// carry no new state and send directly.
import { Engagement, consumerClientIdOf, type AgentDelivery, type NumberedDelivery, type OutMsg } from './engagement.ts';
import { asEngEvent, postedEvent, withheldEvent, type EngEvent } from './events.ts';
import { envelopeJson } from './consumer-messages.ts';
import { nfcOf, type Screen } from './screen.ts';
import { typingSignal } from './typing.ts';
import type { Admission } from './admission.ts';
import type { Journal } from '../../src/store/journal.ts';
import type { ConsumerOp, ShardOut } from '../../src/protocol/shard.ts';
import { assertNever, beyondEnd } from '../../src/protocol/shard.ts';
import { codedError, type ErrorCode, type Fail } from '../../src/errors.ts';
import { int64Pair, stringify, twin } from '../../src/protocol/json.ts';
import { VSHARDS, encodeSessionId, mintEngagementId, newSecret, sameSecret, shardOfVshard, vshardOfId } from '../../src/router/ids.ts';
import { abandonedEngagements } from './abandoned.ts';
import { Staged } from './staged.ts';
import { endPoll, feedPoll, getMessages, type PollIo } from './consumer-poll.ts';
import { cancelPoll, type ReplayReason } from './poll-replay.ts';
import type { ShardSettings } from './shard-settings.ts';

/** Hooks for the parts of the system outside this engagement (agent routing on the tenant's home shard). */
export interface EngagementHooks {
  created(eng: Engagement): void;
  agentDeliveries(eng: Engagement, fx: Array<AgentDelivery | NumberedDelivery>): void;
  ended(eng: Engagement): void;
}

/** Why an engagement ended, for the operator metrics (parley_engagements_ended_total{cause}). */
export type EndCause = 'consumer' | 'agent' | 'tier1' | 'operator' | 'abandoned' | 'queue_timeout';

export class ShardState {
  readonly engagements = new Map<number, Engagement>();
  private readonly counters = new Map<number, number>();
  /** used consumer JWT ids → expiry (s); a replayed JWT is refused */
  private readonly jtis = new Map<string, number>();
  /**
   * concluded engagement id → concluded at (ms), in conclusion order, for retention (7 days: millions
   * on a busy node); `toEvict` the same for those still in memory. sweep() walks each only to the
   * first entry not yet due (a full walk of 200k retained cost 7.2 ms per sweep, measured).
   */
  private readonly concludedIndex = new Map<number, number>();
  private readonly toEvict = new Map<number, number>();
  /** outputs of the batch being handled (staged.ts); agent ops and routing stage here too */
  readonly staged = new Staged();
  /** engagements ended since the last metrics report, by cause */
  private ends = new Map<EndCause, number>();
  /** long-poll replays since the last metrics report, by `api:reason` */
  private replays = new Map<string, number>();
  /** whether a vshard is this shard's (recovery, creation, reloads) */
  private readonly owns = (vshard: number): boolean => shardOfVshard(vshard, this.cfg.shards) === this.cfg.shard;
  /** every engagement reads its journaled events through this one function (transcripts, join history) */
  private readonly readEvents = (engagementId: number): unknown[] => this.journal.read(engagementId);
  private readonly pollIo: PollIo;

  constructor(
    private readonly cfg: ShardSettings,
    private readonly journal: Journal,
    private readonly screenFor: (site: string) => Screen,
    private readonly sendNow: (o: ShardOut) => void,
    private readonly hooks: EngagementHooks,
    readonly admission: Admission,
  ) {
    this.pollIo = {
      reply: (id, status, json) => this.reply(id, status, json),
      sendNow: (o) => this.sendNow(o),
      record: (eng, ev) => this.record(eng, ev),
      cursorMoved: () => this.staged.cursorMoved(),
      longPollMs: cfg.longPollMs,
      pollReplayMs: cfg.pollReplayMs,
      replayed: (reason) => this.countReplay('consumer', reason),
    };
  }

  /**
   * Rebuilds every engagement of this shard's vshards from the journal, in the order it was written
   * (creation order is kept: agent-side.ts re-announces to the queues in it). One created before the
   * eviction horizon may prove to have concluded before it: its events wait in a list and, if so,
   * are dropped unapplied at its `concluded` — the sweep would evict it right after anyway. In-process,
   * 100k retained: 1.17–1.69 → 0.39–0.55 s. One created after it is built as its events come.
   */
  recover(now = Date.now()): number {
    const horizon = now - Math.min(this.cfg.concludeGraceMs + 5_000, this.cfg.retentionMs);
    // per engagement: built as its events come, or its events held until the replay knows
    const replay = new Map<number, { site: string; n: number; held: Engagement | EngEvent[] }>();
    for (const rec of this.journal.scan(this.owns)) {
      const id = rec.engagementId;
      const ev = asEngEvent(rec.event);
      let r = replay.get(id);
      if (!r) {
        // an engagement starts with `created`: anything else belongs to one already let go below
        if (ev.e !== 'created') continue;
        const v = vshardOfId(id);
        r = { site: ev.site, n: 0, held: ev.at < horizon ? [] : new Engagement(id, v, this.readEvents) };
        replay.set(id, r);
        const counter = Math.floor(id / VSHARDS);
        if (counter > (this.counters.get(v) ?? 0)) this.counters.set(v, counter);
      }
      r.n = rec.n + 1;
      if (Array.isArray(r.held)) r.held.push(ev);
      else this.replayInto(r.held, ev);
      if (ev.e === 'created') {
        if (ev.jwtExp * 1000 > now) this.jtis.set(ev.jti, ev.jwtExp);
      } else if (ev.e === 'strike') {
        this.screenFor(r.site).restoreStrike(ev.senderKey, String(id), ev.at);
      } else if (ev.e === 'concluded') {
        this.concludedIndex.set(id, ev.at);
        if (ev.at >= horizon) this.toEvict.set(id, ev.at);
        else {
          replay.delete(id);
          this.letGo(r.site, id);
        }
      }
    }
    for (const [id, r] of replay) {
      replay.delete(id); // its events are garbage once applied: the peak stays near one copy
      const eng = Array.isArray(r.held) ? new Engagement(id, vshardOfId(id), this.readEvents) : r.held;
      if (Array.isArray(r.held)) for (const ev of r.held) this.replayInto(eng, ev);
      eng.n = r.n;
      eng.live = true;
      this.engagements.set(id, eng);
    }
    this.sweep(now);
    return this.engagements.size;
  }

  private replayInto(eng: Engagement, ev: EngEvent): void {
    eng.apply(ev);
    if (ev.e === 'created') eng.systemName = this.screenFor(ev.site).systemParticipantName;
  }

  record(eng: Engagement, ev: EngEvent): void {
    this.journal.append(eng.id, eng.n++, ev);
    eng.apply(ev);
  }

  countEnd(cause: EndCause): void {
    this.ends.set(cause, (this.ends.get(cause) ?? 0) + 1);
  }

  /** Ends since the last call (the shard's once-a-second metrics report). */
  drainEnds(): Array<[EndCause, number]> {
    const out = [...this.ends];
    this.ends = new Map();
    return out;
  }

  /** A long poll's answer started before its cursor (consumer-poll.ts, routing/inbox.ts). */
  countReplay(api: 'consumer' | 'agent', reason: ReplayReason): void {
    const k = `${api}:${reason}`;
    this.replays.set(k, (this.replays.get(k) ?? 0) + 1);
  }

  /** Replays since the last call, keyed `api:reason` (the metrics report). */
  drainReplays(): Array<[string, number]> {
    const out = [...this.replays];
    this.replays = new Map();
    return out;
  }

  reply(id: number, status: number, body: string): void {
    this.staged.push({ k: 'reply', id, status, json: body });
  }

  readonly fail: Fail = (id: number, code: ErrorCode, message?: string): void => {
    this.staged.push({ k: 'fail', id, error: codedError(code, message) });
  };

  /**
   * One clock reading per mailbox batch for the per-post path (session contact, the post's time,
   * the reply's finish time): Date.now() is ~70 ns here and a post read it three times. Outside a
   * batch (timers, recovery) it is the wall clock.
   */
  private batchNow = 0;

  beginBatch(): void {
    this.batchNow = Date.now();
  }

  endBatch(): void {
    this.batchNow = 0;
  }

  private now(): number {
    return this.batchNow !== 0 ? this.batchNow : Date.now();
  }

  /** The engagement a consumer call names, or undefined once answered 403 — also for a session of
   * another site than the path's (as the agent API answers; served, it had that site's CORS origins). */
  private session(id: number, op: { site: string; engagementId: number; secret: string }): Engagement | undefined {
    const eng = this.engagements.get(op.engagementId);
    const now = this.now();
    if (!eng || eng.site !== op.site || !eng.secret || !sameSecret(eng.secret, op.secret) || this.pastGrace(eng, now)) {
      this.fail(id, 'SESSION_UNKNOWN');
      return undefined;
    }
    eng.lastContactAt = now;
    eng.calls++;
    return eng;
  }

  private pastGrace(eng: Engagement, now: number): boolean {
    return eng.concluded && now > eng.concludedAt + this.cfg.concludeGraceMs;
  }

  handle(id: number, op: ConsumerOp): void {
    switch (op.op) {
      case 'createEngagement':
        return this.create(id, op);
      case 'getMessages': {
        const eng = this.session(id, op);
        if (eng) getMessages(this.pollIo, eng, id, op.echo);
        return;
      }
      case 'postMessage': {
        const eng = this.session(id, op);
        if (eng) this.postMessage(id, eng, op);
        return;
      }
      case 'activity': {
        const eng = this.session(id, op);
        if (!eng) return;
        // as postMessage answers: a typing signal into an ended chat reaches nobody
        if (eng.concluded) return this.fail(id, eng.consumerLeft ? 'ENGAGEMENT_TERMINATED' : 'ENGAGEMENT_CONCLUDED');
        if (eng.agents.size > 0) {
          const signal = typingSignal(eng, op, this.screenFor(eng.site), Date.now());
          if (signal !== null) this.hooks.agentDeliveries(eng, [signal]);
        }
        this.reply(id, 200, envelopeJson(eng.consumerClientId, op.echo));
        return;
      }
      case 'concludeEngagement': {
        const eng = this.session(id, op);
        if (!eng) return;
        if (!eng.concluded) {
          this.record(eng, { e: 'concluded', at: Date.now(), reason: 'END_USER_CONCLUDED', by: eng.consumerClientId });
          this.countEnd('consumer');
          this.afterEvents(eng);
        }
        this.reply(id, 200, envelopeJson(eng.consumerClientId, op.echo));
        return;
      }
      case 'wsSubscribe': {
        const eng = this.session(id, op);
        if (!eng) return;
        if (op.after > eng.outbox.length) return this.fail(id, 'INVALID_FIELD', beyondEnd(op.after, eng.outbox.length));
        // every socket gets each message of the engagement: unbounded, one session could make the
        // server send each message thousands of times. The newest sockets stay (a reloaded page's
        // old socket may linger until its ping times out); the oldest is closed with 4009.
        while (eng.ws.size >= this.cfg.wsMaxPerEngagement) {
          const oldest = eng.ws.values().next().value;
          if (oldest === undefined) break;
          eng.ws.delete(oldest);
          this.wsSent.delete(oldest);
          this.staged.push({ k: 'wsEnd', wsId: oldest, replaced: true });
        }
        eng.ws.add(op.wsId);
        this.reply(id, 200, stringify({ ...twin('clientId', eng.consumerClientId), ...twin('engagementId', eng.id) }));
        this.pushWs(eng, op.wsId, eng.after(op.after));
        if (eng.concluded) this.staged.push({ k: 'wsEnd', wsId: op.wsId });
        return;
      }
      case 'wsUnsubscribe': {
        this.engagements.get(op.engagementId)?.ws.delete(op.wsId);
        this.wsSent.delete(op.wsId);
        return;
      }
      case 'terminate': {
        const eng = this.engagements.get(op.engagementId);
        if (!eng) return this.fail(id, 'ENGAGEMENT_ID_UNKNOWN');
        const open = !eng.concluded;
        if (open) {
          // the same sequence and the same strike as a Tier-1 termination: the sender's next
          // engagements meet the strike limit sooner
          const now = Date.now();
          const screen = this.screenFor(eng.site);
          this.record(eng, { e: 'strike', at: now, senderKey: eng.senderKey });
          screen.restoreStrike(eng.senderKey, eng.idString, now);
          this.terminate(eng, now, screen.terminationNotice, 'operator');
          this.afterEvents(eng);
        }
        this.reply(id, 200, stringify({ ...twin('engagementId', eng.id), site: eng.site, terminated: open }));
        return;
      }
      case 'transcript': {
        const eng = this.engagements.get(op.engagementId) ?? this.load(op.engagementId);
        if (!eng) return this.fail(id, 'ENGAGEMENT_ID_UNKNOWN');
        this.reply(id, 200, stringify(eng.transcriptJson()));
        return;
      }
      case 'stats':
        this.reply(id, 200, stringify({ shard: this.cfg.shard, engagements: this.engagements.size, memory: process.memoryUsage().heapUsed }));
        return;
      default:
        assertNever(op);
    }
  }

  /** A parked long poll's HTTP response went away before it was answered. */
  cancel(id: number, engagementId: number): void {
    const eng = this.engagements.get(engagementId);
    if (eng) cancelPoll(eng, id);
  }

  private create(id: number, op: Extract<ConsumerOp, { op: 'createEngagement' }>): void {
    const now = Date.now();
    if (this.jtis.has(op.jti)) return this.fail(id, 'INVALID_TOKEN');
    if (!this.owns(op.vshard)) return this.fail(id, 'INTERNAL_SERVER_ERROR');
    // the token stays unused: the client may retry it after Retry-After
    if (this.admission.storeFull()) return this.fail(id, 'STORE_FULL');
    if (this.admission.check(this.engagements.size, now) !== null) return this.fail(id, 'AT_CAPACITY');
    const counter = (this.counters.get(op.vshard) ?? 0) + 1;
    const engagementId = mintEngagementId(op.vshard, counter);
    // this vshard's ids are used up (2^43 engagements): another would give clientIds past 2^53
    if (engagementId === undefined) return this.fail(id, 'AT_CAPACITY');
    this.counters.set(op.vshard, counter);
    const eng = new Engagement(engagementId, op.vshard, this.readEvents);
    eng.live = true;
    eng.systemName = this.screenFor(op.site).systemParticipantName;
    this.engagements.set(eng.id, eng);
    this.jtis.set(op.jti, op.jwtExp);
    this.record(eng, {
      e: 'created', at: now, site: op.site, clientId: consumerClientIdOf(eng.id), secret: newSecret(), senderKey: op.senderKey,
      jti: op.jti, jwtExp: op.jwtExp, name: op.name, info: op.info,
    });
    this.hooks.created(eng);
    this.afterEvents(eng);
    this.reply(id, 200, envelopeJson(eng.consumerClientId, op.echo,
      `${int64Pair('engagementId', eng.id)},"sessionId":${JSON.stringify(encodeSessionId(eng.id, eng.secret))},` +
      `"resultType":"SUCCESS","cancelledSurveyAuth":"",${int64Pair('cancelledSurveyId', 0)}`));
  }

  /** A graceful stop: every parked poll answered now, empty, as its hold ending would (the client re-polls elsewhere). */
  drainPolls(): void {
    for (const eng of this.engagements.values()) endPoll(this.pollIo, eng);
  }

  private postMessage(id: number, eng: Engagement, op: Extract<ConsumerOp, { op: 'postMessage' }>): void {
    const now = this.now();
    const ok = (): void => this.reply(id, 200, envelopeJson(eng.consumerClientId, op.echo, op.messageId === undefined ? '' : `"messageId":${JSON.stringify(op.messageId)}`, now));
    // a client retry of an acknowledged message (stored, or withheld by Tier-1): answered as it
    // was, not stored or screened twice — also once the chat has ended meanwhile (its answer was
    // 200; telling the retry 409 would say a delivered message failed)
    if (op.messageId !== undefined && eng.messageIds.has(eng.consumerClientId, op.messageId)) return ok();
    if (eng.concluded) return this.fail(id, eng.consumerLeft ? 'ENGAGEMENT_TERMINATED' : 'ENGAGEMENT_CONCLUDED');
    if (eng.leadGone) return this.fail(id, 'LEAD_PARTICIPANT_LEFT');
    if (op.body.length === 0) return this.fail(id, 'EMPTY_MESSAGE');
    if (this.admission.storeFull()) return this.fail(id, 'STORE_FULL');
    const screen = this.screenFor(eng.site);
    const verdict = screen.screen({
      text: op.body, role: 'END_USER', senderKey: eng.senderKey, engagementId: eng.idString, participant: eng.consumerClientIdString, nowMs: now,
      slot: eng.screenSlot ??= { pair: null, owner: null },
    });
    if (verdict.reject) return this.fail(id, verdict.reject);
    if (verdict.strike) this.record(eng, { e: 'strike', at: now, senderKey: eng.senderKey });
    switch (verdict.outcome) {
      case 'allow':
      case 'flag':
        this.record(eng, postedEvent({
          e: 'posted', at: now, from: eng.consumerClientId, role: 'END_USER', name: eng.consumerName, body: verdict.text ?? nfcOf(op.body),
          richText: op.richText, offTheRecord: op.offTheRecord, visibility: 'ALL',
        }, op.messageId));
        break;
      case 'soft':
      case 'block': {
        const soft = verdict.outcome === 'soft';
        this.record(eng, { e: 'notice', at: now, body: verdict.notice ?? (soft ? 'Your message was not sent.' : 'Message not sent: it looks like spam.'), toAgents: !soft });
        const withheld = withheldEvent(now, eng.consumerClientId, op.messageId, verdict);
        if (withheld) this.record(eng, withheld);
        break;
      }
      case 'terminate':
        this.terminate(eng, now, verdict.notice ?? 'This conversation has been ended.', 'tier1');
        this.afterEvents(eng);
        return this.fail(id, 'ENGAGEMENT_TERMINATED');
      default:
        assertNever(verdict.outcome);
    }
    this.afterEvents(eng);
    ok();
  }

  /** Termination order (tier1.md §1): notice → end user left → concluded; then the caller's 409. */
  private terminate(eng: Engagement, now: number, notice: string, cause: 'tier1' | 'operator'): void {
    this.record(eng, { e: 'notice', at: now, body: notice, toAgents: true });
    this.record(eng, { e: 'left', at: now, clientId: eng.consumerClientId, role: 'END_USER', reason: 'END_USER_DISCONNECTED' });
    this.record(eng, { e: 'concluded', at: now, reason: 'END_USER_DISCONNECTED', by: eng.systemClientId });
    this.countEnd(cause);
  }

  /** Delivers what the last events appended: the parked poll, WebSocket subscribers, agents. */
  afterEvents(eng: Engagement): void {
    feedPoll(this.pollIo, eng);
    if (eng.ws.size > 0) {
      for (const wsId of eng.ws) this.pushWs(eng, wsId, undefined);
    }
    if (eng.agentFx.length > 0) {
      const fx = eng.agentFx;
      eng.agentFx = [];
      this.hooks.agentDeliveries(eng, fx);
    }
    if (eng.concluded) {
      for (const wsId of eng.ws) this.staged.push({ k: 'wsEnd', wsId });
      eng.ws.clear();
      if (!this.concludedIndex.has(eng.id)) {
        this.concludedIndex.set(eng.id, eng.concludedAt);
        this.toEvict.set(eng.id, eng.concludedAt);
        this.hooks.ended(eng);
      }
    }
  }

  private readonly wsSent = new Map<number, number>();

  /** Pushes to one socket everything after what it was last sent (`msgs` given for a fresh subscriber). */
  private pushWs(eng: Engagement, wsId: number, msgs: OutMsg[] | undefined): void {
    const list = msgs ?? eng.after(this.wsSent.get(wsId) ?? eng.outbox.length);
    const last = list[list.length - 1];
    if (!last) {
      if (msgs) this.wsSent.set(wsId, eng.outbox.length);
      return;
    }
    this.wsSent.set(wsId, last.seq);
    this.staged.push({ k: 'push', wsId, lastSeq: last.seq, json: `[${list.map((m) => m.json).join(',')}]` });
  }

  /**
   * Rebuilds an engagement from the journal, in memory or not (read-only: transcripts, refills);
   * its tail keeps every numbered delivery from `keepTailFrom` on.
   */
  load(engagementId: number, keepTailFrom = Infinity): Engagement | undefined {
    const v = vshardOfId(engagementId);
    if (!this.owns(v)) return undefined;
    const events = this.journal.read(engagementId);
    if (events.length === 0) return undefined;
    const eng = new Engagement(engagementId, v, this.readEvents);
    eng.keepTailFrom = keepTailFrom;
    for (const e of events) eng.apply(asEngEvent(e));
    return eng;
  }

  /**
   * Concludes abandoned engagements; frees concluded ones after their grace period; deletes them
   * from the store after retention. Runs outside a mailbox batch: the caller releases what it staged.
   */
  sweep(now = Date.now()): void {
    this.concludeAbandoned(now);
    // both in conclusion order (the journal's at recovery): one a little out of order waits its turn
    const evictBefore = now - Math.min(this.cfg.concludeGraceMs + 5_000, this.cfg.retentionMs);
    for (const [id, at] of this.toEvict) {
      if (at >= evictBefore) break;
      this.toEvict.delete(id);
      this.evict(id);
    }
    for (const [id, at] of this.concludedIndex) {
      if (at >= now - this.cfg.retentionMs) break;
      this.concludedIndex.delete(id);
      this.toEvict.delete(id);
      this.evict(id);
      this.journal.remove(id);
    }
    // use order is issue order within seconds (one TTL): an expired token is refused anyway
    for (const [jti, exp] of this.jtis) {
      if (exp * 1000 >= now) break;
      this.jtis.delete(jti);
    }
  }

  /** Frees a concluded engagement's memory after its grace period; its events stay in the journal. */
  private evict(id: number): void {
    const eng = this.engagements.get(id);
    if (!eng) return;
    if (eng.poll) clearTimeout(eng.poll.timer);
    for (const wsId of eng.ws) this.wsSent.delete(wsId);
    this.engagements.delete(id);
    this.letGo(eng.site, id);
  }

  /** An engagement leaves memory for good: its Tier-1 state goes, its journal index is trimmed. */
  private letGo(site: string, id: number): void {
    this.screenFor(site).forgetEngagement(String(id));
    this.journal.retire(id);
  }

  /** Concludes engagements whose consumer went away without concluding (abandoned.ts). */
  private concludeAbandoned(now: number): void {
    for (const eng of abandonedEngagements(this.engagements.values(), now, this.cfg.consumerIdleMs)) {
      this.record(eng, { e: 'concluded', at: now, reason: 'END_USER_DISCONNECTED', by: eng.consumerClientId });
      this.countEnd('abandoned');
      this.afterEvents(eng);
    }
  }
}

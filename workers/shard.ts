// Shard worker entry (one per shard thread, started and restarted by Piscina). It only wires:
// port → mailbox → engagement actors (+ Tier-1 screen) → journal barrier → replies.
import { threadId, type MessagePort } from 'node:worker_threads';
import { BatchPort, type Codec } from '../src/shards/transport.ts';
import { JOURNAL_RESTART, asShardInBatch, assertNever, isRequest, type FaultMode, type ShardIn, type ShardOut, type TenantSnapshot } from '../src/protocol/shard.ts';
import { outToWire } from '../src/protocol/wire.ts';
import { err } from '../src/errors.ts';
import { LmdbJournal, type SyncMode } from '../src/store/lmdb.ts';
import { NullJournal, type Journal } from '../src/store/journal.ts';
import { ShardState } from './actor/shard-state.ts';
import type { ShardSettings } from './actor/shard-settings.ts';
import { Admission, oldGenerationUsed } from './actor/admission.ts';
import { createLogger, droppedLogLines } from '../src/log.ts';
import { vshardsOfShard } from '../src/router/ids.ts';
import { Screens } from './screens.ts';
import { AgentSide } from './agent-side.ts';
import { DiskSpace } from '../src/store/disk-space.ts';

export interface ShardTask {
  port: MessagePort;
  /** shared with the supervisor: the id of the request being handled, 0 between (src/shards/quarantine.ts) */
  handling: Int32Array;
  settings: ShardSettings;
  dataDir: string;
  journal: boolean;
  sync: SyncMode;
  tenants: TenantSnapshot[];
  faultInjection: boolean;
  logLevel: string;
  logBufferBytes: number;
  codec: Codec;
}

export default async function runShard(task: ShardTask): Promise<string> {
  // the journal records which vshards each of its logs holds, so a later recovery reads only the
  // logs of the vshards it owns
  const vshards = vshardsOfShard(task.settings.shard, task.settings.shards);
  const journal: Journal = task.journal ? new LmdbJournal(task.dataDir, task.sync, vshards) : new NullJournal();
  const log = createLogger(task.logLevel, { shard: task.settings.shard }, task.logBufferBytes);
  const screens = new Screens(log);
  await screens.init();
  for (const t of task.tenants) screens.setTenant(t);

  let done!: (why: string) => void;
  const finished = new Promise<string>((r) => (done = r));
  const port = new BatchPort<ShardOut>(task.port, onBatch, task.codec, outToWire);
  // outputs of successive releases leave in release order, each after its own barrier (a later
  // batch never overtakes an earlier one, so cross-shard events keep their per-engagement order)
  let tail: Promise<void> = Promise.resolve();
  let journalBroken = false;
  const agents = new AgentSide(task.settings, journal, (o) => port.send(o), () => release(), (site) => screens.get(site));
  const admission = new Admission(task.settings.admission, (msg, extra) => log.warn(extra, msg));
  const disk = new DiskSpace(task.dataDir, task.journal ? task.settings.admission.minFreeBytes : 0, (low, freeBytes) => {
    admission.storeLow = low;
    if (low) log.error({ freeBytes, minFreeBytes: task.settings.admission.minFreeBytes, dataDir: task.dataDir }, 'journal filesystem nearly full: refusing new posts and engagements (503 STORE_FULL) until space is freed');
    else log.warn({ freeBytes }, 'journal filesystem has space again: accepting posts and engagements');
  });
  disk.start();
  const state = new ShardState(task.settings, journal, (site) => screens.get(site), (o) => port.send(o), {
    created: (eng) => agents.created(eng),
    agentDeliveries: (eng, fx) => agents.agentDeliveries(eng, fx),
    ended: (eng) => {
      screens.get(eng.site).forgetEngagement(eng.idString);
      agents.ended(eng);
    },
  }, admission);
  agents.bind(state);

  const engagements = state.recover();
  agents.start(task.tenants);
  // eviction after the grace period and retention deletes need no precision finer than half the
  // shorter of the two (bounded to 0.25–10 s)
  const idleOf = (ms: number): number => (ms > 0 ? ms : Infinity);
  const idle = Math.min(idleOf(task.settings.consumerIdleMs), idleOf(task.settings.agentIdleMs));
  const sweepMs = Math.min(10_000, Math.max(250, Math.min(task.settings.concludeGraceMs, task.settings.retentionMs, idle) / 2));
  const sweeper = setInterval(() => {
    state.sweep();
    agents.sweep();
    release(); // abandoned engagements concluded, silent agents logged off: journaled, then announced like any batch
  }, sweepMs);
  sweeper.unref();
  // CAMPAIGN_XCONV: local per-key counts go to the main thread a few times a second, riding the
  // normal outbound batch — never a round trip in a message's path
  const campaignTimer = setInterval(() => {
    for (const c of screens.drainCampaigns()) port.send({ k: 'campaign', site: c.site, deltas: c.deltas });
  }, 200);
  campaignTimer.unref();
  // operator metrics (src/metrics.ts): counts since the last report, once a second, only when
  // something changed — an idle shard sends nothing
  let lastHeld = -1;
  let lastStoreLow = false;
  let logDropsReported = 0;
  const metricsTimer = setInterval(() => {
    const m = screens.drainMetrics();
    const held = state.engagements.size;
    const refused = admission.drainRefusals();
    const logDrops = droppedLogLines() - logDropsReported;
    const ended = state.drainEnds();
    const pollReplays = state.drainReplays();
    const quiet = m.screened.length === 0 && m.decisions.length === 0 && m.regexDisabled.length === 0 && refused.capacity === 0 && refused.store === 0 && logDrops === 0 && ended.length === 0 && pollReplays.length === 0;
    if (quiet && held === lastHeld && admission.storeLow === lastStoreLow) return;
    lastHeld = held;
    lastStoreLow = admission.storeLow;
    logDropsReported += logDrops;
    port.send({ k: 'metrics', shard: task.settings.shard, ...m, engagements: held, refused: refused.capacity, storeRefused: refused.store, storeLow: admission.storeLow, logDrops, oldGenBytes: oldGenerationUsed(), ended, pollReplays });
  }, 1000);
  metricsTimer.unref();
  port.send({ k: 'ready', shard: task.settings.shard, engagements, threadId });
  // the agent strikes recovered from the journal: the main thread sends the other shards' in return
  // (src/shards/agent-strikes.ts). After 'ready': the main thread sends nothing to a shard not up.
  if (task.settings.shards > 1) port.send({ k: 'agentStrikes', strikes: screens.agentStrikes(Date.now()), recovered: true });
  release();

  function onBatch(raw: unknown): void {
    // after a failed commit nothing more is acted on: this thread is about to be replaced
    if (journalBroken) return;
    const batch = asShardInBatch(raw);
    // a throw here kills the thread (quarantine.ts), so no finally is needed for endBatch
    state.beginBatch();
    for (const m of batch) {
      // which request a crash or a hang happened in (src/shards/quarantine.ts)
      Atomics.store(task.handling, 0, isRequest(m) ? m.id : 0);
      handle(m);
    }
    state.endBatch();
    Atomics.store(task.handling, 0, 0);
    release();
  }

  function release(): void {
    const { out, cursorMoved } = state.staged.take();
    if (out.length === 0) return;
    const durable = journal.barrier();
    // 'commit' mode knows now; 'flush' mode learns it when its commit settles (below)
    if (journal.failed) {
      durable.catch(() => {}); // reported by journalFailed, not as an unhandled rejection
      return journalFailed(out);
    }
    tail = Promise.all([tail, durable]).then(
      () => {
        // sent with the port's next flush (setImmediate): every barrier resolved by one commit
        // leaves in a single message, not one message per mailbox batch
        for (const o of out) port.send(o);
        // A poll answer moved a cursor the journal now holds: it leaves at once, not on the port's
        // setImmediate flush. The port messages after it in this event-loop turn run first, and a
        // crash or hang in one of them took the answer along — its client got 503 and polled
        // again past those messages, lost to it for good. Only such batches: posts' answers keep
        // coalescing (flushing every batch here cost 6–8 % req/s at peak in a same-run A/B).
        if (cursorMoved) port.flush();
      },
      (e: unknown) => journalFailed(out, e),
    );
  }

  /**
   * A group commit failed. The actors already hold the batch's changes in memory, so this thread's
   * state is now ahead of the journal: acting on it would acknowledge (a messageId retry, a later
   * post's sequence number) what is not stored. Nothing of the batch is acknowledged — every reply
   * becomes a retryable JOURNAL_FAILED — and the thread dies so the supervisor restarts the shard
   * from the journal, the one source of truth (with back-off while the store keeps failing).
   */
  function journalFailed(out: ShardOut[], e?: unknown): void {
    if (journalBroken) return;
    journalBroken = true;
    console.error(JSON.stringify({ level: 'error', msg: 'journal write failed; restarting the shard from the journal', shard: task.settings.shard, error: String(e ?? 'commit failed') }));
    for (const o of out) if (o.k === 'reply' || o.k === 'fail') port.send({ k: 'fail', id: o.id, error: err('JOURNAL_FAILED') });
    port.flush();
    setImmediate(() => {
      throw new Error(JOURNAL_RESTART);
    });
  }

  function handle(m: ShardIn): void {
    switch (m.k) {
      case 'req':
        if (task.faultInjection && m.op.op === 'postMessage') poisonFault(m.op.body);
        state.handle(m.id, m.op);
        return;
      case 'cancel':
        state.cancel(m.id, m.engagementId);
        return;
      case 'tenant':
        screens.setTenant(m.tenant);
        agents.setTenant(m.tenant);
        return;
      case 'agentReq':
      case 'agentCancel':
      case 'fwd':
      case 'resend':
        agents.handle(m);
        return;
      case 'campaign':
        screens.applyCampaign(m.site, m.entries);
        return;
      case 'agentStrikes':
        screens.addAgentStrikes(m.strikes);
        return;
      case 'ping':
        port.send({ k: 'pong', seq: m.seq });
        return;
      case 'drain':
        state.drainPolls();
        agents.drainPolls();
        return;
      case 'fault':
        if (task.faultInjection) injectFault(m.mode, journal);
        return;
      case 'stop':
        clearInterval(sweeper);
        disk.stop();
        clearInterval(campaignTimer);
        clearInterval(metricsTimer);
        void journal.barrier().then(async () => {
          port.send({ k: 'stopped', shard: task.settings.shard });
          port.flush();
          await journal.close();
          port.close();
          done('stopped');
        });
        return;
      default:
        assertNever(m);
    }
  }

  return finished;
}

/** Breaks this thread the ways a shard can fail in production (tests of the supervisor). */
function injectFault(mode: FaultMode, journal: Journal): void {
  const lmdb = journal instanceof LmdbJournal ? journal : undefined;
  switch (mode) {
    case 'throw':
      setImmediate(() => {
        throw new Error('injected fault: uncaught exception in shard');
      });
      return;
    case 'exit':
      process.exit(3);
      return;
    case 'oom': {
      const hog: string[][] = [];
      for (;;) hog.push(new Array<string>(1_000_000).fill('x'.repeat(16)));
    }
    case 'failCommits':
      lmdb?.faultRefuseCommits(); // without a journal there is no commit to fail
      return;
    case 'hangInCommit':
      // without a journal there is no commit to hang in: hang anywhere
      return lmdb ? lmdb.faultHangInCommit() : hangForever();
    case 'hang':
      return hangForever();
    default:
      assertNever(mode);
  }
}

/** A post that kills its shard as a bug met by one input would (tests of the quarantine). */
function poisonFault(body: string): void {
  if (body.includes('PARLEY-FAULT-THROW')) throw new Error('injected fault: a request that kills its shard');
  if (body.includes('PARLEY-FAULT-HANG')) hangForever();
  if (body.includes('PARLEY-FAULT-STALL')) {
    // busy 300 ms, then on as usual (a long pause: requests queue in the port meanwhile)
    const until = Date.now() + 300;
    while (Date.now() < until);
  }
}

/** Busy forever without returning to the event loop (a runaway loop, a stuck native call). */
function hangForever(): never {
  let spins = 0;
  for (;;) spins++;
}

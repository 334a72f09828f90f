// Starts the shard threads under Piscina (which owns thread creation, execArgv and resource
// limits), gives each one long-lived MessagePort, and restarts a shard whose thread dies. Traffic
// never goes through pool.run(): one Piscina task per shard runs for the shard's whole life.
//
// Lifetimes: a pending request lives in `pending` from send until its reply, or until its shard
// dies (→ 503 SHARD_UNAVAILABLE, retryable; the one the thread died handling → 500
// REQUEST_QUARANTINED, see quarantine.ts), or until its client cancels it (cancel()). A parked
// long poll is a pending request too.
import { MessageChannel } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Piscina } from 'piscina';
import { BatchPort, type Codec } from './transport.ts';
import { JOURNAL_RESTART, asShardOutBatch, isRequest, type AgentOp, type ConsumerOp, type ShardEvent, type ShardIn, type ShardOut, type TenantSnapshot } from '../protocol/shard.ts';
import { inToWire } from '../protocol/wire.ts';
import { err, type ErrorData } from '../errors.ts';
import type { ShardTask } from '../../workers/shard.ts';
import type { ShardSettings } from '../../workers/actor/shard-settings.ts';
import { journalPath, type SyncMode } from '../store/lmdb.ts';
import { StoreOpenError } from '../store/data-dir.ts';
import { Quarantine } from './quarantine.ts';

export interface ShardHealth {
  up: boolean;
  restarts: number;
  journalFailures: number;
  /** requests its thread died handling (answered REQUEST_QUARANTINED; see quarantine.ts) */
  poisoned: number;
}

export type ReplyCb = (r: { status: number; json: string } | { error: ErrorData }) => void;

export interface SupervisorOptions {
  shards: number;
  dataDir: string;
  journal: boolean;
  sync: SyncMode;
  /** what every shard's actors are configured with (handed through as they are; shard index and count added here) */
  actors: Omit<ShardSettings, 'shard' | 'shards'>;
  maxHeapMb: number;
  /** no heartbeat answer for this long → the shard is hung: its thread is terminated and restarted */
  hangMs: number;
  faultInjection: boolean;
  logLevel: string;
  logBufferBytes: number;
  codec: Codec;
  tenants: () => TenantSnapshot[];
  /** non-reply traffic from a shard (WebSocket pushes, campaign deltas, forwarded events) */
  onEvent: (shard: number, m: ShardEvent) => void;
  /**
   * A shard's thread ended (crashed, hung, ran out of memory) and is being restarted: what it held
   * in memory for the HTTP thread — WebSocket subscriptions — is gone with it.
   */
  onDown: (shard: number) => void;
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

interface ShardSlot {
  index: number;
  port: BatchPort<ShardIn> | undefined;
  up: boolean;
  crashes: number[];
  restarts: number;
  /** restarts after a failed journal commit (see workers/shard.ts journalFailed) */
  journalFailures: number;
  /** crashed since its last 'ready': the other shards re-send their delivery tails when it is back */
  restarted: boolean;
  readyWaiters: Array<() => void>;
  stopped: (() => void) | undefined;
  /** the worker thread running it (from 'ready'); -1 before */
  threadId: number;
  /** the heartbeat in flight: when it was sent (undefined: none in flight) */
  pingAt: number | undefined;
  /** armed when a hung thread is being replaced; disarmed when its task ends (crashed()) */
  fatal: NodeJS.Timeout | undefined;
  /** shared with its thread: [0] = id of the request it is handling now, 0 between requests */
  handling: Int32Array;
  poisoned: number;
  /** its current thread has sent 'ready' (recovered) */
  recovered: boolean;
  /** recoveries in a row that crashed on a damaged journal (STORE_DAMAGE) */
  damagedRecoveries: number;
}

/** LMDB's words for a damaged file (lmdb-js error messages begin with the code's name) */
const STORE_DAMAGE = /\bMDB_(PAGE_NOTFOUND|CORRUPTED|INVALID|BAD_TXN)\b/;
/** recoveries in a row that end on STORE_DAMAGE before the node stops: the file will not heal */
const DAMAGED_RECOVERIES = 3;

const HERE = path.dirname(fileURLToPath(import.meta.url));
// From source (npm start, tests) the shard entry is TypeScript loaded through tsx; from the
// production bundle (npm run build → dist/) it is dist/shard.js beside dist/main.js.
const BUNDLED = import.meta.url.endsWith('.js');
const WORKER = BUNDLED ? path.join(HERE, 'shard.js') : path.resolve(HERE, '../../workers/shard.ts');

export class Supervisor {
  private readonly pool: Piscina;
  private readonly slots: ShardSlot[];
  private readonly pending = new Map<number, { shard: number; cb: ReplyCb; m: ShardIn }>();
  readonly quarantine = new Quarantine();
  private nextId = 1;
  /** cross-shard events for a shard that is down (restarting): delivered, in order, when it is ready */
  private readonly held = new Map<number, ShardIn[]>();
  private stopping = false;
  private watchdog: NodeJS.Timeout | undefined;
  private pingSeq = 0;
  private fail!: (e: Error) => void;
  /**
   * Rejects (StoreOpenError, naming journal.mdb) when a shard cannot recover from the journal
   * because the file is damaged: restarting would loop forever (back-off up to 30 s, /readyz 503).
   * start() rejects with it; after start the owner stops the node.
   */
  readonly failed = new Promise<never>((_, reject) => (this.fail = reject));

  constructor(private readonly opts: SupervisorOptions) {
    this.pool = new Piscina({
      filename: WORKER,
      minThreads: opts.shards,
      maxThreads: opts.shards,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      concurrentTasksPerWorker: 1,
      // the one place the TypeScript loader is given to shard threads (tests run without it in execArgv)
      execArgv: BUNDLED ? [] : ['--import', 'tsx'],
      resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb },
    });
    this.slots = Array.from({ length: opts.shards }, (_, index) => ({ index, port: undefined, up: false, crashes: [], restarts: 0, journalFailures: 0, restarted: false, readyWaiters: [], stopped: undefined, threadId: -1, pingAt: undefined, fatal: undefined, handling: new Int32Array(1), poisoned: 0, recovered: false, damagedRecoveries: 0 }));
    this.failed.catch(() => {}); // a caller that never looks at it is not an unhandled rejection
  }

  get shardCount(): number {
    return this.slots.length;
  }

  async start(): Promise<void> {
    await Promise.race([Promise.all(this.slots.map((s) => this.launch(s))), this.failed]);
    // a shard answers a heartbeat between two mailbox batches; one that stays silent for hangMs is
    // stuck (a runaway loop, a native call that never returns) and its requests would hang with it
    this.watchdog = setInterval(() => this.checkHeartbeats(), Math.max(50, Math.floor(this.opts.hangMs / 4)));
    this.watchdog.unref();
  }

  private checkHeartbeats(): void {
    const now = Date.now();
    for (const slot of this.slots) {
      if (!slot.up || !slot.port) continue;
      if (slot.pingAt === undefined) {
        slot.pingAt = now;
        slot.port.send({ k: 'ping', seq: ++this.pingSeq });
      } else if (now - slot.pingAt > this.opts.hangMs) {
        this.opts.log('error', 'shard unresponsive; replacing its thread', { shard: slot.index, silentMs: now - slot.pingAt });
        slot.pingAt = undefined;
        this.replaceHung(slot);
      }
    }
  }

  /**
   * Nothing waits on a hung shard: its requests are answered 503 now and new ones refused (down)
   * until its thread is replaced. Terminating the thread rejects its Piscina task, and crashed()
   * restarts it. A thread stopped inside an LMDB write transaction cannot be terminated (measured:
   * worker.terminate() never settles, and process.exit() then hangs too) and holds the journal's
   * writer lock, so every shard would stall behind it: the process is then killed — fail fast, a
   * service manager restarts it, and recovery reads the journal, which a kill cannot corrupt.
   */
  private replaceHung(slot: ShardSlot): void {
    slot.up = false;
    this.blame(slot, 'hung');
    this.failPending(slot.index);
    // disarmed by crashed() once the thread's task has ended; otherwise nothing can bring it back
    slot.fatal = setTimeout(() => {
      const line = { level: 'fatal', msg: 'hung shard thread could not be terminated; killing the process', shard: slot.index, waitedMs: this.opts.hangMs };
      // synchronous write (stderr is synchronous on Linux): the kill does not wait for a log flush
      process.stderr.write(JSON.stringify(line) + '\n');
      process.kill(process.pid, 'SIGKILL');
    }, this.opts.hangMs);
    const worker = this.pool.threads.find((t) => t.threadId === slot.threadId);
    if (worker) void worker.terminate();
  }

  /**
   * The request the thread was handling when it died or hung is answered REQUEST_QUARANTINED and
   * refused for a while (quarantine.ts); the rest of its in-flight requests stay retryable.
   */
  private blame(slot: ShardSlot, cause: string): void {
    const id = Atomics.load(slot.handling, 0);
    const p = id === 0 ? undefined : this.pending.get(id);
    if (!p || !isRequest(p.m)) return;
    this.pending.delete(id);
    this.quarantine.add(p.m);
    slot.poisoned++;
    const op = p.m.op;
    // never the request's text: ids and the operation only
    this.opts.log('error', 'a request took its shard thread down: refusing it for 10 minutes (REQUEST_QUARANTINED)', {
      shard: slot.index, op: op.op, ...('engagementId' in op ? { engagementId: op.engagementId } : {}), ...('site' in op ? { site: op.site } : {}), cause,
    });
    p.cb({ error: err('REQUEST_QUARANTINED') });
  }

  private failPending(shard: number): void {
    for (const [id, p] of this.pending) {
      if (p.shard === shard) {
        this.pending.delete(id);
        p.cb({ error: err('SHARD_UNAVAILABLE') });
      }
    }
  }

  private launch(slot: ShardSlot): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    slot.port = new BatchPort<ShardIn>(port1, (raw) => this.onBatch(slot, raw), this.opts.codec, inToWire);
    const settings: ShardSettings = { ...this.opts.actors, shard: slot.index, shards: this.opts.shards };
    // a fresh cell per thread: a value left by the one it replaces blames nobody
    slot.handling = new Int32Array(new SharedArrayBuffer(4));
    slot.recovered = false;
    const task: ShardTask = { port: port2, handling: slot.handling, settings, dataDir: this.opts.dataDir, journal: this.opts.journal, sync: this.opts.sync, tenants: this.opts.tenants(), faultInjection: this.opts.faultInjection, logLevel: this.opts.logLevel, logBufferBytes: this.opts.logBufferBytes, codec: this.opts.codec };
    const ready = new Promise<void>((r) => slot.readyWaiters.push(r));
    this.pool.run(task, { transferList: [port2] }).then(
      () => slot.stopped?.(),
      (e: unknown) => this.crashed(slot, e),
    );
    return ready;
  }

  private crashed(slot: ShardSlot, e: unknown): void {
    clearTimeout(slot.fatal);
    slot.fatal = undefined;
    slot.up = false;
    // answers the thread posted before it died are still in the port: delivered before the rest
    // of its requests fail (a poll answered there had its cursor committed: dropped, its messages
    // were lost to its client)
    const port = slot.port;
    slot.port = undefined;
    port?.drain();
    port?.close();
    // out of memory is the shard's load, not one request's; a failed commit is the store's
    const code = (e as { code?: unknown } | null)?.code;
    const why = String((e as Error)?.message ?? e);
    const journal = why.includes(JOURNAL_RESTART);
    if (code !== 'ERR_WORKER_OUT_OF_MEMORY' && !journal && !this.stopping) this.blame(slot, why);
    this.failPending(slot.index);
    if (this.stopping) {
      slot.stopped?.();
      return;
    }
    this.opts.onDown(slot.index);
    slot.restarted = true;
    slot.restarts++;
    if (journal) slot.journalFailures++;
    // a crash while serving keeps restarting; recoveries that keep failing on a damaged file do not
    slot.damagedRecoveries = !slot.recovered && STORE_DAMAGE.test(why) ? slot.damagedRecoveries + 1 : 0;
    if (slot.damagedRecoveries >= DAMAGED_RECOVERIES) {
      this.opts.log('error', 'shard cannot recover from a damaged journal; stopping the node', { shard: slot.index, error: why, journal: journalPath(this.opts.dataDir), failedRecoveries: slot.damagedRecoveries });
      this.fail(new StoreOpenError(`journal ${journalPath(this.opts.dataDir)} is damaged: shard ${slot.index} failed to recover from it ${slot.damagedRecoveries} times in a row (${why}); stop and restore journal.mdb from a backup`));
      return;
    }
    const now = Date.now();
    slot.crashes = slot.crashes.filter((t) => now - t < 60_000);
    slot.crashes.push(now);
    // crash loops back off: 0.1 s, 0.2 s, 0.4 s … up to 30 s within a minute
    const delay = Math.min(30_000, 100 * 2 ** (slot.crashes.length - 1));
    this.opts.log('error', 'shard crashed; restarting', { shard: slot.index, error: why, restartInMs: delay, crashesLastMinute: slot.crashes.length });
    setTimeout(() => void this.launch(slot), delay).unref();
  }

  private onBatch(slot: ShardSlot, raw: unknown): void {
    for (const m of asShardOutBatch(raw)) {
      // one message's failure (a reply callback, a socket write) must not end the process, nor
      // drop the rest of the batch (see src/http/guard.ts)
      try {
        this.onMessage(slot, m);
      } catch (e) {
        this.opts.log('error', 'shard message handling failed; serving on', { shard: slot.index, kind: m.k, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    }
  }

  private onMessage(slot: ShardSlot, m: ShardOut): void {
    switch (m.k) {
      case 'reply':
      case 'fail': {
        const p = this.pending.get(m.id);
        if (!p) break;
        this.pending.delete(m.id);
        p.cb(m.k === 'reply' ? { status: m.status, json: m.json } : { error: m.error });
        break;
      }
      case 'pong':
        slot.pingAt = undefined;
        break;
      case 'ready':
        slot.up = true;
        slot.recovered = true;
        slot.damagedRecoveries = 0;
        slot.threadId = m.threadId;
        slot.pingAt = undefined;
        this.opts.log('info', 'shard ready', { shard: m.shard, engagements: m.engagements });
        for (const w of slot.readyWaiters.splice(0)) w();
        for (const f of this.held.get(slot.index)?.splice(0) ?? []) slot.port?.send(f);
        if (slot.restarted) {
          // Its thread died with cross-shard events it had not committed (in its port, or sent
          // before we saw the crash). The held events are still delivered (enqueue, ended, assign…
          // are covered by nothing else); numbered agent deliveries past a gap are dropped by H and
          // come again, in order, from every other shard's tail. Its own engagements were re-sent
          // by its recovery.
          slot.restarted = false;
          for (const other of this.slots) if (other !== slot && other.up) other.port?.send({ k: 'resend', toShard: slot.index });
        }
        break;
      case 'stopped':
        break;
      case 'push':
      case 'wsEnd':
      case 'fwd':
      case 'agentSession':
      case 'agentPush':
      case 'agentWsEnd':
      case 'campaign':
      case 'agentStrikes':
      case 'metrics':
        this.opts.onEvent(slot.index, m);
        break;
      default: {
        const never: never = m;
        throw new Error(`unhandled shard output ${JSON.stringify(never)}`);
      }
    }
  }

  isUp(shard: number): boolean {
    return this.slots[shard]?.up === true;
  }

  /** Sends a request; `cb` is called exactly once. Returns the request id (for cancel), 0 if refused. */
  request(shard: number, op: ConsumerOp, cb: ReplyCb): number {
    return this.submit(shard, cb, (id) => ({ k: 'req', id, op }));
  }

  /** Agent operation: same lifetime rules as request(). */
  requestAgent(shard: number, op: AgentOp, cb: ReplyCb): number {
    return this.submit(shard, cb, (id) => ({ k: 'agentReq', id, op }));
  }

  private submit(shard: number, cb: ReplyCb, build: (id: number) => ShardIn): number {
    const slot = this.slots[shard];
    if (this.stopping) {
      cb({ error: err('SHUTTING_DOWN') });
      return 0;
    }
    const id = this.nextId++;
    const m = build(id);
    // before the shard-up check: a poison request's retry while the shard it killed restarts is
    // refused for what it is, not told 503 "retry in 1 s" (back into the shard once it is up)
    if (this.quarantine.size > 0 && isRequest(m) && this.quarantine.refuses(m)) {
      cb({ error: err('REQUEST_QUARANTINED') });
      return 0;
    }
    if (!slot?.up || !slot.port) {
      cb({ error: err('SHARD_UNAVAILABLE') });
      return 0;
    }
    this.pending.set(id, { shard, cb, m });
    slot.port.send(m);
    return id;
  }

  /**
   * A one-way cross-shard event. While the target restarts it is held (bounded) and delivered
   * when it is ready, after its recovery, so a shard restart does not drop routing events.
   */
  forward(shard: number, m: ShardIn): void {
    const slot = this.slots[shard];
    if (slot?.up && slot.port) return slot.port.send(m);
    const q = this.held.get(shard) ?? [];
    if (q.length < 100_000) q.push(m);
    this.held.set(shard, q);
  }

  /**
   * The client of pending request `m.id` (a parked long poll) went away. The shard releases the
   * poll without answering it, so it is no longer awaited here either: kept, it stayed in flight
   * for good, and a graceful stop waited its full 5 s for it. An answer already on its way is
   * dropped (onMessage: unknown id); the shard still learns it was undelivered (poll-replay.ts).
   */
  cancel(shard: number, m: Extract<ShardIn, { k: 'cancel' | 'agentCancel' }>): void {
    this.pending.delete(m.id);
    this.send(shard, m);
  }

  send(shard: number, m: ShardIn): void {
    const slot = this.slots[shard];
    if (slot?.up) slot.port?.send(m);
  }

  broadcast(m: ShardIn): void {
    for (const s of this.slots) if (s.up) s.port?.send(m);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** why the node cannot take traffic now (shutting down, or a shard down or restarting); undefined: ready */
  get notReady(): 'SHUTTING_DOWN' | 'SHARD_UNAVAILABLE' | undefined {
    if (this.stopping) return 'SHUTTING_DOWN';
    return this.slots.every((s) => s.up) ? undefined : 'SHARD_UNAVAILABLE';
  }

  /** per shard: running and recovered; restarts after a crash, and how many of them a failed journal commit caused */
  get health(): ShardHealth[] {
    return this.slots.map((s) => ({ up: s.up, restarts: s.restarts, journalFailures: s.journalFailures, poisoned: s.poisoned }));
  }

  /**
   * A graceful stop begins: new requests get 503 SHUTTING_DOWN at once (readiness too), and every
   * parked long poll is answered now, empty, so what remains in flight is real work (posts being
   * committed) — the stop then waits for that, not for the longest poll hold.
   */
  beginStop(): void {
    this.stopping = true;
    this.broadcast({ k: 'drain' });
  }

  /** Graceful: each shard finishes its batch, flushes the journal and exits its task. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.watchdog);
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (!s.up || !s.port) return resolve();
            s.stopped = resolve;
            s.port.send({ k: 'stop' });
            setTimeout(resolve, 5_000).unref();
          }),
      ),
    );
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.cb({ error: err('SHUTTING_DOWN') });
    }
    await this.pool.destroy();
  }
}

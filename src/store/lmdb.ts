// The embedded default journal: one LMDB environment under PARLEY_DATA_DIR, opened by every shard
// thread (lmdb-js shares the environment between threads of one process; LMDB serialises writers).
//
// Layout: events are appended to per-writer logs in `log` (key [logId, seq], a record of up to
// RECORD_SLOTS flattened [engagementId, n, event] triples per put); reads of one engagement go
// through an in-memory index of its positions, built by scan() at recovery and kept by append().
// Durability: one write transaction per mailbox batch (group commit) — 'commit' (default) commits
// in place through a writable map (survives kill -9, not power loss), 'flush' fsyncs each one on
// lmdb-js's writer thread. The why and the measurements: docs/journal.md.
import path from 'node:path';
import { open, type Database, type RootDatabase, type RootDatabaseOptionsWithPath } from 'lmdb';
import type { Journal, JournalRecord } from './journal.ts';
import { vshardOfId } from '../router/ids.ts';

export type SyncMode = 'commit' | 'flush';

export function journalPath(dataDir: string): string {
  return path.join(dataDir, 'journal.mdb');
}

const REMOVE = Symbol('remove');
const NEXT_LOG = 'journal/nextLog';
/** per log: the vshards its writer owned (null: not recorded, read by every shard), written with the log id; ids zero-padded so they sort */
const logMetaKey = (logId: number): string => `journal/log/${String(logId).padStart(8, '0')}`;
/** seqs per log: a writer that reaches it takes a new log, so a position fits one double exactly */
const LOG_SPAN = 2 ** 32;
/** events per record in a log written in records ('commit' mode); a record starts at a multiple of it */
const RECORD_SLOTS = 16;
/** the engagement id of a removed event's triple inside a record that still holds live events */
const TOMBSTONE = -1;
const MAX_LOG_ID = 2 ** 21 - 1;

/** Where an event lives in the `log` database. */
type LogKey = [logId: number, seq: number];

/** An event's in-memory position: its log key as one double. */
function posOf(logId: number, seq: number): number {
  return logId * LOG_SPAN + seq;
}

/** The log key of an in-memory position (inverse of posOf). */
function keyAt(pos: number): LogKey {
  const logId = Math.floor(pos / LOG_SPAN);
  return [logId, pos - logId * LOG_SPAN];
}

/** A queued write ('commit' mode). */
interface Write {
  db: Database<unknown, never>;
  key: unknown;
  value: unknown;
}

/**
 * A stored log record, narrowed: [engagementId, n, event] triples flattened (a value of another
 * shape means a damaged journal: fail loudly).
 */
function asLogRecord(key: LogKey, value: unknown): unknown[] {
  if (Array.isArray(value) && value.length > 0 && value.length % 3 === 0) {
    let ok = true;
    for (let i = 0; i < value.length && ok; i += 3) ok = typeof value[i] === 'number' && typeof value[i + 1] === 'number';
    if (ok) return value;
  }
  throw new Error(`journal: malformed log record at [${key.join(', ')}]`);
}

export class LmdbJournal implements Journal {
  private readonly root: RootDatabase;
  private readonly log: Database<unknown, LogKey>;
  private readonly meta: Database<unknown, string>;
  /** this instance's log, taken on its first append (readers never take one) */
  private logId = -1;
  private nextSeq = 0;
  /** 'commit' mode: the record being filled (flattened triples) and its seq; sealed by the next commit */
  private open: unknown[] | null = null;
  private openSeq = 0;
  /** events per record of each log read or written (absent: 1, a log written one event per record) */
  private readonly slots = new Map<number, number>();
  /** 'flush' mode: records rewritten by remove() whose put has not committed yet, by record position */
  private readonly rewrites = new Map<number, unknown[]>();
  /**
   * engagementId → positions of its events (logId × LOG_SPAN + seq: 8 bytes each) in event order:
   * the engagements scan() yielded plus this instance's appends; lives until remove()
   */
  private readonly index = new Map<number, number[]>();
  private indexed = false;
  /** inside scan(): a read() meanwhile uses the index built so far (see ensureIndex) */
  private scanning = false;
  /** 'commit' mode: writes since the last commit, in issue order; lives until the next commit */
  private queue: Write[] = [];
  private commitQueued = false;
  /** 'flush' mode: this instance's appends whose lmdb-js put has not committed yet, by position */
  private readonly inflight = new Map<number, unknown>();
  /** a queued commit that failed outside barrier(): the next barrier() reports it */
  private failure: { error: unknown } | undefined;
  /** fault injection: refuse every commit */
  private refuseCommits = false;
  /** a commit has failed since open (see Journal.failed) */
  private broken = false;

  get failed(): boolean {
    return this.broken;
  }

  constructor(
    dataDir: string,
    private readonly sync: SyncMode,
    /** the vshards this instance appends for (a shard's own), recorded with each log it takes; undefined: not recorded */
    private readonly writesVshards?: readonly number[],
  ) {
    // 'commit' writes through a writable map: a commit then touches the mapped pages directly
    // instead of pwrite()-ing each dirty page from lmdb's writer thread (under HTTP load that
    // kernel copy cost ~10 µs of CPU per post). The file grows with the data (lmdb-js remaps on
    // MAP_FULL); a fixed large map would make a sparse file of the map's size. 'flush' keeps
    // pwrite + fdatasync, LMDB's most conservative path.
    // No readahead with the writable map: when a commit first writes a page past the data, the
    // kernel's readahead fills a large folio around it with zeroes inside that page fault — every
    // few thousand commits one took 20–27 ms (.prof/lmdblat.mts: 30k commits of 13 random puts,
    // 10–13 such stalls; with noReadAhead none after the first, p999 0.44–0.68 → 0.22–0.25 ms).
    // Under load each stall held a shard for that long and set the p99. The cost: a recovery scan
    // of a journal that is not in the page cache (after a reboot) reads page by page.
    const writemap = sync === 'commit';
    // lmdb-js passes noReadAhead on as MDB_NORDAHEAD; its typings leave it out
    const options: RootDatabaseOptionsWithPath & { noReadAhead: boolean } = { path: journalPath(dataDir), maxDbs: 4, noSubdir: true, noSync: writemap, useWritemap: writemap, noReadAhead: writemap, ...(writemap ? {} : { mapSize: 2 ** 34 }) };
    this.root = open(options);
    // msgpack with structures shared through the database (saved once, under a symbol key outside
    // every [logId, seq] range): without them msgpackr writes each value's record definition into
    // that value — 1.8 µs per event encode vs 0.5 µs measured, and a third more bytes. lmdb-js
    // keeps the shared list consistent across threads (conditional save in the same transaction).
    this.log = this.root.openDB<unknown, LogKey>({ name: 'log', sharedStructuresKey: Symbol.for('structures') });
    this.meta = this.root.openDB<unknown, string>({ name: 'meta' });
  }

  // the two databases as write() takes them (one Write shape for both key types)
  private get logDb(): Database<unknown, never> {
    return this.log as Database<unknown, never>;
  }
  private get metaDb(): Database<unknown, never> {
    return this.meta as Database<unknown, never>;
  }

  /** `settled` (flush mode): called once lmdb-js has committed or refused this write */
  private write(db: Database<unknown, never>, key: unknown, value: unknown, settled?: () => void): void {
    if (this.sync === 'flush') {
      // lmdb-js encodes the key and value now and may throw (a key over LMDB's maximum size):
      // reported by the next barrier() like any failed commit, never thrown into the actor
      try {
        const done = value === REMOVE ? db.remove(key as never) : db.put(key as never, value);
        if (settled) done.then(settled, settled);
      } catch (e) {
        settled?.();
        this.failure ??= { error: e };
        this.broken = true;
      }
      return;
    }
    this.queue.push({ db, key, value });
    this.scheduleCommit();
  }

  /** 'commit' mode: writes outside a mailbox batch (timers: retention, agent routing) still commit this turn */
  private scheduleCommit(): void {
    if (this.commitQueued) return;
    this.commitQueued = true;
    queueMicrotask(this.commitQueue);
  }

  private readonly applyQueue = (): void => {
    const q = this.queue;
    this.queue = [];
    for (const w of q) void (w.value === REMOVE ? w.db.remove(w.key as never) : w.db.put(w.key as never, w.value));
  };

  /** Fault injection only (PARLEY_FAULT_INJECTION): from now on every commit of this instance fails as a refused write would. */
  faultRefuseCommits(): void {
    this.refuseCommits = true;
  }

  /** Fault injection only (PARLEY_FAULT_INJECTION): blocks this thread inside a write transaction. */
  faultHangInCommit(): void {
    this.root.transactionSync(() => {
      for (let spins = 0; ; spins++);
    });
  }

  private readonly commitQueue = (): void => {
    this.commitQueued = false;
    this.sealRecord();
    if (this.queue.length === 0) return;
    if (this.refuseCommits) {
      this.queue = [];
      this.failure ??= { error: new Error('journal refusing commits (fault injection)') };
      this.broken = true;
      return;
    }
    try {
      this.root.transactionSync(this.applyQueue);
    } catch (e) {
      this.queue = [];
      this.failure ??= { error: e };
      this.broken = true;
    }
  };

  /**
   * A fresh log id, atomically (LMDB serialises write transactions across threads), with its
   * vshards and its events per record.
   */
  private takeLogId(vshards: readonly number[] | null, slots: number): number {
    this.commitQueue();
    const id = this.root.transactionSync(() => {
      const raw = this.meta.get(NEXT_LOG);
      const next = typeof raw === 'number' ? raw : 1;
      if (next > MAX_LOG_ID) throw new Error(`journal: log ids exhausted (${next}); compact the journal into a new data dir`);
      void this.meta.put(NEXT_LOG, next + 1);
      void this.meta.put(logMetaKey(next), slots > 1 ? { vshards, slots } : { vshards });
      return next;
    });
    if (slots > 1) this.slots.set(id, slots);
    return id;
  }

  /** 'commit' mode: queues the open record's put (its events then commit with everything else queued). */
  private sealRecord(): void {
    if (this.open === null) return;
    this.queue.push({ db: this.logDb, key: [this.logId, this.openSeq] satisfies LogKey, value: this.open });
    this.open = null;
  }

  /** The record holding the event at `pos`, as a position, and the event's slot in it. */
  private locate(pos: number): { record: number; slot: number } {
    const logId = Math.floor(pos / LOG_SPAN);
    const slot = (pos - logId * LOG_SPAN) % (this.slots.get(logId) ?? 1);
    return { record: pos - slot, slot };
  }

  /**
   * The logs a recovery of the vshards `owns` accepts must read, oldest first: those whose writer
   * owned one of them, and any whose vshards are not recorded.
   */
  logsToScan(owns: (vshard: number) => boolean): number[] {
    this.commitQueue();
    const raw = this.meta.get(NEXT_LOG);
    const next = typeof raw === 'number' ? raw : 1;
    const out: number[] = [];
    for (let id = 1; id < next; id++) {
      const m: unknown = this.meta.get(logMetaKey(id));
      const slots: unknown = typeof m === 'object' && m !== null && 'slots' in m ? m.slots : 1;
      if (typeof slots === 'number' && slots > 1) this.slots.set(id, slots);
      const vshards: unknown = typeof m === 'object' && m !== null && 'vshards' in m ? m.vshards : null;
      if (Array.isArray(vshards) && !vshards.some((v) => typeof v === 'number' && owns(v))) continue;
      out.push(id);
    }
    return out;
  }

  private positions(engagementId: number): number[] {
    let p = this.index.get(engagementId);
    if (!p) this.index.set(engagementId, (p = []));
    return p;
  }

  /** An instance that has not scanned (a tool, a test) indexes the whole journal on first use. */
  private ensureIndex(): void {
    // Not during scan(): the replay reads while it applies (a `joined` folds the transcript so far
    // for the agent's history) and the index built up to the event being applied is what it needs.
    // A nested scan rebuilt the index underneath the running one, which then added every later
    // event again — transcripts and histories after a restart repeated old messages and missed
    // new ones (test/transcript-after-restart-with-agent.test.ts), and it indexed every shard's
    // engagements, not only this one's.
    if (!this.indexed && !this.scanning) for (const _ of this.scan(() => true));
  }

  append(engagementId: number, n: number, event: unknown): void {
    if (this.sync === 'commit') {
      if (this.open === null) {
        this.ensureLog(RECORD_SLOTS);
        this.open = [];
        this.openSeq = this.nextSeq;
        this.nextSeq += RECORD_SLOTS;
      }
      this.positions(engagementId).push(posOf(this.logId, this.openSeq + this.open.length / 3));
      this.open.push(engagementId, n, event);
      if (this.open.length === RECORD_SLOTS * 3) this.sealRecord();
      this.scheduleCommit();
      return;
    }
    this.ensureLog(1);
    const seq = this.nextSeq++;
    const pos = posOf(this.logId, seq);
    this.positions(engagementId).push(pos);
    // flush mode: lmdb-js commits on its writer thread and reads see only committed data, so the
    // event stays visible to read() from here until its put has committed
    this.inflight.set(pos, event);
    this.write(this.logDb, [this.logId, seq] satisfies LogKey, [engagementId, n, event], () => this.inflight.delete(pos));
  }

  /** Takes this instance's log on its first append, and a new one when `slots` more seqs would not fit. */
  private ensureLog(slots: number): void {
    if (this.logId >= 0 && this.nextSeq + slots <= LOG_SPAN) return;
    // an instance that has not scanned indexes what is already there before adding to it
    this.ensureIndex();
    this.logId = this.takeLogId(this.writesVshards ?? null, slots);
    this.nextSeq = 0;
  }

  barrier(): Promise<void> {
    if (this.sync === 'commit') this.commitQueue();
    const failure = this.failure;
    if (failure === undefined) return this.sync === 'flush' ? this.root.flushed.then(() => undefined) : Promise.resolve();
    this.failure = undefined;
    return Promise.reject(failure.error instanceof Error ? failure.error : new Error(String(failure.error)));
  }

  /** Rebuilds the index for the engagements it yields (recovery: once, before any append). */
  *scan(owns: (vshard: number) => boolean): Iterable<JournalRecord> {
    this.index.clear();
    this.scanning = true;
    try {
      for (const logId of this.logsToScan(owns)) {
        for (const { key, value } of this.log.getRange({ start: [logId], end: [logId + 1] })) {
          const record = asLogRecord(key, value);
          for (let i = 0; i < record.length; i += 3) {
            const engagementId = record[i] as number;
            if (engagementId === TOMBSTONE || !owns(vshardOfId(engagementId))) continue;
            this.positions(engagementId).push(posOf(key[0], key[1] + i / 3));
            yield { engagementId, n: record[i + 1] as number, event: record[i + 2] };
          }
        }
      }
      this.indexed = true;
    } finally {
      // also when the caller stops early (a check that reads one record): not indexed then
      this.scanning = false;
    }
  }

  read(engagementId: number): unknown[] {
    this.ensureIndex();
    const p = this.index.get(engagementId);
    if (!p) return [];
    // 'commit' mode: this batch's records wait for its barrier and are read from memory. Committing
    // them here (as before) made the batch durable before its answers could leave: a crash later in
    // the same batch then lost answers to committed state (a poll's, whose cursor had moved)
    const uncommitted = this.uncommittedRecords();
    const out: unknown[] = [];
    // an engagement's events in one record are next to each other in p: one get per record
    let at = -1;
    let record: unknown[] | undefined;
    for (const pos of p) {
      // flush mode: this thread's appends not yet committed are read from memory
      const pending = this.inflight.get(pos);
      if (pending !== undefined) {
        out.push(pending);
        continue;
      }
      const { record: rpos, slot } = this.locate(pos);
      if (rpos !== at) {
        at = rpos;
        const mine = uncommitted?.get(rpos);
        if (mine !== undefined) record = mine === REMOVE ? undefined : mine;
        else {
          const key = keyAt(rpos);
          const value = this.log.get(key);
          record = value === undefined ? undefined : asLogRecord(key, value);
        }
      }
      // absent: its batch's commit failed (the batch was answered JOURNAL_FAILED)
      if (record !== undefined && record[slot * 3] === engagementId) out.push(record[slot * 3 + 2]);
    }
    return out;
  }

  /** 'commit' mode: log records written since the last commit (queued, and the open one), by position. */
  private uncommittedRecords(): Map<number, unknown[] | typeof REMOVE> | undefined {
    if (this.queue.length === 0 && this.open === null) return undefined;
    const m = new Map<number, unknown[] | typeof REMOVE>();
    for (const w of this.queue) {
      if (w.db !== this.logDb) continue;
      const [logId, seq] = w.key as LogKey;
      m.set(posOf(logId, seq), w.value === REMOVE ? REMOVE : (w.value as unknown[]));
    }
    if (this.open !== null) m.set(posOf(this.logId, this.openSeq), this.open);
    return m;
  }

  /**
   * An evicted engagement's positions are final: copied into an array of exactly their length (a
   * growing array keeps up to ~2× spare slots). Measured for 6 events: 222 → 133 bytes of heap per
   * engagement, for the retention period (7 days by default).
   */
  retire(engagementId: number): void {
    const p = this.index.get(engagementId);
    if (p) this.index.set(engagementId, p.slice());
  }

  remove(engagementId: number): void {
    this.ensureIndex();
    const p = this.index.get(engagementId);
    if (!p) return;
    this.index.delete(engagementId);
    // commit mode: the records read below include every earlier write (an earlier remove's too)
    if (this.sync === 'commit') this.commitQueue();
    let at = -1;
    for (const pos of p) {
      const { record } = this.locate(pos);
      if (record === at) continue;
      at = record;
      this.tombstone(record, engagementId, pos);
    }
  }

  /** Overwrites an engagement's triples in one record with tombstones; deletes the record once none is live. */
  private tombstone(rpos: number, engagementId: number, pos: number): void {
    const key = keyAt(rpos);
    const value = this.rewrites.get(rpos) ?? this.log.get(key);
    if (value === undefined) {
      // flush mode, an append whose put has not committed yet (one event per record): delete it after
      if (this.inflight.has(pos)) this.write(this.logDb, key, REMOVE);
      return;
    }
    const next = asLogRecord(key, value).slice();
    let live = 0;
    for (let i = 0; i < next.length; i += 3) {
      if (next[i] === engagementId) {
        next[i] = TOMBSTONE;
        next[i + 1] = 0;
        next[i + 2] = null;
      } else if (next[i] !== TOMBSTONE) live++;
    }
    if (this.sync === 'commit') return this.write(this.logDb, key, live === 0 ? REMOVE : next);
    // flush mode: a second remove() touching this record before the put commits must see this one
    this.rewrites.set(rpos, next);
    this.write(this.logDb, key, live === 0 ? REMOVE : next, () => {
      if (this.rewrites.get(rpos) === next) this.rewrites.delete(rpos);
    });
  }

  /**
   * Moves events of the layout before logs ([vshard, engagementId, n] keys in `events`) into a new
   * log, in that order (each engagement's events stay in order), in one transaction, and empties
   * `events`. Called once at startup, before any shard opens the journal.
   */
  migrateLegacyEvents(): number {
    const legacy = this.root.openDB<unknown, [number, number, number]>({ name: 'events', sharedStructuresKey: Symbol.for('structures') });
    const range = { start: [0], end: [Number.MAX_SAFE_INTEGER] };
    let present = false;
    for (const _ of legacy.getKeys({ ...range, limit: 1 })) present = true;
    if (!present) return 0;
    const logId = this.takeLogId(null, 1);
    let moved = 0;
    // one transaction: copied and emptied together (removing while the range's cursor is open
    // corrupts the cursor's view, so the old database is cleared after the copy)
    this.root.transactionSync(() => {
      for (const { key, value } of legacy.getRange(range)) {
        void this.log.put([logId, moved++], [key[1], key[2], value]);
      }
      legacy.clearSync();
    });
    return moved;
  }

  putMeta(key: string, value: unknown): void {
    this.write(this.metaDb, key, value);
  }

  getMeta(key: string): unknown {
    this.commitQueue();
    return this.meta.get(key);
  }

  removeMeta(key: string): void {
    this.write(this.metaDb, key, REMOVE);
  }

  *metaRange(prefix: string): Iterable<{ key: string; value: unknown }> {
    this.commitQueue();
    for (const { key, value } of this.meta.getRange({ start: prefix, end: prefix + '\uffff' })) yield { key, value };
  }

  async close(): Promise<void> {
    this.commitQueue();
    await this.root.close();
  }
}

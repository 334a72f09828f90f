// In 'commit' mode the journal writes the events of one commit as one record (up to 16 events,
// key [logId, seq of its first event], value the [engagementId, n, event] triples flattened).
// What must hold: every event comes back in order through read() and a fresh instance's scan();
// a commit larger than one record spans several; retention removes one engagement's events from a
// record shared with others without touching theirs, and deletes the record once nothing in it is
// live; logs written one event per record ('flush' mode, or before records) read alongside.
// Real LMDB files in temp dirs; the raw record count is read with a second lmdb-js handle.
import { describe, expect, it } from 'vitest';
import { open } from 'lmdb';
import { LmdbJournal, journalPath, type SyncMode } from '../src/store/lmdb.ts';
import { tempDir } from './helpers/server.ts';

/** records in the `log` database, read with a handle of the same flags as `sync` mode opens */
async function recordCount(dir: string, sync: SyncMode): Promise<number> {
  const writemap = sync === 'commit';
  const root = open({ path: journalPath(dir), maxDbs: 4, noSubdir: true, noSync: writemap, useWritemap: writemap });
  try {
    const log = root.openDB<unknown, [number, number]>({ name: 'log', sharedStructuresKey: Symbol.for('structures') });
    return [...log.getKeys({ start: [0], end: [Number.MAX_SAFE_INTEGER] })].length;
  } finally {
    await root.close();
  }
}

async function withJournal<T>(dir: string, sync: SyncMode, f: (j: LmdbJournal) => Promise<T> | T): Promise<T> {
  const j = new LmdbJournal(dir, sync);
  try {
    return await f(j);
  } finally {
    await j.close();
  }
}

const ev = (eid: number, i: number): { e: string; eid: number; i: number } => ({ e: 'posted', eid, i });

/** everything a fresh instance's recovery scan yields, as [engagementId, n] */
const scanned = (dir: string): Promise<Array<[number, number]>> => withJournal(dir, 'commit', (j) => [...j.scan(() => true)].map((r): [number, number] => [r.engagementId, r.n]));

describe('journal records', () => {
  it('writes the events of one commit as one record and reads each engagement back in order', async () => {
    const dir = tempDir('records');
    await withJournal(dir, 'commit', async (j) => {
      for (let i = 0; i < 3; i++) {
        j.append(11, i, ev(11, i));
        j.append(22, i, ev(22, i));
      }
      await j.barrier();
      expect(j.read(11)).toEqual([ev(11, 0), ev(11, 1), ev(11, 2)]);
      j.append(11, 3, ev(11, 3));
      await j.barrier();
      expect(j.read(11)).toEqual([0, 1, 2, 3].map((i) => ev(11, i)));
      expect(j.read(22)).toEqual([0, 1, 2].map((i) => ev(22, i)));
    });
    expect(await recordCount(dir, 'commit')).toBe(2);
    expect(await scanned(dir)).toEqual([[11, 0], [22, 0], [11, 1], [22, 1], [11, 2], [22, 2], [11, 3]]);
    await withJournal(dir, 'commit', (j) => {
      expect(j.read(22)).toEqual([0, 1, 2].map((i) => ev(22, i)));
    });
  });

  it('splits a commit of more events than one record holds, in order', async () => {
    const dir = tempDir('records');
    await withJournal(dir, 'commit', async (j) => {
      for (let i = 0; i < 150; i++) j.append(7 + (i % 2), i, ev(7 + (i % 2), i));
      await j.barrier();
      expect(j.read(7).map((e) => (e as { i: number }).i)).toEqual(Array.from({ length: 75 }, (_, k) => 2 * k));
    });
    // 16 events per record: 150 events in one commit take 10
    expect(await recordCount(dir, 'commit')).toBe(10);
    const all = await scanned(dir);
    expect(all.map(([, n]) => n)).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });

  it('removes one engagement from a shared record, keeps the others, and deletes the record when nothing is live', async () => {
    const dir = tempDir('records');
    await withJournal(dir, 'commit', async (j) => {
      for (let i = 0; i < 2; i++) for (const eid of [1, 2, 3]) j.append(eid, i, ev(eid, i));
      await j.barrier();
      // two removes in one turn touch the same record: the second must see the first's tombstones
      j.remove(1);
      j.remove(3);
      await j.barrier();
      expect(j.read(1)).toEqual([]);
      expect(j.read(2)).toEqual([ev(2, 0), ev(2, 1)]);
    });
    expect(await scanned(dir)).toEqual([[2, 0], [2, 1]]);
    expect(await recordCount(dir, 'commit')).toBe(1);
    await withJournal(dir, 'commit', async (j) => {
      j.remove(2);
      await j.barrier();
    });
    expect(await recordCount(dir, 'commit')).toBe(0);
    expect(await scanned(dir)).toEqual([]);
  });

  it('reads logs written one event per record (flush mode) alongside records, and removes from both', async () => {
    const dir = tempDir('records');
    await withJournal(dir, 'flush', async (j) => {
      j.append(5, 0, ev(5, 0));
      j.append(6, 0, ev(6, 0));
      await j.barrier();
    });
    expect(await recordCount(dir, 'flush')).toBe(2);
    await withJournal(dir, 'commit', async (j) => {
      for (const x of j.scan(() => true)) expect(x.n).toBe(0);
      j.append(5, 1, ev(5, 1));
      j.append(6, 1, ev(6, 1));
      j.append(8, 0, ev(8, 0));
      await j.barrier();
      expect(j.read(5)).toEqual([ev(5, 0), ev(5, 1)]);
    });
    // flush mode removes from a record written in commit mode (rewrites it through lmdb-js's async
    // writer; two removes in one turn) and from a one-event record (deletes it)
    await withJournal(dir, 'flush', async (j) => {
      expect(j.read(6)).toEqual([ev(6, 0), ev(6, 1)]);
      j.remove(5);
      j.remove(8);
      await j.barrier();
      expect(j.read(6)).toEqual([ev(6, 0), ev(6, 1)]);
    });
    expect(await scanned(dir)).toEqual([[6, 0], [6, 1]]);
    expect(await recordCount(dir, 'flush')).toBe(2);
  });
});

// The journal's group commit on a real LMDB file: a batch's writes become durable together or not
// at all, a failed commit is reported by barrier() (the shard turns it into JOURNAL_FAILED replies),
// and the next batch commits normally.
import { afterAll, describe, expect, it } from 'vitest';
import { LmdbJournal, type SyncMode } from '../src/store/lmdb.ts';
import { tempDir } from './helpers/server.ts';

const journals: LmdbJournal[] = [];
afterAll(async () => {
  for (const j of journals) await j.close();
});

describe.each<SyncMode>(['commit', 'flush'])('journal group commit (%s)', (sync) => {
  it('commits a batch as one unit; a failed commit is reported and leaves nothing behind', async () => {
    const j = new LmdbJournal(tempDir('journal'), sync);
    journals.push(j);
    j.append(40, 0, { e: 'created' });
    j.append(40, 1, { e: 'posted', body: 'hi' });
    j.putMeta('q:40', { pos: 1 });
    await j.barrier();
    expect(j.read(40)).toEqual([{ e: 'created' }, { e: 'posted', body: 'hi' }]);
    expect(j.getMeta('q:40')).toEqual({ pos: 1 });

    // LMDB refuses keys over its maximum key size: the whole batch fails, nothing of it lands
    j.append(40, 2, { e: 'posted', body: 'lost with its batch' });
    j.putMeta('k'.repeat(4000), 1);
    await expect(j.barrier()).rejects.toThrow(/key size/i);
    if (sync === 'flush') await j.barrier();
    // commit mode: one transaction per batch, so the good write of the failed batch is gone too;
    // flush mode: lmdb-js refuses the bad key when it is written and commits the rest
    expect(j.read(40)).toHaveLength(sync === 'commit' ? 2 : 3);

    // the journal keeps working: the next batch commits
    j.append(41, 0, { e: 'created' });
    j.removeMeta('q:40');
    await j.barrier();
    expect(j.read(41)).toEqual([{ e: 'created' }]);
    expect(j.getMeta('q:40')).toBeUndefined();
  });
});

describe.each<SyncMode>(['commit', 'flush'])('journal reads (%s)', (sync) => {
  it("read() sees this thread's appends before their commit, once each, in order", async () => {
    const j = new LmdbJournal(tempDir('journal'), sync);
    journals.push(j);
    j.append(5, 0, { e: 'created' });
    await j.barrier();
    j.append(5, 1, { e: 'posted', body: 'a' });
    j.append(6, 0, { e: 'created' });
    j.append(5, 2, { e: 'posted', body: 'b' });
    // no barrier yet: an agent joining in this batch reads the conversation so far
    expect(j.read(5)).toEqual([{ e: 'created' }, { e: 'posted', body: 'a' }, { e: 'posted', body: 'b' }]);
    await j.barrier();
    expect(j.read(5)).toEqual([{ e: 'created' }, { e: 'posted', body: 'a' }, { e: 'posted', body: 'b' }]);
    expect(j.read(6)).toEqual([{ e: 'created' }]);
  });
});

// commit mode only: there reads see this thread's queued writes (flush mode reads what lmdb-js's
// writer has committed, so a remove right after appends in the same turn would miss them)
describe('journal group commit (commit mode)', () => {
  it('writes outside a batch (timers) commit in the same turn; reads see queued writes in order', async () => {
    const dir = tempDir('journal');
    const j = new LmdbJournal(dir, 'commit');
    journals.push(j);
    for (let n = 0; n < 50; n++) j.append(9, n, { n });
    j.remove(9);
    j.append(9, 0, { n: 'again' });
    j.putMeta('timer', 1);
    // no barrier(): a timer's writes commit on the microtask queue
    await new Promise((r) => setImmediate(r));
    const again = new LmdbJournal(dir, 'commit');
    journals.push(again);
    expect(again.read(9)).toEqual([{ n: 'again' }]);
    expect(again.getMeta('timer')).toBe(1);
  });
});

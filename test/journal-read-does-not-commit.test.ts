// A read of an engagement's events inside a mailbox batch (an agent joining reads the transcript so
// far; an admin transcript) serves the batch's own uncommitted events from memory and commits
// nothing: the batch stays one unit that becomes durable at its barrier, together with the release
// of its answers. Before, the read committed the batch early, so a crash later in the same batch
// lost answers to state already durable — a poll whose cursor had moved lost its messages.
// Another journal instance on the same file (another thread's view) sees committed state only.
import { afterAll, describe, expect, it } from 'vitest';
import { LmdbJournal } from '../src/store/lmdb.ts';
import { tempDir } from './helpers/server.ts';

const journals: LmdbJournal[] = [];
const open = (dir: string): LmdbJournal => {
  const j = new LmdbJournal(dir, 'commit');
  journals.push(j);
  return j;
};
afterAll(async () => {
  for (const j of journals) await j.close();
});

describe('a journal read inside a batch', () => {
  it('sees the batch from memory and commits nothing of it', async () => {
    const dir = tempDir('journal-read');
    const w = open(dir);
    w.append(7, 0, { e: 'created' });
    await w.barrier();
    // more than one record's worth (RECORD_SLOTS): a sealed record waits in the queue, the rest in
    // the open record
    const posted = Array.from({ length: 20 }, (_, i) => ({ e: 'posted', body: `message ${i}` }));
    posted.forEach((ev, i) => w.append(7, i + 1, ev));
    w.append(8, 0, { e: 'created' });
    expect(w.read(7)).toEqual([{ e: 'created' }, ...posted]);
    expect(w.read(8)).toEqual([{ e: 'created' }]);

    expect(open(dir).read(7)).toEqual([{ e: 'created' }]);
    await w.barrier();
    expect(open(dir).read(7)).toEqual([{ e: 'created' }, ...posted]);
    expect(w.read(7)).toEqual([{ e: 'created' }, ...posted]);
  });

  it('leaves out what a retention removal in the same batch tombstoned', async () => {
    const dir = tempDir('journal-read');
    const w = open(dir);
    w.append(3, 0, { e: 'created' });
    w.append(4, 0, { e: 'created' });
    await w.barrier();
    w.append(4, 1, { e: 'posted', body: 'kept' });
    w.remove(3);
    expect(w.read(3)).toEqual([]);
    expect(w.read(4)).toEqual([{ e: 'created' }, { e: 'posted', body: 'kept' }]);
    await w.barrier();
    expect(open(dir).read(3)).toEqual([]);
    expect(open(dir).read(4)).toEqual([{ e: 'created' }, { e: 'posted', body: 'kept' }]);
  });
});

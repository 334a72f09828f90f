// A full disk under the journal. In the default sync mode the journal writes through LMDB's writable
// memory map, where a page the filesystem cannot back kills the whole process with SIGBUS (measured:
// a 24 MB tmpfs data dir died after 6,080 posts). Below PARLEY_JOURNAL_MIN_FREE_MB free, shards
// refuse what grows the journal — new posts and new engagements, 503 STORE_FULL — and keep serving
// everything else. Here the minimum is set above any real free space, so the real statfs check trips.
import { describe, expect, it } from 'vitest';
import { startTestServer, tempDir } from './helpers/server.ts';
import { call, cpath, metric, newConsumer, transcript, until } from './helpers/client.ts';

describe('journal filesystem nearly full', () => {
  it('refuses new posts and engagements with 503 STORE_FULL, keeps serving what is stored, and says so in the metrics', async () => {
    const dataDir = tempDir('data');
    const configDir = tempDir('config');
    const a = await startTestServer({ dataDir, configDir });
    const c = await newConsumer(a.url);
    expect((await c.post('stored before the disk filled up')).status).toBe(200);
    await a.stop();

    const b = await startTestServer({ dataDir, configDir, journalMinFreeMb: 1 << 30 });
    try {
      const onB = (op: string) => call(b.url, 'POST', cpath('demo', op), { body: op === 'postMessage' ? { body: 'this one finds the disk full' } : {}, headers: { SessionId: c.sessionId } });
      const refused = await onB('postMessage');
      expect(refused.status).toBe(503);
      expect(refused.json.code).toBe('STORE_FULL');
      // what is stored is still served
      expect((await onB('getMessages')).status).toBe(200);
      expect((await transcript(b.url, c.engagementId)).json.messages.map((m: { body: string }) => m.body)).toEqual(['stored before the disk filled up']);
      await expect(newConsumer(b.url)).rejects.toThrow(/503/);
      expect(await until(async () => (await metric(b.url, 'parley_journal_disk_low{shard="0"}')) === 1)).toBe(true);
      // counted on whichever shard refused (the test server has two), reported once a second
      const refusals = async (): Promise<number> => {
        const per = await Promise.all([0, 1].map((n) => metric(b.url, `parley_store_full_refusals_total{shard="${n}"}`)));
        return per.reduce((a, n) => a + (Number.isNaN(n) ? 0 : n), 0);
      };
      expect(await until(async () => (await refusals()) >= 2)).toBe(true); // the post and the new engagement
    } finally {
      await b.stop();
    }
  });
});

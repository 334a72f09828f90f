// Concluded engagements leave memory after the grace period and the store after the retention
// period, so the journal does not grow without bound; live engagements are never touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, transcript, until } from './helpers/client.ts';
import { LmdbJournal } from '../src/store/lmdb.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ concludeGraceMs: 300, retentionMs: 1500 });
});
afterAll(async () => s?.stop());

describe('retention', () => {
  it('deletes a concluded engagement from the store after PARLEY_RETENTION_MS, keeps a live one', async () => {
    const gone = await newConsumer(s.url);
    const live = await newConsumer(s.url);
    expect((await gone.post('a question about an invoice')).status).toBe(200);
    expect((await live.post('a question about a delivery')).status).toBe(200);
    expect((await gone.conclude()).status).toBe(200);
    // after the grace period it is read back from the store, not from memory
    await new Promise((r) => setTimeout(r, 900));
    expect((await transcript(s.url, gone.engagementId)).json.messages[0].body).toBe('a question about an invoice');
    expect(await until(async () => (await transcript(s.url, gone.engagementId)).status === 404, 5000)).toBe(true);
    const j = new LmdbJournal(s.dataDir, 'commit');
    try {
      expect(j.read(Number(gone.engagementId))).toEqual([]);
      expect(j.read(Number(live.engagementId)).length).toBeGreaterThan(0);
    } finally {
      await j.close();
    }
    expect((await transcript(s.url, live.engagementId)).json.messages[0].body).toBe('a question about a delivery');
    expect((await live.post('still chatting after the sweep')).status).toBe(200);
  });
});

// When a journal commit fails (disk full, I/O errors), the shard's actors already hold that batch's
// changes in memory. Nothing of the batch is acknowledged (503 JOURNAL_FAILED, retryable) and the
// shard is rebuilt from the journal, so its state never runs ahead of what is stored: a retry with
// the same messageId is then stored once — before, the retry was answered 200 from memory while the
// message was in no journal. Operators see the failure in the metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, newConsumer, transcript, until } from './helpers/client.ts';
import { shardOfEngagement } from './helpers/shards.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 2, faultInjection: true });
});
afterAll(async () => s?.stop());

const admin = { authorization: 'Bearer test-admin' };
const metric = async (series: string): Promise<number | undefined> => {
  const text = await (await fetch(`${s.url}/admin/v1/metrics`, { headers: admin })).text();
  const l = text.split('\n').find((x) => x.startsWith(series + ' '));
  return l === undefined ? undefined : Number(l.slice(series.length + 1));
};

describe('a failed journal commit', () => {
  it('is not acknowledged, rebuilds the shard from the journal, and a retry with the same messageId is stored once', async () => {
    const c = await newConsumer(s.url);
    expect((await c.post('stored before the failure')).status).toBe(200);
    const n = shardOfEngagement(c.engagementId, 2);
    expect((await call(s.url, 'POST', `/admin/v1/shards/${n}/fault?mode=failCommits`, { headers: admin })).status).toBe(202);

    const during = await c.post('refused by the journal', { messageId: 'jf-1' });
    expect(during.status).toBe(503);
    expect(['JOURNAL_FAILED', 'SHARD_UNAVAILABLE']).toContain(during.json.code);

    // the shard comes back from the journal (ready again), and says why it restarted
    expect(await until(async () => (await metric(`parley_journal_commit_failures_total{shard="${n}"}`)) === 1 && (await call(s.url, 'GET', '/readyz')).status === 200, 10_000)).toBe(true);
    expect(await metric(`parley_journal_commit_failures_total{shard="${1 - n}"}`)).toBe(0);

    // the client retries what it was told failed: stored now, once, after the earlier message
    for (let i = 0; i < 2; i++) expect((await c.post('refused by the journal', { messageId: 'jf-1' })).status).toBe(200);
    const t = await transcript(s.url, c.engagementId);
    expect(t.json.messages.map((x: { body: string }) => x.body)).toEqual(['stored before the failure', 'refused by the journal']);
    expect(t.json.messages.map((x: { sequenceNumber: number }) => x.sequenceNumber)).toEqual([...t.json.messages.map((x: { sequenceNumber: number }) => x.sequenceNumber)].sort((a, b) => a - b));
  });
});

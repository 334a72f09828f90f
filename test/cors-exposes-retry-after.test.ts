// A browser widget reads a cross-origin answer's headers only when they are CORS-safelisted or
// exposed: Retry-After is neither, so `headers.get('retry-after')` gave a page null on every 503
// (AT_CAPACITY, SHARD_UNAVAILABLE, STORE_FULL, JOURNAL_FAILED) and 429, while the README tells it
// to retry after Retry-After. Answers that carry it to an allowed origin now expose it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { cpath, establish, newConsumer } from './helpers/client.ts';

const SHOP = 'https://www.shop.example';
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 1, shardMaxEngagements: 1 });
});
afterAll(async () => s?.stop());

describe('CORS answers that carry Retry-After', () => {
  it('expose it to the page (503 AT_CAPACITY from a browser origin); answers without it expose nothing', async () => {
    await newConsumer(s.url); // the one engagement the shard may hold
    const est = await establish(s.url, { firstName: 'Late', emailAddress: 'late@example.com' });
    const r = await fetch(s.url + cpath('demo', 'requestEngagement'), { method: 'POST', headers: { authorization: `Bearer ${String(est.json.jwt)}`, 'content-type': 'application/json', origin: SHOP }, body: '{}' });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(r.headers.get('access-control-expose-headers')).toBe('Retry-After');
    const ok = await fetch(s.url + cpath('demo', 'getQueueStats'), { method: 'POST', headers: { 'content-type': 'application/json', origin: SHOP }, body: '{}' });
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('access-control-expose-headers')).toBeNull();
  });
});

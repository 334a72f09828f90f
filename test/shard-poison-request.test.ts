// A request that kills its shard thread ("query of death"). Before: it was answered 503
// SHARD_UNAVAILABLE like everything else in flight, the front retried it (same messageId, as told),
// and each retry killed the shard again — its other engagements got 503s through every restart and
// the crash back-off grew towards 30 s. Now that request is answered 500 REQUEST_QUARANTINED and
// the same request is refused on the HTTP thread; the shard restarts once and everyone else goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { metric, newConsumer, until } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 1, faultInjection: true, shardHangMs: 1000 });
});
afterAll(async () => s?.stop());

const ready = async (): Promise<boolean> => (await fetch(`${s.url}/readyz`)).status === 200;
const restarts = (): Promise<number> => metric(s.url, 'parley_shard_restarts_total{shard="0"}');

describe.each([
  ['throws', 'PARLEY-FAULT-THROW'],
  ['hangs', 'PARLEY-FAULT-HANG'],
])('a post its shard %s on', (_how, marker) => {
  it('is answered 500 REQUEST_QUARANTINED and refused again without reaching the shard; the shard restarts once and the other engagements, and this one, go on', async () => {
    const victim = await newConsumer(s.url);
    const bystander = await newConsumer(s.url);
    const before = await restarts();
    const poisonedBefore = await metric(s.url, 'parley_shard_poison_requests_total{shard="0"}');
    const refusedBefore = await metric(s.url, 'parley_quarantine_refusals_total');

    const first = await victim.post(`hello ${marker}`, { messageId: 'poison-1' });
    expect(first.status).toBe(500);
    expect(first.json.code).toBe('REQUEST_QUARANTINED');
    expect(await until(ready, 20_000)).toBe(true);
    expect(await restarts()).toBe(before + 1);

    // the front's retry (same messageId), and the same text under a new messageId
    for (const messageId of ['poison-1', 'poison-2']) {
      const again = await victim.post(`hello ${marker}`, { messageId });
      expect(again.status).toBe(500);
      expect(again.json.code).toBe('REQUEST_QUARANTINED');
    }
    expect(await ready()).toBe(true);
    expect(await restarts()).toBe(before + 1);

    expect((await bystander.post('still here')).status).toBe(200);
    expect((await victim.post('an ordinary message')).status).toBe(200);
    expect(await metric(s.url, 'parley_shard_poison_requests_total{shard="0"}')).toBe(poisonedBefore + 1);
    expect(await metric(s.url, 'parley_quarantine_refusals_total')).toBe(refusedBefore + 2);
  }, 60_000);

  // Before: the retry sent at once, while the shard it killed was still restarting, got 503
  // SHARD_UNAVAILABLE with Retry-After: 1 (the shard-up check came first) — an invitation to send
  // it again into the shard once it was back, had the quarantine not been there.
  it('is refused REQUEST_QUARANTINED at once when retried while its shard is still restarting', async () => {
    const victim = await newConsumer(s.url);
    const first = await victim.post(`hello ${marker}`, { messageId: 'poison-now-1' });
    expect(first.status).toBe(500);
    // sent at once: the shard's new thread is still recovering its journal (tens of ms at least)
    const again = await victim.post(`hello ${marker}`, { messageId: 'poison-now-1' });
    expect(again.status).toBe(500);
    expect(again.json.code).toBe('REQUEST_QUARANTINED');
    expect(await until(ready, 20_000)).toBe(true);
  }, 60_000);
});

// A shard thread that dies (uncaught exception, process.exit, out of memory) or hangs (busy without
// end: the supervisor's heartbeat goes unanswered for PARLEY_SHARD_HANG_MS and it terminates the
// thread) is restarted, rebuilds its engagements from the journal and carries on; requests in
// flight on it get a retryable 503, never a hang; other shards are not disturbed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, newConsumer, sleep, transcript, until, type Consumer } from './helpers/client.ts';
import { shardOfEngagement } from './helpers/shards.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 2, faultInjection: true, shardMaxHeapMb: 128, longPollMs: 20_000, shardHangMs: 2000 });
});
afterAll(async () => s?.stop());

const shardOf = (c: Consumer): number => shardOfEngagement(c.engagementId, 2);

async function consumersOnBothShards(): Promise<[Consumer, Consumer]> {
  const found: Array<Consumer | undefined> = [undefined, undefined];
  while (!found[0] || !found[1]) {
    const c = await newConsumer(s.url).catch(() => undefined); // 503 while a shard restarts
    if (c) found[shardOf(c)] ??= c;
    else await sleep(100);
  }
  return [found[0], found[1]];
}

const fault = (n: number, mode: string) => call(s.url, 'POST', `/admin/v1/shards/${n}/fault?mode=${mode}`, { headers: { authorization: 'Bearer test-admin' } });

describe.each(['throw', 'exit', 'oom', 'hang'])('a shard killed by %s', (mode) => {
  it('answers its in-flight poll 503, restarts, keeps every acknowledged message and session, and spares the other shard', async () => {
    const [victim, bystander] = await consumersOnBothShards();
    const n = shardOf(victim);
    expect((await victim.post(`before the ${mode} crash`)).status).toBe(200);
    // drain what is queued (the wait-information message), so the next poll parks
    const drained = await victim.poll();
    expect(drained.json.systemMessages.length).toBeGreaterThan(0);
    const parked = victim.poll();
    await sleep(100);
    expect((await fault(n, mode)).status).toBe(202);
    const r = await parked;
    expect(r.status).toBe(503);
    expect(r.json.code).toBe('SHARD_UNAVAILABLE');
    // the other shard serves throughout
    expect((await bystander.post(`bystander during ${mode}`)).status).toBe(200);
    // the victim's shard comes back with its state
    expect(await until(async () => (await victim.post(`after the ${mode} crash`)).status === 200, 20_000)).toBe(true);
    const t = await transcript(s.url, victim.engagementId);
    const bodies = t.json.messages.map((m: { body: string }) => m.body);
    expect(bodies[0]).toBe(`before the ${mode} crash`);
    expect(bodies).toContain(`after the ${mode} crash`);
    expect(new Set(bodies).size).toBe(bodies.length);
  }, 60_000);
});

describe('fault injection', () => {
  it('is refused without the admin token', async () => {
    const r = await call(s.url, 'POST', '/admin/v1/shards/0/fault?mode=throw');
    expect(r.status).toBe(401);
  });
});

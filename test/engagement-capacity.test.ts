// A full shard refuses new engagements with a retryable 503 AT_CAPACITY and keeps serving the
// engagements it holds. Before this, a creation flood grew the shard's heap to its limit: the
// thread died, and every restart replayed the same journal into the same heap, so the shard
// crash-looped and all of its engagements were gone until an operator raised the limit.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, establish, metric, newConsumer, sleep, until, type Consumer } from './helpers/client.ts';

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});
async function start(opts: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(opts);
  servers.push(s);
  return s;
}

/** requestEngagement with a fresh JWT; the raw answer (status, code, Retry-After) */
async function requestWith(base: string, jwt: string): Promise<{ status: number; code: unknown; retryAfter: string | null; sessionId: unknown }> {
  const r = await fetch(base + cpath('demo', 'requestEngagement'), { method: 'POST', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, body: '{}' });
  const json = (await r.json()) as { code?: unknown; sessionId?: unknown };
  return { status: r.status, code: json.code, retryAfter: r.headers.get('retry-after'), sessionId: json.sessionId };
}

async function jwtFor(base: string, info: Record<string, unknown>): Promise<string> {
  const est = await establish(base, info);
  expect(est.status).toBe(200);
  return est.json.jwt as string;
}

const shardMetric = (base: string, name: string): Promise<number> => metric(base, `${name}{shard="0"}`);
const shardRestarts = (base: string): Promise<number> => shardMetric(base, 'parley_shard_restarts_total');

describe('engagement admission control', () => {
  it('refuses the engagement over PARLEY_SHARD_MAX_ENGAGEMENTS with 503 AT_CAPACITY + Retry-After; the same token is admitted once a slot frees', async () => {
    const s = await start({ shards: 1, shardMaxEngagements: 3, concludeGraceMs: 0 });
    const held: Consumer[] = [];
    for (let i = 0; i < 3; i++) held.push(await newConsumer(s.url));
    const jwt = await jwtFor(s.url, { firstName: 'Late', emailAddress: 'late@example.com' });
    const refused = await requestWith(s.url, jwt);
    expect(refused).toMatchObject({ status: 503, code: 'AT_CAPACITY', retryAfter: '1' });
    // operators see it (shards report once a second)
    expect(await until(async () => (await shardMetric(s.url, 'parley_engagements_refused_total')) === 1, 3000)).toBe(true);
    // the engagements it holds are served as before
    expect((await held[0]!.post('still here')).status).toBe(200);
    // one concludes; once it leaves memory (grace + the sweep's margin) the refused token gets in
    expect((await held[1]!.conclude()).status).toBe(200);
    let admitted: Awaited<ReturnType<typeof requestWith>> | undefined;
    expect(await until(async () => {
      admitted = await requestWith(s.url, jwt);
      if (admitted.status === 503) expect(admitted.code).toBe('AT_CAPACITY');
      return admitted.status === 200;
    }, 15_000)).toBe(true);
    expect(typeof admitted?.sessionId).toBe('string');
  }, 30_000);

  it('stops admitting before the heap runs out: no shard restart, held engagements keep working, and a restart recovers them all', async () => {
    // a 64 MB shard heap and ~4 kB of sessionInformation per engagement (the issuer's cap): without
    // admission control the shard dies and never recovers
    const s = await start({ shards: 1, shardMaxHeapMb: 64 });
    const question = 'q'.repeat(4000);
    let admitted = 0;
    let refused = 0;
    let first: Consumer | undefined;
    for (let i = 0; i < 6000 && refused < 20; i++) {
      const jwt = await jwtFor(s.url, { firstName: 'Ada', lastName: `L${i}`, emailAddress: `ada${i}@example.com`, question });
      const r = await requestWith(s.url, jwt);
      if (r.status === 200) {
        admitted++;
        if (!first) first = await newConsumer(s.url);
      } else {
        expect(r).toMatchObject({ status: 503, code: 'AT_CAPACITY', retryAfter: '1' });
        refused++;
      }
    }
    expect(refused).toBe(20);
    expect(admitted).toBeGreaterThan(100);
    expect(await shardRestarts(s.url)).toBe(0);
    expect((await call(s.url, 'GET', '/readyz')).status).toBe(200);
    expect((await first!.post('hello after the flood')).status).toBe(200);

    // the whole journal comes back into a shard of the same size
    await s.stop();
    servers = [];
    const again = await start({ shards: 1, shardMaxHeapMb: 64, dataDir: s.dataDir, configDir: s.configDir });
    expect((await call(again.url, 'GET', '/readyz')).status).toBe(200);
    const poll = await call(again.url, 'POST', cpath('demo', 'getMessages'), { body: {}, headers: { SessionId: first!.sessionId } });
    expect(poll.status).toBe(200);
    expect((await call(again.url, 'POST', cpath('demo', 'postMessage'), { body: { body: 'and after the restart' }, headers: { SessionId: first!.sessionId } })).status).toBe(200);
    await sleep(200);
    expect(await shardRestarts(again.url)).toBe(0);
  }, 90_000);
});

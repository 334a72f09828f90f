// One client cannot flood a tenant's queue with engagements: requestEngagement is limited per client
// address and site by a token bucket (PARLEY_ENGAGEMENT_RATE_BURST, one token back every
// PARLEY_ENGAGEMENT_RATE_REFILL_MS). Past the burst the address gets 429 TOO_MANY_ENGAGEMENTS with
// Retry-After, before anything reaches a shard, and its JWT is not used up; other addresses (as a
// trusted proxy says them) and other sites are not affected. Before, a script farming JWTs from the
// issuer created 2,842 engagements in 10 s from one address, all queued ahead of real customers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, cpath, establish, metric, sleep } from './helpers/client.ts';
import { EngagementRateLimit } from '../src/http/engagement-rate-limit.ts';
import { optionsFromEnv, resolveServerConfig } from '../src/config/server.ts';

const BURST = 3;
const REFILL_MS = 1000;

const acme = (): string => tenantConfigDir({ 'acme.yaml': ['site: acme', 'credentials: [{ user: acme, password: pw }]'].join('\n') });

async function jwtFor(s: TestServer, site = 'demo'): Promise<string> {
  const r = site === 'acme' ? await establish(s.url, {}, 'acme', 'pw') : await establish(s.url, {});
  expect(r.status).toBe(200);
  return r.json.jwt as string;
}

function requestEngagement(s: TestServer, jwt: string, forwardedFor?: string, site = 'demo') {
  const headers: Record<string, string> = { authorization: `Bearer ${jwt}` };
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  return call(s.url, 'POST', cpath(site, 'requestEngagement'), { body: {}, headers });
}

/** Uses up `address`'s burst on `site`: BURST engagements, each admitted. */
async function exhaust(s: TestServer, address: string, site = 'demo'): Promise<void> {
  for (let i = 0; i < BURST; i++) expect((await requestEngagement(s, await jwtFor(s, site), address, site)).status).toBe(200);
}

describe('behind a trusted proxy (PARLEY_TRUST_PROXY=on)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ configDir: acme(), trustProxy: true, engagementRateBurst: BURST, engagementRateRefillMs: REFILL_MS });
  });
  afterAll(async () => s?.stop());

  it('admits the burst from one address, refuses the next with 429 TOO_MANY_ENGAGEMENTS and Retry-After, and admits the same JWT once a token is back', async () => {
    await exhaust(s, '198.51.100.1');
    const jwt = await jwtFor(s);
    const refused = await requestEngagement(s, jwt, '198.51.100.1');
    expect([refused.status, refused.json?.code]).toEqual([429, 'TOO_MANY_ENGAGEMENTS']);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(Math.ceil(REFILL_MS / 1000));
    expect(await metric(s.url, 'parley_engagements_rate_limited_total')).toBeGreaterThanOrEqual(1);
    await sleep(wait * 1000 + 50);
    // the refused JWT was not used up: nothing reached a shard
    const again = await requestEngagement(s, jwt, '198.51.100.1');
    expect(again.status).toBe(200);
    expect(again.json.sessionId).toBeTruthy();
    // one token came back, not the burst
    expect((await requestEngagement(s, await jwtFor(s), '198.51.100.1')).status).toBe(429);
  });

  it('limits each address as the proxy appended it, and each site apart', async () => {
    await exhaust(s, '198.51.100.7');
    expect((await requestEngagement(s, await jwtFor(s), '198.51.100.7')).status).toBe(429);
    // another client behind the same proxy is not affected
    expect((await requestEngagement(s, await jwtFor(s), '198.51.100.8')).status).toBe(200);
    // an entry the client wrote itself, left of the proxy's, changes nothing
    expect((await requestEngagement(s, await jwtFor(s), '203.0.113.50, 198.51.100.7')).status).toBe(429);
    // the same address on another tenant has its own allowance
    expect((await requestEngagement(s, await jwtFor(s, 'acme'), '198.51.100.7', 'acme')).status).toBe(200);
  });

  it('counts only what reaches a shard and is made there: a forged JWT or one the shard refuses (used before) costs nothing', async () => {
    const used = await jwtFor(s);
    expect((await requestEngagement(s, used, '198.51.100.30')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await requestEngagement(s, used, '198.51.100.30')).json?.code).toBe('INVALID_TOKEN');
    expect((await requestEngagement(s, 'forged.jwt.value', '198.51.100.30')).json?.code).toBe('INVALID_TOKEN');
    for (let i = 1; i < BURST; i++) expect((await requestEngagement(s, await jwtFor(s), '198.51.100.30')).status).toBe(200);
    expect((await requestEngagement(s, await jwtFor(s), '198.51.100.30')).status).toBe(429);
  });
});

describe('without PARLEY_TRUST_PROXY', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ engagementRateBurst: BURST, engagementRateRefillMs: 60_000 });
  });
  afterAll(async () => s?.stop());

  it('ignores X-Forwarded-For: every request from the socket address shares one allowance', async () => {
    for (let i = 0; i < BURST; i++) expect((await requestEngagement(s, await jwtFor(s), `198.51.100.${20 + i}`)).status).toBe(200);
    const refused = await requestEngagement(s, await jwtFor(s), '198.51.100.99');
    expect([refused.status, refused.json?.code]).toEqual([429, 'TOO_MANY_ENGAGEMENTS']);
    // a token comes back every 60 s: Retry-After says so
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
  });
});

describe('EngagementRateLimit', () => {
  it('admits a burst, then one per refill interval, and says how long to wait', () => {
    const l = new EngagementRateLimit(3, 1000);
    for (let i = 0; i < 3; i++) expect(l.take('a', 0)).toBe(0);
    expect(l.take('a', 0)).toBe(1000);
    expect(l.take('a', 400)).toBe(600);
    expect(l.refused).toBe(2);
    expect(l.take('b', 400)).toBe(0); // keys are apart
    expect(l.take('a', 1000)).toBe(0);
    expect(l.take('a', 1000)).toBe(1000);
    // idle long enough, the whole burst is back
    for (let i = 0; i < 3; i++) expect(l.take('a', 10_000)).toBe(0);
    expect(l.take('a', 10_000)).toBeGreaterThan(0);
  });

  it('gives back a refunded token', () => {
    const l = new EngagementRateLimit(2, 1000);
    expect(l.take('a', 0)).toBe(0);
    expect(l.take('a', 0)).toBe(0);
    l.refund('a', 0);
    expect(l.take('a', 0)).toBe(0);
    expect(l.take('a', 0)).toBe(1000);
    l.refund('never-admitted', 0); // nothing to give back
    expect(l.size).toBe(1);
  });

  it('forgets full buckets and keeps at most maxKeys, dropping the least recently admitted', () => {
    const l = new EngagementRateLimit(2, 1000, 3);
    for (const k of ['a', 'b', 'c']) l.take(k, 0);
    l.take('a', 1); // 'a' is now the most recent
    l.take('d', 2); // drops 'b'
    expect(l.size).toBe(3);
    expect(l.take('b', 3)).toBe(0); // a fresh bucket (drops 'c')
    expect(l.take('a', 3)).toBeGreaterThan(0); // 'a' kept its two admissions
    // every bucket full again after burst × refill: each take forgets idle ones
    l.take('e', 10_000);
    l.take('e', 10_001);
    expect(l.size).toBe(1);
  });

  it('limits nothing at burst 0', () => {
    const l = new EngagementRateLimit(0, 1000);
    for (let i = 0; i < 1000; i++) expect(l.take('a', 0)).toBe(0);
    expect(l.size).toBe(0);
  });

  it("is off by default (a chat front's backend opens every engagement from one address), configured by PARLEY_ENGAGEMENT_RATE_BURST/_REFILL_MS, 0 = off", () => {
    const d = resolveServerConfig({});
    expect([d.engagementRateBurst, d.engagementRateRefillMs]).toEqual([0, 3000]);
    expect(optionsFromEnv({ PARLEY_ENGAGEMENT_RATE_BURST: '20' }).options).toMatchObject({ engagementRateBurst: 20 });
    expect(optionsFromEnv({ PARLEY_ENGAGEMENT_RATE_BURST: '0', PARLEY_ENGAGEMENT_RATE_REFILL_MS: '500' }).options).toMatchObject({ engagementRateBurst: 0, engagementRateRefillMs: 500 });
    expect(optionsFromEnv({ PARLEY_ENGAGEMENT_RATE_REFILL_MS: '0' }).problems).toEqual(['PARLEY_ENGAGEMENT_RATE_REFILL_MS: expected an integer in [10, 3600000] (decimal digits), got "0"']);
  });
});

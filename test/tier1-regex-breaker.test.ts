// The validator times a tenant's REGEX set on probe texts, but no probe set covers every text: a set
// slow only on a script it does not probe passes, and then each long post in that script cost the
// shard seconds of CPU (50 Thai patterns: ~2 s per 4,000-code-point Thai post; 8 such posts at
// once hung the shard, which was quarantined and answered 503). The shard now times each match of
// a tenant's REGEX set and, past the breaker (README, Tier-1 REGEX), turns that set off on that
// shard until the tenant's config is next set: one slow post, not a hang. Here the set is slow on
// Ethiopic text, a script the probes leave out (any probe set can be dodged).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { call, metric, newConsumer, transcript, until } from './helpers/client.ts';
import { ethiopic, SLOW_ON_ETHIOPIC } from './helpers/slow-regex.ts';

const admin = { authorization: 'Bearer test-admin' };
const PATTERNS = [...SLOW_ON_ETHIOPIC, '(?i)wire\\s+transfer\\s+fee'];
const RULES = { REGEX: { action: 'block', patterns: PATTERNS }, KEYWORD: { action: 'block', phrases: ['gift card code'] } };


describe('a REGEX set that is slow on some text is turned off on the shard at its first slow match', () => {
  let srv: ServerProcess;
  const doc = `site: acme\ncredentials: [{ user: acme, password: s3cret }]\ntier1: ${JSON.stringify({ rules: RULES })}\n`;
  /** posts `text` as a new customer: whether it was withheld, and how long the post took */
  const post = async (text: string): Promise<{ blocked: boolean; ms: number }> => {
    const c = await newConsumer(srv.url, 'acme', undefined, ['acme', 's3cret']);
    const t0 = performance.now();
    const r = await c.post(text);
    const ms = performance.now() - t0;
    expect(r.status).toBe(200); // a block answers like a post
    const kinds = (await transcript(srv.url, c.engagementId)).json.messages.map((m: { kind: string }) => m.kind);
    return { blocked: kinds.includes('notice') && !kinds.includes('message'), ms };
  };
  const tripLines = () => srv.output().split('\n').filter((l) => l.includes('tier1 REGEX set turned off'));

  beforeAll(async () => {
    srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('regexbreaker'), PARLEY_CONFIG_DIR: tenantConfigDir({ 'acme.yaml': doc }), PARLEY_SHARDS: '1', PARLEY_LOG_LEVEL: 'info' });
  });
  afterAll(() => srv?.child.kill('SIGKILL'));

  it('the set screens before it trips', async () => {
    expect((await post('they charged me a wire transfer fee again')).blocked).toBe(true);
    expect(tripLines()).toEqual([]);
  });

  it('the first slow post is answered, one error line names the tenant and the time, and later posts are fast', async () => {
    const first = await post(ethiopic(1));
    expect(first.blocked).toBe(false);
    expect(await until(() => tripLines().length === 1, 5000)).toBe(true);
    const line = JSON.parse(tripLines()[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 50, tenant: 'acme' });
    expect(line.matchMs).toBeGreaterThan(100);
    const later: number[] = [];
    for (let i = 2; i <= 5; i++) later.push((await post(ethiopic(i))).ms);
    later.sort((a, b) => a - b);
    // each of these cost the shard about as much as the first before
    expect(later[1]!, `first ${first.ms.toFixed(0)} ms, later ${later.map((m) => m.toFixed(0)).join(', ')} ms`).toBeLessThan(Math.min(100, first.ms / 4));
    expect(tripLines()).toHaveLength(1);
    expect(await until(async () => (await metric(srv.url, 'parley_tier1_regex_disabled_total{site="acme"}')) === 1, 5000)).toBe(true);
  });

  it('the tenant\'s other rules keep screening; its REGEX set is off', async () => {
    expect((await post('send me the gift card code please')).blocked).toBe(true);
    expect((await post('they charged me a wire transfer fee again')).blocked).toBe(false);
  });

  it('setting the tenant\'s config again turns the set back on', async () => {
    const put = await call(srv.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { rules: RULES } } });
    expect(put.status).toBe(200);
    expect(await until(async () => (await post('they charged me a wire transfer fee again')).blocked, 5000)).toBe(true);
  });
});

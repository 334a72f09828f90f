// A rule's levels must be ordered (flag ≤ block ≤ extremeAt, and each rule's own relations):
// before, `LEN_MAX {block: 5000, extremeAt: 100}` was accepted and an ordinary 150-character
// question then ended its chat on its first post. One validator serves the admin PUT and tenant
// files; each refusal names the field path and the relation expected.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTier1 } from '../src/config/tier1.ts';
import { loadTenantDir } from '../src/config/tenants.ts';
import { startTestServer, tempDir, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, newConsumer } from './helpers/client.ts';

const errs = (input: unknown): string[] => {
  const r = resolveTier1(input);
  return r.ok ? [] : r.errors.map((e) => e.message);
};

/** [tier1 input, the field path named, the relation the message states] */
const CONTRADICTIONS: Array<[unknown, string, string]> = [
  [{ rules: { LEN_MAX: { flag: 3000, block: 2000 } } }, 'tier1.rules.LEN_MAX.flag', 'flag ≤ block'],
  [{ rules: { LEN_MAX: { block: 5000, extremeAt: 100 } } }, 'tier1.rules.LEN_MAX.block', 'block ≤ extremeAt'],
  [{ rules: { LEN_MAX: { extremeAt: 3000 } } }, 'tier1.rules.LEN_MAX.extremeAt', 'block ≤ extremeAt'],
  [{ rules: { URL_COUNT: { block: 5, extremeAt: 1 } } }, 'tier1.rules.URL_COUNT.block', 'block ≤ extremeAt'],
  [{ rules: { URL_COUNT: { block: 0 } } }, 'tier1.rules.URL_COUNT.block', 'newSenderFlag ≤ block'],
  [{ rules: { EMOJI_FLOOD: { block: 5, flag: 10 } } }, 'tier1.rules.EMOJI_FLOOD.flag', 'flag ≤ block'],
  [{ rules: { EMOJI_FLOOD: { flag: 3 } } }, 'tier1.rules.EMOJI_FLOOD.flag', 'newSenderFlag ≤ flag'],
  [{ rules: { SYMBOL_FLOOD: { flagShare: 0.9 } } }, 'tier1.rules.SYMBOL_FLOOD.flagShare', 'flagShare ≤ blockShare'],
  [{ rules: { SYMBOL_FLOOD: { flagMin: 60 } } }, 'tier1.rules.SYMBOL_FLOOD.flagMin', 'flagMin ≤ blockMin'],
  [{ rules: { CHAR_RUN: { flag: 300 } } }, 'tier1.rules.CHAR_RUN.flag', 'flag ≤ block'],
  [{ rules: { ZALGO: { flag: 9 } } }, 'tier1.rules.ZALGO.flag', 'flag ≤ block'],
  [{ rules: { ZALGO: { perBase: 8 } } }, 'tier1.rules.ZALGO.perBase', 'perBase < block'],
  [{ rules: { DUP_EXACT: { softFrom: 6 } } }, 'tier1.rules.DUP_EXACT.softFrom', 'softFrom ≤ blockFrom'],
  [{ rules: { DUP_EXACT: { softWithinMs: 700_000 } } }, 'tier1.rules.DUP_EXACT.softWithinMs', 'softWithinMs ≤ windowMs'],
  [{ rules: { DUP_EXACT: { blockFrom: 20 } } }, 'tier1.rules.DUP_EXACT.blockFrom', 'blockFrom ≤ ring + 1'],
  [{ rules: { DUP_NEAR: { blockFrom: 20 } } }, 'tier1.rules.DUP_NEAR.blockFrom', 'blockFrom ≤ DUP_EXACT.ring + 1'],
  [{ strikes: { shortCount: 6 } }, 'tier1.strikes.shortCount', 'shortCount ≤ longCount'],
  [{ strikes: { shortWindowMs: 100_000_000 } }, 'tier1.strikes.shortWindowMs', 'shortWindowMs ≤ longWindowMs'],
];

describe('Tier-1 thresholds out of order', () => {
  it.each(CONTRADICTIONS)('%j is refused at the path, stating the relation', (input, field, relation) => {
    const e = errs(input);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(new RegExp(`^${field.replace(/[.[\]+]/g, '\\$&')}: expected `));
    expect(e[0]).toContain(relation);
  });

  it('accepts the defaults, equal levels and ordered ones', () => {
    for (const ok of [
      {},
      { rules: { LEN_MAX: { flag: 2000, block: 2000, extremeAt: 2000 } } },
      { rules: { LEN_MAX: { block: 5000 } } }, // extremeAt follows as 10× block
      { rules: { URL_COUNT: { block: 0, newSenderFlag: 0 } } },
      { rules: { URL_COUNT: { block: 5, extremeAt: 5 } } },
      { rules: { EMOJI_FLOOD: { block: 5, flag: 5, newSenderFlag: 2 } } },
      { rules: { CHAR_RUN: { flag: 200 } } },
      { rules: { ZALGO: { perBase: 7, flag: 8 } } },
      { rules: { DUP_EXACT: { ring: 4, softFrom: 2, blockFrom: 5 }, DUP_NEAR: { blockFrom: 5 } } },
      { strikes: { shortCount: 5, shortWindowMs: 86_400_000 } },
    ]) expect(errs(ok), JSON.stringify(ok)).toEqual([]);
  });

  it('judges a field that is itself invalid once, not again against its neighbours', () => {
    expect(errs({ rules: { LEN_MAX: { block: 'lots', extremeAt: 100 } } })).toEqual(['tier1.rules.LEN_MAX.block: expected integer ≥ 1']);
  });
});

describe('the same refusal over the admin PUT and from a tenant file', () => {
  let s: TestServer;
  const admin = { authorization: 'Bearer test-admin' };
  beforeAll(async () => {
    s = await startTestServer({ configDir: tenantConfigDir({ 'acme.yaml': 'site: acme\ncredentials: [{ user: acme, password: pw }]\n' }) });
  });
  afterAll(async () => s?.stop());

  it('PUT answers 400 naming the path, and the old config stays live', async () => {
    for (const [tier1, field] of CONTRADICTIONS.slice(0, 6)) {
      const r = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1 } });
      expect(r.status, JSON.stringify(tier1)).toBe(400);
      expect(r.json.errorMessages[0].message).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}: expected `));
    }
    const live = await call(s.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin });
    expect(live.json.tier1.rules.LEN_MAX).toMatchObject({ flag: 2000, block: 4000, extremeAt: 40000 });
    // what the accepted config did: an ordinary question ended its chat on its first post
    const c = await newConsumer(s.url, 'acme', undefined, ['acme', 'pw']);
    expect((await c.post('I would like to ask about the delivery of my order, which was placed last week and has still not arrived yet. Could you please help me with it?')).status).toBe(200);
  });

  it('a tenant file with levels out of order is refused with the path', async () => {
    const dir = tempDir('order');
    fs.mkdirSync(path.join(dir, 'tenants'));
    fs.writeFileSync(path.join(dir, 'tenants', 'acme.yaml'), 'site: acme\ncredentials: [{ user: acme, password: pw }]\ntier1:\n  rules:\n    URL_COUNT: { block: 5, extremeAt: 1 }\n');
    const { tenants, problems } = await loadTenantDir(dir, resolveTier1);
    expect(tenants).toEqual([]);
    expect(problems.flatMap((p) => p.errors.map((e) => e.message))).toEqual([expect.stringMatching(/^tier1\.rules\.URL_COUNT\.block: expected .*block ≤ extremeAt/)]);
  });
});

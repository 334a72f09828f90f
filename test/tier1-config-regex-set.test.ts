// REGEX patterns are compiled by every shard as one RE2.Set, which shares one memory budget: 50
// patterns of `[\pL\pN]{250}` each compile alone but not together. Validation used to compile them
// one by one and accept the config, and every shard thread then crashed on it in a loop (/readyz
// 503, every tenant down, and with the config persisted the node never listened again). Now the
// validator builds the very set the shard builds and rejects the config with the field path; a
// shard that still cannot compile a tenant's config logs it and keeps going.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { resolveTier1, TIER1_DEFAULTS, type ResolvedTier1Config } from '../src/config/tier1.ts';
import { Screens } from '../workers/screens.ts';
import { startTestServer, tempDir } from './helpers/server.ts';
import { call, newConsumer, sleep, transcript } from './helpers/client.ts';

const admin = { authorization: 'Bearer test-admin' };
const TOO_BIG_TOGETHER = Array(50).fill('[\\pL\\pN]{250}') as string[];
const errs = (input: unknown): string[] => {
  const r = resolveTier1(input);
  return r.ok ? [] : r.errors.map((e) => e.message);
};

describe('REGEX patterns are validated as the one RE2.Set the shard compiles', () => {
  it('rejects patterns that compile alone but not as a set, naming the list', () => {
    const e = errs({ rules: { REGEX: { patterns: TOO_BIG_TOGETHER } } });
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^tier1\.rules\.REGEX\.patterns: expected patterns RE2 can compile together as one set \(RE2\.Set could not be compiled/);
    // one such pattern is already over the set's budget
    expect(errs({ rules: { REGEX: { patterns: ['ok', '[\\pL\\pN]{250}'] } } })[0]).toMatch(/^tier1\.rules\.REGEX\.patterns: expected patterns RE2 can compile together/);
  });

  it('still names each pattern RE2 cannot parse, and accepts ordinary sets', () => {
    const e = errs({ rules: { REGEX: { patterns: ['fine', '(a', 'b)', '(?=x)', 'x{1001}'] } } });
    expect(e).toEqual([
      'tier1.rules.REGEX.patterns[1]: expected a valid RE2 pattern (missing ): (a)',
      'tier1.rules.REGEX.patterns[2]: expected a valid RE2 pattern (unexpected ): b))',
      'tier1.rules.REGEX.patterns[3]: expected a valid RE2 pattern (invalid perl operator: (?=)',
      'tier1.rules.REGEX.patterns[4]: expected a valid RE2 pattern (invalid repetition size: {1001})',
    ]);
    // the sentinel the parse check uses is itself reported, not mistaken for a valid pattern
    expect(errs({ rules: { REGEX: { patterns: ['(?P<'] } } })).toHaveLength(1);
    expect(resolveTier1({ rules: { REGEX: { patterns: ['\\bfree\\s+crypto\\b', '[\\pL\\pN]{100}', 'wh?ats\\s*app'] } } }).ok).toBe(true);
  });

  it('over the admin API: 400 with the path, the node stays ready and the old config stays live', async () => {
    const configDir = tempDir('cfg');
    const file = path.join(configDir, 'tenants', 'acme.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'site: acme\ncredentials: [{ user: acme, password: s3cret }]\ntier1: { rules: { REGEX: { action: block, patterns: ["b[a@]d\\\\s*word"] } } }\n');
    const s = await startTestServer({ configDir });
    try {
      const put = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { rules: { REGEX: { action: 'block', patterns: TOO_BIG_TOGETHER } } } } });
      expect(put.status).toBe(400);
      expect(JSON.stringify(put.json)).toContain('tier1.rules.REGEX.patterns: expected patterns RE2 can compile together as one set');
      expect(fs.readFileSync(file, 'utf8')).toContain('b[a@]d');
      // the same document as a file edit is rejected too (the old config stays live)
      fs.writeFileSync(file, `site: acme\ncredentials: [{ user: acme, password: s3cret }]\ntier1: ${JSON.stringify({ rules: { REGEX: { action: 'block', patterns: TOO_BIG_TOGETHER } } })}\n`);
      await sleep(800);
      expect((await call(s.url, 'GET', '/readyz')).status).toBe(200);
      const eff = (await call(s.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin })).json;
      expect(eff.tier1.rules.REGEX.patterns).toEqual(['b[a@]d\\s*word']);
      const c = await newConsumer(s.url, 'acme', undefined, ['acme', 's3cret']);
      expect((await c.post('hello, I need help with my order')).status).toBe(200);
      expect((await c.post('this is a bad word')).status).toBe(200); // a block answers like a post
      const bodies = (await transcript(s.url, c.engagementId)).json.messages.map((m: { kind: string; body: string }) => `${m.kind}:${m.body}`);
      expect(bodies[0]).toBe('message:hello, I need help with my order');
      expect(bodies.join('\n')).not.toContain('bad word'); // the old pattern still blocks
    } finally {
      await s.stop();
    }
  });
});

describe('a shard that cannot compile a tenant config keeps running', () => {
  const withRules = (version: number, rules: Record<string, object>): ResolvedTier1Config =>
    ({ ...TIER1_DEFAULTS, version, rules: { ...TIER1_DEFAULTS.rules, RATE_BURST: { ...TIER1_DEFAULTS.rules.RATE_BURST, mode: 'off' }, ...rules } }) as ResolvedTier1Config;
  // bypasses validation on purpose: what a shard would get if validation and shard ever disagreed
  const unbuildable = (version: number) => withRules(version, {
    REGEX: { ...TIER1_DEFAULTS.rules.REGEX, patterns: TOO_BIG_TOGETHER },
    KEYWORD: { ...TIER1_DEFAULTS.rules.KEYWORD, phrases: ['crypto'] },
  });
  const good = withRules(1, { KEYWORD: { ...TIER1_DEFAULTS.rules.KEYWORD, phrases: ['casino'] } });
  const screensWithLog = async () => {
    const lines: Array<{ level: number; msg: string; tenant?: string; failed?: string[] }> = [];
    const sink = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(JSON.parse(chunk.toString())); cb(); } });
    const screens = new Screens(pino({ level: 'info' }, sink));
    await screens.init();
    return { screens, lines };
  };
  const outcome = (screens: Screens, site: string, text: string, n: number) =>
    screens.get(site).screen({ text, role: 'END_USER', senderKey: `u${n}`, engagementId: `e${n}`, participant: 'p', nowMs: 1_000 + n }).outcome;
  const snapshot = (site: string, tier1: ResolvedTier1Config, version: number) => ({ site, tier1, agents: [], version });

  it('on reload: logs an error and the previous config stays live', async () => {
    const { screens, lines } = await screensWithLog();
    screens.setTenant(snapshot('acme', good, 1));
    expect(outcome(screens, 'acme', 'best casino in town', 1)).toBe('block');
    expect(() => screens.setTenant(snapshot('acme', unbuildable(2), 2))).not.toThrow();
    expect(outcome(screens, 'acme', 'best casino in town', 2)).toBe('block');
    expect(outcome(screens, 'acme', 'free crypto here', 3)).toBe('allow');
    const err = lines.find((l) => l.level === 50);
    expect(err?.msg).toMatch(/previous config stays live/);
    expect(err?.tenant).toBe('acme');
    expect(err?.failed?.[0]).toMatch(/^REGEX: RE2\.Set could not be compiled/);
  });

  it('first config: logs an error, the rule that cannot compile screens nothing, the others are live', async () => {
    const { screens, lines } = await screensWithLog();
    expect(() => screens.setTenant(snapshot('acme', unbuildable(1), 1))).not.toThrow();
    expect(outcome(screens, 'acme', 'free crypto here', 1)).toBe('block');
    expect(outcome(screens, 'acme', 'hello there, a normal message', 2)).toBe('allow');
    expect(lines.find((l) => l.level === 50)?.failed?.[0]).toMatch(/^REGEX: /);
  });
});

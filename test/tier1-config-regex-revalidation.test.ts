// Building a large REGEX set takes ~100 ms (50 × `[\pL\pN]{100}`) and validation runs on the HTTP
// thread, which answers nothing meanwhile; every tenant is validated again on any tenant file
// change, and the PUT's own file write is validated again when the watcher reloads it. Validation
// used to compile every pattern on each of those (2.8–4.6 s of HTTP silence for that config).
// A pattern list already judged is not compiled again: only a list not seen before costs a build.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTier1 } from '../src/config/tier1.ts';
import { regexSetsBuilt } from '../workers/tier1/patterns.ts';
import { startTestServer, tempDir } from './helpers/server.ts';
import { call, until } from './helpers/client.ts';

const admin = { authorization: 'Bearer test-admin' };

describe('REGEX validation compiles a pattern list once', () => {
  it('the same list validated again builds no set, with the same verdict', () => {
    const ok = { rules: { REGEX: { patterns: ['[\\pL\\pN]{20}x', 'gift ?card'] } } };
    const tooBig = { rules: { REGEX: { patterns: ['[\\pL\\pN]{150}'] } } };
    const n0 = regexSetsBuilt();
    expect(resolveTier1(ok).ok).toBe(true);
    const bad = resolveTier1(tooBig);
    expect(regexSetsBuilt()).toBe(n0 + 2);
    expect(resolveTier1(ok).ok).toBe(true);
    expect(resolveTier1(tooBig)).toEqual(bad);
    expect(resolveTier1(tooBig, 'x.tier1')).toMatchObject({ ok: false, errors: [{ path: 'x.tier1.rules.REGEX.patterns' }] });
    expect(regexSetsBuilt()).toBe(n0 + 2);
    expect(resolveTier1({ rules: { REGEX: { patterns: ['[\\pL\\pN]{20}y', 'gift ?card'] } } }).ok).toBe(true);
    expect(regexSetsBuilt()).toBe(n0 + 3);
  });

  it('a PUT builds the set once: not again for its own file write, nor for another tenant\'s file', async () => {
    const configDir = tempDir('cfg');
    const dir = path.join(configDir, 'tenants');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'acme.yaml'), 'site: acme\ncredentials: [{ user: acme, password: s3cret }]\n');
    const s = await startTestServer({ configDir });
    try {
      const patterns = Array.from({ length: 50 }, (_, i) => `[\\pL\\pN]{100}${i}`);
      const n0 = regexSetsBuilt();
      const put = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { rules: { REGEX: { action: 'flag', patterns } } } } });
      expect(put.status).toBe(200);
      expect(regexSetsBuilt()).toBe(n0 + 1);
      // the watcher reloads acme.yaml (written by the PUT), then a new tenant's file arrives
      fs.writeFileSync(path.join(dir, 'other.yaml'), 'site: other\ncredentials: [{ user: other, password: s3cret }]\n');
      expect(await until(async () => (await call(s.url, 'GET', '/admin/v1/tenants/other/tier1', { headers: admin })).status === 200)).toBe(true);
      expect((await call(s.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin })).json.tier1.rules.REGEX.patterns).toEqual(patterns);
      expect(regexSetsBuilt()).toBe(n0 + 1);
    } finally {
      await s.stop();
    }
  });
});

// PUT /admin/v1/tenants/{site}/tier1 takes `{"tier1": {…}}` (README, Admin). A body without that key
// — an empty body (`curl -d @file` with a wrong file name), `{}`, or a misspelt `{"tier_1": …}` — is
// refused 400 INVALID_FIELD naming `tier1` or the stray key at its real path; the live config and the
// tenant's file stay as they were. Before: such a body was taken as the Tier-1 config itself, so an
// empty one replaced the tenant's whole config with the defaults (KEYWORD phrases lost, RATE_BURST
// off → enforce, LEN_MAX.block 2000 → 4000), answered persisted: true and wrote `tier1: {}`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call } from './helpers/client.ts';

const DOC = [
  'site: acme',
  'credentials: [{ user: acme, password: pw }]',
  'tier1:',
  '  rules:',
  '    RATE_BURST: { mode: off }',
  '    LEN_MAX: { block: 2000 }',
  '    KEYWORD: { action: block, phrases: ["free crypto"] }',
  '',
].join('\n');

let s: TestServer;
let file: string;
beforeAll(async () => {
  const configDir = tenantConfigDir({ 'acme.yaml': DOC });
  file = path.join(configDir, 'tenants', 'acme.yaml');
  s = await startTestServer({ configDir });
});
afterAll(async () => s?.stop());

const admin = { authorization: 'Bearer test-admin' };
const live = async (): Promise<Record<string, { mode: string; block?: number; phrases?: string[] }>> =>
  (await call(s.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin })).json.tier1.rules;

describe('PUT tier1 without a tier1 key', () => {
  it.each([
    ['an empty body', ''],
    ['an empty object', '{}'],
    ['a Tier-1 config sent bare', '{"mode":"observe"}'],
  ])('%s: 400 INVALID_FIELD naming tier1; config and file unchanged', async (_name, raw) => {
    const r = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { raw, headers: { ...admin, 'content-type': 'application/json' } });
    expect(r.status, r.text).toBe(400);
    expect(r.json.code).toBe('INVALID_FIELD');
    expect(r.json.errors.map((e: { path: string }) => e.path)).toContain('tier1');
    expect(r.json.message).toMatch(/^tier1: /);
    const rules = await live();
    expect(rules.KEYWORD?.phrases).toEqual(['free crypto']);
    expect(rules.RATE_BURST?.mode).toBe('off');
    expect(rules.LEN_MAX?.block).toBe(2000);
    expect(fs.readFileSync(file, 'utf8')).toBe(DOC);
  });

  it('names a misspelt top-level key at its own path, not under tier1', async () => {
    const r = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier_1: { mode: 'observe' } } });
    expect(r.status).toBe(400);
    const paths = r.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('tier_1');
    expect(paths).not.toContain('tier1.tier_1');
    expect(r.json.message).toContain('tier_1: unknown field (expected tier1)');
    expect(fs.readFileSync(file, 'utf8')).toBe(DOC);
  });

  it('a key beside tier1 is refused too, and the change is not made', async () => {
    const r = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { mode: 'observe' }, site: 'other' } });
    expect(r.status).toBe(400);
    expect(r.json.errors).toEqual([{ path: 'site', message: 'unknown field (expected tier1)' }]);
    expect((await call(s.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin })).json.tier1.mode).toBe('enforce');
  });

  it('{"tier1": {}} is the explicit way to go back to the defaults', async () => {
    const r = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: {} } });
    expect(r.status).toBe(200);
    expect(r.json.persisted).toBe(true);
    expect((await live()).RATE_BURST?.mode).toBe('enforce');
  });
});

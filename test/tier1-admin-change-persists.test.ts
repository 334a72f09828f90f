// An operator's Tier-1 change through the admin API (PUT /admin/v1/tenants/{site}/tier1) is live at
// once and written into the tenant's own file, so it survives a restart instead of silently
// reverting — the file keeps its comments and other sections. The built-in demo tenant has no file:
// its change is live and answered `persisted: false`.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer, tempDir } from './helpers/server.ts';
import { call, until } from './helpers/client.ts';
import { withTier1, writeTier1 } from '../src/config/tenant-file.ts';

const admin = { authorization: 'Bearer test-admin' };
const YAML_DOC = [
  '# acme production tenant — owned by the support platform team',
  'site: acme',
  'credentials: [{ user: acme, password: s3cret }] # integration user',
  'tier1:',
  '  rules:',
  '    LEN_MAX: { block: 2000 }',
  'queueTimeoutSec: 600',
  '',
].join('\n');

describe('admin Tier-1 changes persist', () => {
  it('writes the change into the tenant file (comments and other sections kept) and a restarted server has it', async () => {
    const configDir = tempDir('cfg');
    const dataDir = tempDir('data');
    const file = path.join(configDir, 'tenants', 'acme.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, YAML_DOC, { mode: 0o640 });

    const s1 = await startTestServer({ configDir, dataDir });
    const put = await call(s1.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { mode: 'observe', rules: { LEN_MAX: { block: 3000 } } } } });
    expect(put.status).toBe(200);
    expect(put.json.persisted).toBe(true);
    expect(put.json.tier1.mode).toBe('observe');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# acme production tenant');
    expect(text).toContain('# integration user');
    expect(text).toContain('queueTimeoutSec: 600');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['acme.yaml']); // no temp file left behind
    // the watcher's reload of the written file keeps the change live
    await new Promise((r) => setTimeout(r, 400));
    expect((await call(s1.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin })).json.tier1.mode).toBe('observe');
    await s1.stop();

    const s2 = await startTestServer({ configDir, dataDir });
    try {
      const eff = (await call(s2.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin })).json;
      expect(eff.tier1.mode).toBe('observe');
      expect(eff.tier1.rules.LEN_MAX.block).toBe(3000);
    } finally {
      await s2.stop();
    }
  });

  it('a rejected change leaves the file untouched', async () => {
    const configDir = tempDir('cfg');
    const file = path.join(configDir, 'tenants', 'acme.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, YAML_DOC);
    const s = await startTestServer({ configDir });
    try {
      const bad = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { rules: { LEN_MAX: { block: 'lots' } } } } });
      expect(bad.status).toBe(400);
      expect(fs.readFileSync(file, 'utf8')).toBe(YAML_DOC);
    } finally {
      await s.stop();
    }
  });

  it('the built-in demo tenant has no file: the change is live and answered persisted: false', async () => {
    const s = await startTestServer();
    try {
      const put = await call(s.url, 'PUT', '/admin/v1/tenants/demo/tier1', { headers: admin, body: { tier1: { mode: 'observe' } } });
      expect(put.status).toBe(200);
      expect(put.json.persisted).toBe(false);
      expect(await until(async () => (await call(s.url, 'GET', '/admin/v1/tenants/demo/tier1', { headers: admin })).json.tier1.mode === 'observe')).toBe(true);
    } finally {
      await s.stop();
    }
  });

  it('writes through a symlinked tenant file to its target, keeping the link', async () => {
    const dir = tempDir('cfg');
    const target = path.join(dir, 'repo-acme.yaml');
    fs.writeFileSync(target, YAML_DOC);
    const link = path.join(dir, 'acme.yaml');
    fs.symlinkSync(target, link);
    await writeTier1(link, { mode: 'off' });
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toContain('mode: off');
  });

  it('rewrites a JSON tenant file as JSON, and a failed write leaves the old file', async () => {
    const json = withTier1('t.json', '{"site":"acme","pool":"1:1","tier1":{"mode":"enforce"}}', { mode: 'off' });
    expect(JSON.parse(json)).toEqual({ site: 'acme', pool: '1:1', tier1: { mode: 'off' } });
    const gone = path.join(tempDir('cfg'), 'missing', 'acme.yaml');
    await expect(writeTier1(gone, { mode: 'off' })).rejects.toThrow();
  });
});

// A PUT of tier1 into a tenant whose file is refused (an operator's typo elsewhere in it, its old
// config kept live) is made live and written into the file, but answered `persisted: false` with the
// reason naming the file's bad field: the next start would refuse that file. Before: `persisted: true`,
// and after a restart the tenant was gone (its traffic 404 UNKNOWN_SITE) while /readyz said ready.
// Once the operator fixes the file, a restart has the PUT's change.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer, tempDir, tenantConfigDir } from './helpers/server.ts';
import { call } from './helpers/client.ts';

const admin = { authorization: 'Bearer test-admin' };
const DOC = 'site: acme\ncredentials: [{ user: acme, password: pw }]\nqueueTimeoutSec: 900\ntier1:\n  rules:\n    KEYWORD: { action: block, phrases: ["free crypto"] }\n';

describe('PUT tier1 into a tenant whose file is refused', () => {
  it('is live, written, and answered persisted: false naming the bad field; the file fixed, a restart has it', async () => {
    const configDir = tenantConfigDir({ 'acme.yaml': DOC });
    const dataDir = tempDir('data');
    const file = path.join(configDir, 'tenants', 'acme.yaml');
    const s1 = await startTestServer({ configDir, dataDir });
    try {
      fs.writeFileSync(file, DOC.replace('queueTimeoutSec: 900', 'queueTimeoutSec: -1'));
      await new Promise((r) => setTimeout(r, 500)); // the reload refuses it; the old config stays live
      const put = await call(s1.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { mode: 'observe' } } });
      expect(put.status).toBe(200);
      expect(put.json.persisted).toBe(false);
      expect(put.json.reason).toContain('queueTimeoutSec: expected');
      expect(put.json.tier1.mode).toBe('observe');
      expect((await call(s1.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin })).json.tier1.mode).toBe('observe');
      expect(fs.readFileSync(file, 'utf8')).toContain('queueTimeoutSec: -1');
      expect(fs.readFileSync(file, 'utf8')).toContain('mode: observe');
    } finally {
      await s1.stop();
    }
    // the file as it is now stops the next start, naming it
    await expect(startTestServer({ configDir, dataDir })).rejects.toThrow(/acme\.yaml: queueTimeoutSec: expected/);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('queueTimeoutSec: -1', 'queueTimeoutSec: 900'));
    const s2 = await startTestServer({ configDir, dataDir });
    try {
      expect((await call(s2.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin })).json.tier1.mode).toBe('observe');
    } finally {
      await s2.stop();
    }
  });

  it('a PUT that mends the file itself (its tier1 was the bad part) is persisted', async () => {
    const configDir = tenantConfigDir({ 'acme.yaml': DOC });
    const file = path.join(configDir, 'tenants', 'acme.yaml');
    const s = await startTestServer({ configDir });
    try {
      fs.writeFileSync(file, DOC.replace('action: block', 'action: loud'));
      await new Promise((r) => setTimeout(r, 500));
      const put = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { mode: 'observe' } } });
      expect(put.status).toBe(200);
      expect(put.json.persisted).toBe(true);
      expect(put.json.reason).toBeUndefined();
    } finally {
      await s.stop();
    }
  });

  it('the built-in demo tenant answers persisted: false with its reason', async () => {
    const s = await startTestServer();
    try {
      const put = await call(s.url, 'PUT', '/admin/v1/tenants/demo/tier1', { headers: admin, body: { tier1: { mode: 'observe' } } });
      expect(put.json.persisted).toBe(false);
      expect(put.json.reason).toMatch(/built-in/);
    } finally {
      await s.stop();
    }
  });
});

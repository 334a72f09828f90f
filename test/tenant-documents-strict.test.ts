// A tenant document with a misspelt key (`tier_1:`, `queueTimeoutSecs:`) or a repeated agent user or
// accountId is rejected with the field path — before, it loaded with that section silently at its
// defaults, or with one agent shadowing the other. A rejected edit leaves the old config live.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTenantDir, resolveTenant } from '../src/config/tenants.ts';
import { resolveTier1 } from '../src/config/tier1.ts';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { call, until } from './helpers/client.ts';

const paths = (doc: unknown): string[] => {
  const r = resolveTenant(doc, 'x.yaml', resolveTier1);
  return r.ok ? [] : r.errors.map((e) => e.path);
};

describe('tenant document validation', () => {
  it('rejects unknown keys at every level, naming the path', () => {
    expect(paths({ site: 'x', tier_1: { rules: {} }, queueTimeoutSecs: 900 })).toEqual(['tier_1', 'queueTimeoutSecs']);
    expect(paths({ site: 'x', credentials: [{ user: 'a', password: 'p', pasword: 'q' }] })).toEqual(['credentials[0].pasword']);
    expect(paths({ site: 'x', agents: [{ user: 'a', password: 'p', acountId: 7 }] })).toEqual(['agents[0].acountId']);
    expect(paths({ site: 'x', queues: [{ id: 1, nmae: 'Default' }] })).toEqual(['queues[0].nmae']);
    expect(paths({ site: 'x', cors: { origin: ['*'] } })).toEqual(['cors.origin', 'cors.origins']);
    expect(paths({ site: 'x', tier1: { mode: 'observe', rules: { KEYWORD: { phrase: ['x'] } } } })).toEqual(['tier1.rules.KEYWORD.phrase']);
  });

  it('rejects a repeated agent accountId or user, and a repeated credential user or queue id', () => {
    const agents = [
      { user: 'alice', password: 'pw', accountId: 42 },
      { user: 'bob', password: 'pw', accountId: 42 },
      { user: 'carol', password: 'pw', accountId: 44 },
      { user: 'alice', password: 'other', accountId: 43 },
    ];
    const r = resolveTenant({ site: 'x', agents }, 'x.yaml', resolveTier1);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.path)).toEqual(['agents[1].accountId', 'agents[3].user']);
      expect(r.errors[0]?.message).toContain('agents[0].accountId');
    }
    // an agent without accountId gets 100 + its position, which can meet an explicit one
    expect(paths({ site: 'x', agents: [{ user: 'a', password: 'p', accountId: 102 }, { user: 'b', password: 'p' }] })).toEqual(['agents[1].accountId']);
    expect(paths({ site: 'x', credentials: [{ user: 'u', password: 'p' }, { user: 'u', password: 'q' }] })).toEqual(['credentials[1].user']);
    expect(paths({ site: 'x', queues: [{ id: 1 }, { id: 1, name: 'Again' }] })).toEqual(['queues[1].id']);
  });

  it('still loads the documented example and the sections every key of it uses', async () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const example = /Tenant document \(`config\/tenants\/acme\.yaml`[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const dir = tenantConfigDir({ 'acme.yaml': example ?? '' });
    const { tenants, problems } = await loadTenantDir(dir, resolveTier1);
    expect(problems).toEqual([]);
    expect(tenants.map((t) => t.site)).toEqual(['acme']);
  });
});

describe('a rejected edit of a live tenant', () => {
  let srv: ServerProcess;
  let cfg: string;
  const good = 'site: acme\ncredentials: [{ user: acme, password: pw }]\nqueueTimeoutSec: 60\ntier1: { rules: { KEYWORD: { phrases: ["free crypto"] } } }\n';
  beforeAll(async () => {
    cfg = tenantConfigDir({ 'acme.yaml': good });
    srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('strict'), PARLEY_CONFIG_DIR: cfg, PARLEY_LOG_LEVEL: 'info' });
  });
  afterAll(() => srv?.child.kill('SIGKILL'));

  it('is logged with its paths and the old config stays live', async () => {
    const get = async () => (await call(srv.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: { authorization: 'Bearer test-admin' } })).json;
    const before = await get();
    fs.writeFileSync(path.join(cfg, 'tenants', 'acme.yaml'), 'site: acme\ncredentials: [{ user: acme, password: pw }]\nqueueTimeoutSecs: 900\ntier_1: { rules: { KEYWORD: { phrases: ["other"] } } }\n');
    const rejected = () => srv.output().split('\n').filter((l) => l.includes('"tenant config rejected"')).map((l) => JSON.parse(l) as { errors: Array<{ path: string }> });
    expect(await until(() => rejected().length > 0, 5000)).toBe(true);
    expect(rejected()[0]?.errors.map((e) => e.path)).toEqual(['queueTimeoutSecs', 'tier_1']);
    const after = await get();
    expect(after.version).toBe(before.version);
    expect(after.tier1.rules.KEYWORD.phrases).toEqual(['free crypto']);
  });
});

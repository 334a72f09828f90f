// The tenant holding a user name is the site, not the document: a stray file claiming acme's
// integration user is refused, and acme's own edits (a password rotation, an admin PUT of tier1) still
// go live — before, any edit of acme.yaml counted as a new claim and both files were refused
// ("none of them is used …"), acme's old config stayed live, and the PUT answered persisted:false.
// The built-in demo tenant yields to the operator's documents: an agent named agent1 in shop.yaml
// signs in to shop (as before the one-tenant-per-name rule), demo's agent1 is left out with a
// warning naming the fix — before, the node refused to start.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { basic, call, until } from './helpers/client.ts';

const ISSUER = '/services/rest/crossChannelServices/latest';
const admin = { authorization: 'Bearer test-admin' };
const establish = (s: ServerProcess, user: string, pass: string) => call(s.url, 'POST', `${ISSUER}/establishSessions`, { headers: { authorization: basic(user, pass) }, body: {} });
const agentToken = (s: ServerProcess, user: string, pass: string) => call(s.url, 'POST', `${ISSUER}/agentTokens`, { headers: { authorization: basic(user, pass) } });
const lines = (s: ServerProcess, msg: string): Array<Record<string, unknown>> =>
  s.output().split('\n').filter((l) => l.includes(msg)).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a stray file claiming a live tenant\'s user name', () => {
  let srv: ServerProcess;
  let cfg: string;
  const file = (name: string): string => path.join(cfg, 'tenants', name);
  const rejected = (name: string): number => lines(srv, '"tenant config rejected"').filter((l) => l.file === file(name)).length;
  beforeAll(async () => {
    cfg = tenantConfigDir({ 'acme.yaml': 'site: acme\ncredentials: [{ user: acme, password: old-pass }]\n' });
    srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('holder'), PARLEY_CONFIG_DIR: cfg, PARLEY_LOG_LEVEL: 'info', PARLEY_DEMO_TENANT: 'off' });
    fs.writeFileSync(file('rogue.yaml'), 'site: rogue\ncredentials: [{ user: acme, password: x }]\n');
    await until(() => rejected('rogue.yaml') > 0, 5000);
  });
  afterAll(() => srv?.child.kill('SIGKILL'));

  it("does not block the holder's edits: acme rotates its password, rogue stays refused", async () => {
    fs.writeFileSync(file('acme.yaml'), 'site: acme\ncredentials: [{ user: acme, password: new-pass }]\n');
    expect(await until(async () => (await establish(srv, 'acme', 'new-pass')).status === 200, 5000)).toBe(true);
    expect((await establish(srv, 'acme', 'new-pass')).json.siteName).toBe('acme');
    expect((await establish(srv, 'acme', 'old-pass')).status).toBe(401);
    expect(rejected('acme.yaml')).toBe(0);
    expect((await call(srv.url, 'GET', '/admin/v1/tenants/rogue/tier1', { headers: admin })).status).toBe(404);
  });

  it("an admin PUT of the holder's tier1 is written and answers persisted: true", async () => {
    const r = await call(srv.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { mode: 'observe' } } });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.persisted, JSON.stringify(r.json)).toBe(true);
    expect(fs.readFileSync(file('acme.yaml'), 'utf8')).toContain('observe');
  });

  it("the holder's edit that newly claims another tenant's name is still refused", async () => {
    fs.writeFileSync(file('bee.yaml'), 'site: bee\ncredentials: [{ user: bee, password: bee-pass }]\n');
    expect(await until(async () => (await establish(srv, 'bee', 'bee-pass')).status === 200, 5000)).toBe(true);
    fs.writeFileSync(file('acme.yaml'), 'site: acme\ncredentials: [{ user: acme, password: new-pass }, { user: bee, password: y }]\n');
    expect(await until(() => rejected('acme.yaml') > 0, 5000)).toBe(true);
    expect((await establish(srv, 'bee', 'bee-pass')).json.siteName).toBe('bee');
    expect((await establish(srv, 'acme', 'new-pass')).json.siteName).toBe('acme');
  });
});

describe('a tenant document with a built-in demo user name (PARLEY_DEMO_TENANT unset)', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    const cfg = tenantConfigDir({ 'shop.yaml': 'site: shop\ncredentials: [{ user: shop, password: shop-pass }]\nagents: [{ user: agent1, password: shop-agent-pass, accountId: 5 }]\n' });
    srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('demo-yields'), PARLEY_CONFIG_DIR: cfg, PARLEY_LOG_LEVEL: 'info' });
  });
  afterAll(() => srv?.child.kill('SIGKILL'));

  it("starts; shop's agent1 signs in to shop, demo's public password for agent1 no longer works", async () => {
    const tok = await agentToken(srv, 'agent1', 'shop-agent-pass');
    expect(tok.status).toBe(200);
    expect(tok.json.siteName).toBe('shop');
    expect((await agentToken(srv, 'agent1', 'demo')).status).toBe(401);
    expect((await agentToken(srv, 'agent2', 'demo')).json.siteName).toBe('demo');
    expect((await establish(srv, 'demo', 'demo')).status).toBe(200);
  });

  it('warns, naming the name, the file and the fix', async () => {
    const w = lines(srv, 'leaves out user names');
    expect(w).toHaveLength(1);
    expect(w[0]?.level).toBe(40);
    expect(JSON.stringify(w[0])).toContain('"user":"agent1"');
    expect(JSON.stringify(w[0])).toContain('shop.yaml');
    expect(JSON.stringify(w[0])).toContain('PARLEY_DEMO_TENANT=off');
  });
});

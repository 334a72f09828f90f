// Sign-ins carry no site (establishSessions, chatAuthenticate, serviceSettings, agentTokens): the user
// name alone picks the tenant. Before, a tenant file hot-added with another tenant's integration user
// took that tenant's customers (`"siteName":"aaa"` for acme's backend, acme's chats then 403), a
// second password for the same name picked the tenant, and the log said only `tenant config live`.
// Now a user name (integration user, or agent) claimed by two tenants is refused: at runtime the
// newcomer (or the edited file) is refused with an error naming both files and the field, and the
// running tenant keeps working; at start both files are refused and start-up stops naming them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToExit, spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { basic, call, newConsumer, until } from './helpers/client.ts';

const ISSUER = '/services/rest/crossChannelServices/latest';
const admin = { authorization: 'Bearer test-admin' };
const ACME = 'site: acme\ncredentials: [{ user: acme, password: acme-pass }]\nagents: [{ user: alice, password: alice-pass, accountId: 7 }]\n';

let srv: ServerProcess;
let cfg: string;
const file = (name: string): string => path.join(cfg, 'tenants', name);

beforeAll(async () => {
  cfg = tenantConfigDir({ 'acme.yaml': ACME, 'dd.yaml': 'site: dd\ncredentials: [{ user: dd, password: dd-pass }]\n' });
  srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('usertwice'), PARLEY_CONFIG_DIR: cfg, PARLEY_LOG_LEVEL: 'info', PARLEY_DEMO_TENANT: 'off' });
});
afterAll(() => srv?.child.kill('SIGKILL'));

type Rejection = { level: number; file: string; errors: Array<{ path: string; message: string }> };
const rejections = (): Rejection[] => srv.output().split('\n').filter((l) => l.includes('"tenant config rejected"')).map((l) => JSON.parse(l) as Rejection);
const rejectionOf = async (name: string): Promise<Rejection | undefined> => {
  await until(() => rejections().some((l) => l.file === file(name)), 5000);
  return rejections().find((l) => l.file === file(name));
};
const establish = (user: string, pass: string) => call(srv.url, 'POST', `${ISSUER}/establishSessions`, { headers: { authorization: basic(user, pass) }, body: {} });
const agentToken = (user: string, pass: string) => call(srv.url, 'POST', `${ISSUER}/agentTokens`, { headers: { authorization: basic(user, pass) } });

describe('a user name two tenants claim, while the node runs', () => {
  it("a hot-added tenant with acme's integration credentials is refused; acme's backend and chats go on", async () => {
    const c = await newConsumer(srv.url, 'acme', undefined, ['acme', 'acme-pass']);
    fs.writeFileSync(file('aaa.yaml'), 'site: aaa\ncredentials: [{ user: acme, password: acme-pass }]\n');
    const r = await rejectionOf('aaa.yaml');
    expect(r?.level).toBe(50);
    expect(r?.errors[0]?.path).toBe('credentials[0].user');
    expect(r?.errors[0]?.message).toContain(file('acme.yaml'));
    const est = await establish('acme', 'acme-pass');
    expect(est.status).toBe(200);
    expect(est.json.siteName).toBe('acme');
    expect((await c.post('still here')).status).toBe(200);
    expect((await call(srv.url, 'GET', '/admin/v1/tenants/aaa/tier1', { headers: admin })).status).toBe(404);
  });

  it('the same user name with another password is refused too (the password does not pick the tenant)', async () => {
    fs.writeFileSync(file('bbb.yaml'), 'site: bbb\ncredentials: [{ user: acme, password: other-pass }]\n');
    expect((await rejectionOf('bbb.yaml'))?.errors[0]?.message).toContain(file('acme.yaml'));
    expect((await establish('acme', 'other-pass')).status).toBe(401);
    expect((await establish('acme', 'acme-pass')).json.siteName).toBe('acme');
  });

  it("an agent user name another tenant has is refused (agentTokens carries no site)", async () => {
    fs.writeFileSync(file('ccc.yaml'), 'site: ccc\nagents: [{ user: alice, password: alice-pass, accountId: 8 }]\n');
    const r = await rejectionOf('ccc.yaml');
    expect(r?.errors[0]?.path).toBe('agents[0].user');
    expect(r?.errors[0]?.message).toContain(file('acme.yaml'));
    const tok = await agentToken('alice', 'alice-pass');
    expect(tok.status).toBe(200);
    expect(tok.json.siteName).toBe('acme');
  });

  it("a live tenant edited to take another's user name keeps its previous config", async () => {
    fs.writeFileSync(file('dd.yaml'), 'site: dd\ncredentials: [{ user: acme, password: dd-pass }]\n');
    expect((await rejectionOf('dd.yaml'))?.errors[0]?.message).toContain(file('acme.yaml'));
    expect((await establish('dd', 'dd-pass')).json.siteName).toBe('dd');
    expect((await establish('acme', 'dd-pass')).status).toBe(401);
  });
});

describe('a user name two tenants claim, at start', () => {
  // a document with a built-in demo user name does not stop start-up: tenant-user-holder-and-demo.test.ts
  it('stops start-up naming both files and the field', async () => {
    const dir = tenantConfigDir({
      'aaa.yaml': 'site: aaa\ncredentials: [{ user: acme, password: x }]\n',
      'acme.yaml': ACME,
    });
    const r = await runToExit({ PARLEY_DATA_DIR: tempDir('usertwice-start'), PARLEY_CONFIG_DIR: dir, PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_SHARDS: '1' });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).not.toContain('Parley listening');
    const line = r.out.split('\n').filter((l) => l.startsWith('parley: ')).join('\n');
    const at = (name: string): string => path.join(dir, 'tenants', name);
    expect(line).toContain(`${at('aaa.yaml')}: credentials[0].user: `);
    expect(line).toContain(`${at('acme.yaml')}: credentials[0].user: `);
    expect(line).toMatch(new RegExp(`${at('aaa.yaml')}: credentials\\[0\\]\\.user: [^;]*${at('acme.yaml')}`));
  });
});

// The built-in development tenant `demo` (demo/demo, agent1..3/demo) can be turned off with
// PARLEY_DEMO_TENANT=off, and the start-up banner prints its credentials only when it is the one
// live: not when a demo.yaml replaces it, not when it is off. Before, it was live on every node with
// no way to turn it off, and the banner advertised demo/demo also when demo.yaml had replaced it.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { basic, call, until } from './helpers/client.ts';

const ISSUER = '/services/rest/crossChannelServices/latest';
let srv: ServerProcess | undefined;
afterEach(() => {
  srv?.child.kill('SIGKILL');
  srv = undefined;
});
const start = async (files: Record<string, string>, env: Record<string, string> = {}): Promise<ServerProcess> =>
  (srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('demo'), PARLEY_CONFIG_DIR: tenantConfigDir(files), PARLEY_LOG_LEVEL: 'info', ...env }));
const signIn = async (s: ServerProcess, user: string, pass: string): Promise<number> =>
  (await call(s.url, 'POST', `${ISSUER}/establishSessions`, { headers: { authorization: basic(user, pass) }, body: {} })).status;
const agentToken = async (s: ServerProcess, user: string): Promise<number> =>
  (await call(s.url, 'POST', `${ISSUER}/agentTokens`, { headers: { authorization: basic(user, 'demo') } })).status;
// the banner is written right after the listening line
const banner = async (s: ServerProcess): Promise<string> => {
  await until(() => s.output().includes('admin token:'), 5000);
  return s.output().split('\n').filter((l) => !l.startsWith('{')).join('\n');
};

describe('the built-in demo tenant', () => {
  it('PARLEY_DEMO_TENANT=off: no demo site, its credentials refused, not in the banner', async () => {
    const s = await start({ 'acme.yaml': 'site: acme\ncredentials: [{ user: acme, password: pw }]\n' }, { PARLEY_DEMO_TENANT: 'off' });
    expect(await signIn(s, 'demo', 'demo')).toBe(401);
    expect(await agentToken(s, 'agent1')).toBe(401);
    expect((await call(s.url, 'GET', '/admin/v1/tenants/demo/tier1', { headers: { authorization: 'Bearer test-admin' } })).status).toBe(404);
    expect(await signIn(s, 'acme', 'pw')).toBe(200);
    expect(await banner(s)).not.toContain('demo/demo');
  });

  it('replaced by a demo.yaml: the banner does not advertise the built-in credentials', async () => {
    const s = await start({ 'demo.yaml': 'site: demo\ncredentials: [{ user: prod, password: s3cret }]\n' });
    expect(await signIn(s, 'demo', 'demo')).toBe(401);
    expect(await signIn(s, 'prod', 's3cret')).toBe(200);
    const b = await banner(s);
    expect(b).not.toContain('demo/demo');
    expect(b).not.toContain('agent1');
  });

  it('on by default: live and in the banner; next to tenant documents a warning says how to turn it off', async () => {
    const s = await start({ 'acme.yaml': 'site: acme\ncredentials: [{ user: acme, password: pw }]\n' });
    expect(await signIn(s, 'demo', 'demo')).toBe(200);
    expect(await banner(s)).toContain('integration user demo/demo');
    expect(await until(() => s.output().split('\n').some((l) => l.includes('"level":40') && l.includes('PARLEY_DEMO_TENANT=off')), 5000)).toBe(true);
  });

  it('on by default with no tenant documents (the quick start): no warning', async () => {
    const s = await start({});
    expect(await signIn(s, 'demo', 'demo')).toBe(200);
    await banner(s);
    expect(s.output()).not.toContain('PARLEY_DEMO_TENANT=off');
  });
});

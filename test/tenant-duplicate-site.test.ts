// Two tenant documents with the same `site`: the one named after the site is used, the other is
// refused with an error log naming both files (before, the file read last silently replaced the
// other and its users got 401). None named after the site: both refused, nothing of theirs live.
// At runtime the site's live config stays; at start a refused document stops start-up
// (startup-tenant-config-errors.test.ts), so the duplicates here arrive while the node runs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { basic, call, until } from './helpers/client.ts';

let srv: ServerProcess;
let cfg: string;
const admin = { authorization: 'Bearer test-admin' };
const doc = (site: string, user: string, extra = ''): string => `site: ${site}\ncredentials: [{ user: ${user}, password: pw }]\n${extra}`;

beforeAll(async () => {
  cfg = tenantConfigDir({ 'acme.yaml': doc('acme', 'acme', 'tier1: { rules: { KEYWORD: { phrases: ["free crypto"] } } }\n') });
  srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('dupsite'), PARLEY_CONFIG_DIR: cfg, PARLEY_LOG_LEVEL: 'info' });
  fs.writeFileSync(path.join(cfg, 'tenants', 'acme2.yaml'), doc('acme', 'other'));
  fs.writeFileSync(path.join(cfg, 'tenants', 'zeta-a.yaml'), doc('zeta', 'za'));
  fs.writeFileSync(path.join(cfg, 'tenants', 'zeta-b.yaml'), doc('zeta', 'zb'));
  await until(() => rejections().some((l) => l.file.endsWith('zeta-b.yaml')) && rejections().some((l) => l.file.endsWith('acme2.yaml')), 5000);
});
afterAll(() => srv?.child.kill('SIGKILL'));

const signIn = async (user: string): Promise<number> =>
  (await call(srv.url, 'POST', '/services/rest/crossChannelServices/latest/establishSessions', { headers: { authorization: basic(user, 'pw') }, body: {} })).status;
const rejections = (): Array<{ level: number; file: string; errors: Array<{ path: string; message: string }> }> =>
  srv.output().split('\n').filter((l) => l.includes('"tenant config rejected"')).map((l) => JSON.parse(l));

describe('two tenant documents with the same site', () => {
  it('uses the document named after the site and refuses the other, logging both files at error level', async () => {
    expect(await signIn('acme')).toBe(200);
    expect(await signIn('other')).toBe(401);
    const live = await call(srv.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin });
    expect(path.basename(live.json.source)).toBe('acme.yaml');
    expect(live.json.tier1.rules.KEYWORD.phrases).toEqual(['free crypto']);
    const r = rejections().find((l) => l.file.endsWith('acme2.yaml'));
    expect(r?.level).toBe(50);
    expect(r?.errors[0]?.path).toBe('site');
    expect(r?.errors[0]?.message).toContain(path.join(cfg, 'tenants', 'acme.yaml'));
  });

  it('refuses both when neither is named after the site', async () => {
    expect((await call(srv.url, 'GET', '/admin/v1/tenants/zeta/tier1', { headers: admin })).status).toBe(404);
    expect(await signIn('za')).toBe(401);
    expect(await signIn('zb')).toBe(401);
    const a = rejections().find((l) => l.file.endsWith('zeta-a.yaml'));
    expect(a?.errors[0]?.message).toContain('zeta-b.yaml');
    expect(rejections().some((l) => l.file.endsWith('zeta-b.yaml'))).toBe(true);
  });

  it('a second document added while running does not displace the live one', async () => {
    fs.writeFileSync(path.join(cfg, 'tenants', 'acme-copy.yaml'), doc('acme', 'copy'));
    expect(await until(() => rejections().some((l) => l.file.endsWith('acme-copy.yaml')), 5000)).toBe(true);
    expect(await signIn('acme')).toBe(200);
    expect(await signIn('copy')).toBe(401);
  });
});

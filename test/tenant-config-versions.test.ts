// A tenant's version names one config: the version an admin PUT answers is the one that stays live
// and that decision logs carry (before, the reload of the PUT's own file write re-versioned the
// tenant: PUT said 5, GET and the logs 6), and a reload for another file, or of a file rewritten
// unchanged, leaves a tenant's version alone (before, every file change re-versioned every tenant).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { call, newConsumer, until } from './helpers/client.ts';

let srv: ServerProcess;
let cfg: string;
const admin = { authorization: 'Bearer test-admin' };
const beta = 'site: beta\ncredentials: [{ user: beta, password: pw }]\n';

beforeAll(async () => {
  cfg = tenantConfigDir({ 'acme.yaml': 'site: acme\ncredentials: [{ user: acme, password: pw }]\n', 'beta.yaml': beta });
  srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('versions'), PARLEY_CONFIG_DIR: cfg, PARLEY_LOG_LEVEL: 'info' });
});
afterAll(() => srv?.child.kill('SIGKILL'));

const version = async (site: string): Promise<number | undefined> => {
  const r = await call(srv.url, 'GET', `/admin/v1/tenants/${site}/tier1`, { headers: admin });
  return r.status === 200 ? (r.json.version as number) : undefined;
};
let added = 0;
/** Adds a new tenant file and waits until it is live: every earlier file change has been reloaded by then. */
const reloaded = async (): Promise<void> => {
  const site = `probe${++added}`;
  fs.writeFileSync(path.join(cfg, 'tenants', `${site}.yaml`), `site: ${site}\n`);
  expect(await until(async () => (await version(site)) !== undefined, 5000)).toBe(true);
};

describe('tenant config versions', () => {
  it('the version a PUT answers stays live after the file it wrote is reloaded, and the decision logs carry it', async () => {
    const put = await call(srv.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { version: 'ops-42', rules: { KEYWORD: { action: 'block', phrases: ['free crypto'] } } } } });
    expect(put.status).toBe(200);
    expect(put.json.persisted).toBe(true);
    expect(await until(() => srv.output().includes('"tenant config changed; reloading"'), 5000)).toBe(true);
    await reloaded();
    expect(await version('acme')).toBe(put.json.version);
    const c = await newConsumer(srv.url, 'acme', undefined, ['acme', 'pw']);
    await c.post('get free crypto now');
    const decision = async () =>
      srv.output().split('\n').filter((l) => l.includes('"tier1 decision"') && l.includes(`"engagementId":"${c.engagementId}"`)).map((l) => JSON.parse(l).tier1.configVersion as string)[0];
    expect(await until(async () => (await decision()) !== undefined, 5000)).toBe(true);
    expect(await decision()).toBe(`ops-42/${String(put.json.version)}`);
  });

  it('a change of one file, or a file rewritten unchanged, leaves the other tenants\' versions alone', async () => {
    const before = { acme: await version('acme'), beta: await version('beta') };
    fs.writeFileSync(path.join(cfg, 'tenants', 'beta.yaml'), beta);
    await reloaded();
    expect({ acme: await version('acme'), beta: await version('beta') }).toEqual(before);
    // a real edit still re-versions the edited tenant
    fs.writeFileSync(path.join(cfg, 'tenants', 'beta.yaml'), beta + 'queueTimeoutSec: 30\n');
    expect(await until(async () => (await version('beta')) !== before.beta, 5000)).toBe(true);
    expect(await version('acme')).toBe(before.acme);
  });

  it('a bad file left unchanged is logged once, not again on every reload', async () => {
    fs.writeFileSync(path.join(cfg, 'tenants', 'bad.yaml'), 'site: bad\nnope: 1\n');
    const count = () => srv.output().split('\n').filter((l) => l.includes('"tenant config rejected"') && l.includes('bad.yaml')).length;
    expect(await until(() => count() === 1, 5000)).toBe(true);
    await reloaded();
    expect(count()).toBe(1);
  });
});

// Hot reload keeps working when tenants/ is replaced (`mv tenants.new tenants`, a Kubernetes
// ConfigMap's `..data` link swap) or created after start-up: before, the watcher stayed on the old
// dir (the swap was seen once, later edits never) and a tenants/ dir made later was never watched.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { call, until } from './helpers/client.ts';

const admin = { authorization: 'Bearer test-admin' };
const acme = (v: string): string => `site: acme\ncredentials: [{ user: acme, password: pw }]\ntier1: { version: ${v} }\n`;
let s: TestServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

const liveVersion = async (): Promise<unknown> => {
  const r = await call((s as TestServer).url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin });
  return r.status === 200 ? r.json.tier1.version : undefined;
};
const becomes = (v: string): Promise<boolean> => until(async () => (await liveVersion()) === v, 5000);

describe('tenants/ directory watching', () => {
  it('follows a tenants/ dir swapped in by rename: the swap and later edits in it are picked up', async () => {
    const cfg = tempDir('swap');
    fs.mkdirSync(path.join(cfg, 'tenants'));
    fs.writeFileSync(path.join(cfg, 'tenants', 'acme.yaml'), acme('v1'));
    s = await startTestServer({ configDir: cfg });
    expect(await liveVersion()).toBe('v1');
    fs.mkdirSync(path.join(cfg, 'tenants.new'));
    fs.writeFileSync(path.join(cfg, 'tenants.new', 'acme.yaml'), acme('v2'));
    fs.renameSync(path.join(cfg, 'tenants'), path.join(cfg, 'tenants.old'));
    fs.renameSync(path.join(cfg, 'tenants.new'), path.join(cfg, 'tenants'));
    expect(await becomes('v2')).toBe(true);
    fs.writeFileSync(path.join(cfg, 'tenants', 'acme.yaml'), acme('v3'));
    expect(await becomes('v3')).toBe(true);
    // the old dir is no longer the config
    fs.writeFileSync(path.join(cfg, 'tenants.old', 'acme.yaml'), acme('old'));
    fs.writeFileSync(path.join(cfg, 'tenants', 'acme.yaml'), acme('v4'));
    expect(await becomes('v4')).toBe(true);
  });

  it('watches a tenants/ dir created after start-up', async () => {
    const cfg = tempDir('later');
    s = await startTestServer({ configDir: cfg });
    expect(await liveVersion()).toBeUndefined();
    fs.mkdirSync(path.join(cfg, 'tenants'));
    fs.writeFileSync(path.join(cfg, 'tenants', 'acme.yaml'), acme('v1'));
    expect(await becomes('v1')).toBe(true);
    fs.writeFileSync(path.join(cfg, 'tenants', 'acme.yaml'), acme('v2'));
    expect(await becomes('v2')).toBe(true);
  });

  it('follows a ConfigMap-style swap of the ..data link that tenants/ points through', async () => {
    const cfg = tempDir('configmap');
    const gen = (name: string, v: string): void => {
      fs.mkdirSync(path.join(cfg, name, 'tenants'), { recursive: true });
      fs.writeFileSync(path.join(cfg, name, 'tenants', 'acme.yaml'), acme(v));
    };
    gen('..gen1', 'v1');
    fs.symlinkSync('..gen1', path.join(cfg, '..data'));
    fs.symlinkSync('..data/tenants', path.join(cfg, 'tenants'));
    s = await startTestServer({ configDir: cfg });
    expect(await liveVersion()).toBe('v1');
    gen('..gen2', 'v2');
    fs.symlinkSync('..gen2', path.join(cfg, '..data_tmp'));
    fs.renameSync(path.join(cfg, '..data_tmp'), path.join(cfg, '..data'));
    expect(await becomes('v2')).toBe(true);
    gen('..gen3', 'v3');
    fs.symlinkSync('..gen3', path.join(cfg, '..data_tmp'));
    fs.renameSync(path.join(cfg, '..data_tmp'), path.join(cfg, '..data'));
    expect(await becomes('v3')).toBe(true);
  });
});

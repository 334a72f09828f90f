// Every changed bad tenant file is logged: two different bad edits in a row whose errors read the
// same (queueTimeoutSec: "15m", then 1.5) are two error lines. Before, the second was not logged at
// all — the repeat filter compared the error text, not the file. An unchanged file is not logged again.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { until } from './helpers/client.ts';

const DOC = 'site: acme\ncredentials: [{ user: acme, password: pw }]\nqueueTimeoutSec: 900\n';
let srv: ServerProcess;
let file: string;
beforeAll(async () => {
  const cfg = tenantConfigDir({ 'acme.yaml': DOC });
  file = path.join(cfg, 'tenants', 'acme.yaml');
  srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('rejectlog'), PARLEY_CONFIG_DIR: cfg, PARLEY_LOG_LEVEL: 'info' });
});
afterAll(() => srv?.child.kill('SIGKILL'));

const rejected = (): number => srv.output().split('\n').filter((l) => l.includes('"msg":"tenant config rejected"')).length;
const reloads = (): number => srv.output().split('\n').filter((l) => l.includes('"msg":"tenant config changed; reloading"')).length;

describe('bad edits of a tenant file', () => {
  it('each changed bad file is logged, also when its errors read the same', async () => {
    fs.writeFileSync(file, DOC.replace('900', '"15m"'));
    expect(await until(() => rejected() === 1, 5000)).toBe(true);
    fs.writeFileSync(file, DOC.replace('900', '1.5'));
    expect(await until(() => rejected() === 2, 5000)).toBe(true);
  });

  it('the same bad text again is not logged again', async () => {
    const before = reloads();
    fs.writeFileSync(file, DOC.replace('900', '1.5'));
    expect(await until(() => reloads() > before, 5000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(rejected()).toBe(2);
  });

  it('the line says the previous config stays live and that a restart stops on the file', () => {
    const line = srv.output().split('\n').find((l) => l.includes('"msg":"tenant config rejected"')) ?? '';
    expect(line).toMatch(/previous config/);
    expect(line).toMatch(/restart/);
  });
});

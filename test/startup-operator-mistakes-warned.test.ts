// Operator mistakes that leave the node running, but not as meant, are said at start: a misspelt
// PARLEY_* variable (with the closest known name), a config dir that is missing or has no tenants/
// dir, and the settings not meant for production (PARLEY_JOURNAL=off, PARLEY_FAULT_INJECTION=on)
// each get a warning line; a config dir that is a file stops start-up. Before, all passed silently:
// PARLEY_JOURNAL_SYNCH=flush ran in commit mode without a word.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runToExit, spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { until } from './helpers/client.ts';

let srv: ServerProcess | undefined;
afterEach(() => {
  srv?.child.kill('SIGKILL');
  srv = undefined;
});
type Line = Record<string, unknown> & { level: number; msg: string };
const warnings = (s: ServerProcess): Line[] =>
  s.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line).filter((l) => l.level === 40);
const startWith = async (env: Record<string, string>): Promise<ServerProcess> =>
  (srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('mistakes'), PARLEY_CONFIG_DIR: tenantConfigDir({}), PARLEY_LOG_LEVEL: 'info', ...env }));

describe('start-up warns about operator mistakes', () => {
  it('an unknown PARLEY_* variable: a warning naming it and the closest known one; the node starts', async () => {
    const s = await startWith({ PARLEY_JOURNAL_SYNCH: 'flush', PARLEY_LOGLEVEL: 'warn', PARLEY_SHARD: '4', PARLEY_FROBNICATE: '1' });
    await until(() => warnings(s).filter((w) => w.variable !== undefined).length >= 4, 5000);
    const byName = new Map(warnings(s).filter((w) => typeof w.variable === 'string').map((w) => [w.variable as string, w]));
    expect(byName.get('PARLEY_JOURNAL_SYNCH')?.didYouMean).toBe('PARLEY_JOURNAL_SYNC');
    expect(byName.get('PARLEY_LOGLEVEL')?.didYouMean).toBe('PARLEY_LOG_LEVEL');
    expect(byName.get('PARLEY_SHARD')?.didYouMean).toBe('PARLEY_SHARDS');
    expect(byName.get('PARLEY_FROBNICATE')).toBeDefined();
    expect(byName.get('PARLEY_FROBNICATE')?.didYouMean).toBeUndefined();
    expect(byName.get('PARLEY_SHARD')?.msg).toMatch(/unknown variable .*ignored/);
  });

  it('PARLEY_JOURNAL=off and PARLEY_FAULT_INJECTION=on: a warning each', async () => {
    const s = await startWith({ PARLEY_JOURNAL: 'off', PARLEY_FAULT_INJECTION: 'on' });
    expect(await until(() => warnings(s).some((w) => w.variable === 'PARLEY_JOURNAL') && warnings(s).some((w) => w.variable === 'PARLEY_FAULT_INJECTION'), 5000)).toBe(true);
    expect(warnings(s).find((w) => w.variable === 'PARLEY_JOURNAL')?.msg).toMatch(/nothing is stored/);
  });

  it('a config dir that does not exist: a warning naming it', async () => {
    const missing = path.join(tempDir('nocfg'), 'no-such-dir');
    const s = await startWith({ PARLEY_CONFIG_DIR: missing });
    expect(await until(() => warnings(s).some((w) => w.dir === missing && /not found/.test(w.msg)), 5000)).toBe(true);
  });

  it('a config dir without tenants/ but with tenant documents in it: a warning saying where they go', async () => {
    const dir = tempDir('flatcfg');
    fs.writeFileSync(path.join(dir, 'acme.yaml'), 'site: acme\n');
    const s = await startWith({ PARLEY_CONFIG_DIR: dir });
    expect(await until(() => warnings(s).some((w) => w.dir === dir && /tenants/.test(w.msg)), 5000)).toBe(true);
  });

  it('a config dir that is a file stops start-up with one line naming it', async () => {
    const file = path.join(tempDir('filecfg'), 'config');
    fs.writeFileSync(file, 'not a dir\n');
    const r = await runToExit({ PARLEY_DATA_DIR: tempDir('filecfg-data'), PARLEY_CONFIG_DIR: file, PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_SHARDS: '1' });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).not.toContain('Parley listening');
    expect(r.out).toContain(`parley: invalid configuration: PARLEY_CONFIG_DIR: expected a directory, got ${JSON.stringify(file)}`);
  });

  it('a well-set node prints no warning', async () => {
    const s = await startWith({});
    await new Promise((r) => setTimeout(r, 300));
    expect(warnings(s)).toEqual([]);
  });
});

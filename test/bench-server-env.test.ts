// The bench decides the configuration of the servers it measures. Before, startParley spread the
// bench's own environment into Parley's: `PARLEY_JOURNAL_SYNC=flush PARLEY_SHARD_CODEC=msgpackr`
// left in a load tester's shell made Parley 3× slower with no trace in the report, and
// PARLEY_MAX_BODY_BYTES=60 made it exit on start. Now inherited PARLEY_* and NODE_OPTIONS are
// dropped (and named in the run's notes); the server runs with its defaults plus the bench's settings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inheritedServerSettings, serverEnv, startParley } from '../bench/system/servers.ts';
import { stopServer } from '../bench/system/proc.ts';

const saved = { ...process.env };
const dirs: string[] = [];
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the servers under test get the bench\'s settings, not the shell\'s', () => {
  it('drops inherited PARLEY_* and NODE_OPTIONS, keeps the rest and the bench\'s own settings', () => {
    const inherited = { PATH: '/usr/bin', HOME: '/home/x', PARLEY_JOURNAL_SYNC: 'flush', PARLEY_SHARD_CODEC: 'msgpackr', NODE_OPTIONS: '--cpu-prof' };
    const env = serverEnv(inherited, { PARLEY_PORT: '0', PARLEY_JOURNAL: 'on' });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/x', PARLEY_PORT: '0', PARLEY_JOURNAL: 'on' });
    expect(inheritedServerSettings(inherited)).toEqual(['NODE_OPTIONS', 'PARLEY_JOURNAL_SYNC', 'PARLEY_SHARD_CODEC']);
    expect(inheritedServerSettings({ PATH: '/usr/bin' })).toEqual([]);
  });

  it('a Parley started with PARLEY_MAX_BODY_BYTES=60 in the bench\'s environment starts with its defaults', async () => {
    process.env.PARLEY_MAX_BODY_BYTES = '60';
    process.env.PARLEY_SHARDS = '1';
    const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-benchenv-'));
    dirs.push(tmpRoot);
    const srv = await startParley({ shards: null, journal: true, logLevel: 'warn', tmpRoot, cpus: null, entry: null });
    try {
      let ready = await fetch(`${srv.base}/readyz`);
      for (let i = 0; i < 100 && ready.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        ready = await fetch(`${srv.base}/readyz`);
      }
      expect(ready.status).toBe(200);
      // PARLEY_SHARDS=1 from the shell did not reach it either: the server's default here
      expect(((await ready.json()) as { shards: number }).shards).toBe(Math.max(1, os.availableParallelism() - 1));
    } finally {
      await stopServer(srv);
    }
  }, 120_000);
});

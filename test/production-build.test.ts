// The production bundle (npm run build → main.js + shard.js, no TypeScript loader) starts and
// serves a chat: the shard threads load from the bundle, not through tsx.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/server.ts';
import { newConsumer, transcript } from './helpers/client.ts';
import { yieldBetweenTests } from './helpers/yield-between-tests.ts';

yieldBetweenTests();

const ROOT = path.resolve(__dirname, '..');

describe('production build', () => {
  it('bundles, starts without tsx, and serves a message end to end', async () => {
    // inside the project, so the bundle resolves its external packages from node_modules
    const out = fs.mkdtempSync(path.join(ROOT, '.test-dist-'));
    const b = spawnSync(path.join(ROOT, 'node_modules/.bin/esbuild'), ['src/main.ts', 'workers/shard.ts', '--bundle', '--platform=node', '--format=esm', '--target=node20', '--packages=external', `--outdir=${out}`, '--entry-names=[name]'], { cwd: ROOT, encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
    expect(fs.existsSync(path.join(out, 'shard.js'))).toBe(true);
    const child = spawn(process.execPath, [path.join(out, 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, PARLEY_PORT: '0', PARLEY_DATA_DIR: tempDir('distdata'), PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let log = '';
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no listening line: ' + log)), 30_000);
        const on = (d: Buffer): void => {
          log += d;
          const m = /Parley listening on (\S+)/.exec(log);
          if (m?.[1]) {
            clearTimeout(t);
            resolve(m[1]);
          }
        };
        child.stdout.on('data', on);
        child.stderr.on('data', on);
        child.once('exit', (c) => reject(new Error(`exited ${c}: ${log}`)));
      });
      const c = await newConsumer(url);
      expect((await c.post('hello from the bundle')).status).toBe(200);
      expect((await transcript(url, c.engagementId)).json.messages[0].body).toBe('hello from the bundle');
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});

// A data dir whose JWT key or journal cannot be read stops start-up with one line naming the path
// (README, PARLEY_DATA_DIR) — before, a directory in their place gave "EISDIR: illegal operation on
// a directory, read" and a stack trace, no path. An empty jwt.key (left by a crash inside the first
// start's key write, which was not atomic) is replaced: no token can have been signed with it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToExit, spawnServer } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { newConsumer } from './helpers/client.ts';

async function refusal(dir: string): Promise<string> {
  const r = await runToExit({ PARLEY_DATA_DIR: dir, PARLEY_SHARDS: '1', PARLEY_ADMIN_TOKEN: 'test-admin' });
  expect(r.code, r.out).not.toBe(0);
  expect(r.out).not.toContain('Parley listening');
  expect(r.out.trim().split('\n'), r.out).toHaveLength(1);
  expect(r.out).not.toMatch(/^\s+at /m); // no stack trace
  return r.out;
}

describe('start-up on a data dir with an unreadable file', () => {
  it.each(['jwt.key', 'journal.mdb'])('%s that is a directory: one line naming its path', async (name) => {
    const dir = tempDir('dd-unreadable');
    fs.mkdirSync(path.join(dir, name));
    expect(await refusal(dir)).toContain(path.join(dir, name));
  });

  it('a short, non-empty jwt.key: one line naming the path and what to do', async () => {
    const dir = tempDir('dd-shortkey');
    fs.writeFileSync(path.join(dir, 'jwt.key'), 'short');
    const out = await refusal(dir);
    expect(out).toContain(path.join(dir, 'jwt.key'));
    expect(out).toContain('5 bytes, expected at least 32');
    expect(out).toContain('move it away');
  });
});

describe('the JWT key file', () => {
  it('an empty one is replaced by a full key, the node starts and issues tokens, the new key survives a restart', async () => {
    const dir = tempDir('dd-emptykey');
    const file = path.join(dir, 'jwt.key');
    fs.writeFileSync(file, '');
    const srv = await spawnServer({ PARLEY_DATA_DIR: dir, PARLEY_SHARDS: '1', PARLEY_LOG_LEVEL: 'warn' });
    try {
      expect(fs.statSync(file).size).toBe(32);
      expect(srv.output()).toContain('JWT key file was empty');
      await newConsumer(srv.url); // signs and verifies a consumer JWT with the new key
    } finally {
      srv.child.kill('SIGTERM');
      await srv.exited;
    }
    const key = fs.readFileSync(file);
    const again = await spawnServer({ PARLEY_DATA_DIR: dir, PARLEY_SHARDS: '1', PARLEY_LOG_LEVEL: 'warn' });
    again.child.kill('SIGTERM');
    await again.exited;
    expect(fs.readFileSync(file).equals(key)).toBe(true);
    expect(again.output()).not.toContain('JWT key file was empty');
  });

  it('a first start writes a 32-byte key readable by the owner only and leaves no temp file', async () => {
    const dir = tempDir('dd-newkey');
    const srv = await spawnServer({ PARLEY_DATA_DIR: dir, PARLEY_SHARDS: '1', PARLEY_LOG_LEVEL: 'warn' });
    srv.child.kill('SIGTERM');
    await srv.exited;
    const st = fs.statSync(path.join(dir, 'jwt.key'));
    expect(st.size).toBe(32);
    expect(st.mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('jwt.key'))).toEqual(['jwt.key']);
  });
});

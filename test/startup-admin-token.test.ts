// PARLEY_ADMIN_TOKEN must be a token a request can present: `Authorization: Bearer <token>` carries
// one run of visible ASCII. A token with a space or a non-ASCII letter used to start the node and
// then answer every admin call 401 (then 429) — now start-up stops naming the variable, without
// printing the secret.
import { describe, expect, it } from 'vitest';
import { runToExit, spawnServer } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { call } from './helpers/client.ts';

describe('PARLEY_ADMIN_TOKEN at start-up', () => {
  it.each([
    ['correct horse', 'a space at character 8'],
    ['tökén', 'U+00F6 at character 2'],
    ['tab\there', 'U+0009 at character 4'],
  ])('%j is refused: one line naming the variable and the shape, the token not shown', async (token, where) => {
    const r = await runToExit({ PARLEY_DATA_DIR: tempDir('admtok'), PARLEY_SHARDS: '1', PARLEY_ADMIN_TOKEN: token });
    expect(r.code).not.toBe(0);
    expect(r.out).not.toContain('Parley listening');
    expect(r.out).toContain('PARLEY_ADMIN_TOKEN: expected visible ASCII characters, no spaces');
    expect(r.out).toContain(where);
    expect(r.out).not.toContain(token);
    expect(r.out.trim().split('\n')).toHaveLength(1);
  });

  it('a token of visible ASCII, punctuation included, starts and opens the admin API', async () => {
    const token = 'S3cr3t!#$%&*+-./:;<=>?@[]^_`{|}~';
    const srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('admtok-ok'), PARLEY_SHARDS: '1', PARLEY_ADMIN_TOKEN: token, PARLEY_LOG_LEVEL: 'warn' });
    try {
      expect((await call(srv.url, 'GET', '/admin/v1/stats', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      srv.child.kill('SIGTERM');
      await srv.exited;
    }
  });
});

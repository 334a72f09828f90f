// An exception in an HTTP-thread handler answers that request 500 INTERNAL_SERVER_ERROR, is logged
// with its stack, and the node serves on. Without the boundaries (src/http/guard.ts) uWebSockets.js
// ended the process on a throw in any of its callbacks, and Node on an async handler's rejection:
// one request's bug took every engagement's connections down. A separate process, so a crash
// fails this test instead of the test runner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { call, newConsumer, until } from './helpers/client.ts';
import { tempDir } from './helpers/server.ts';

let srv: ServerProcess;
beforeAll(async () => {
  srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('handler-failures'), PARLEY_FAULT_INJECTION: 'on', PARLEY_LOG_LEVEL: 'info' });
}, 40_000);
afterAll(() => {
  srv?.child.kill('SIGKILL');
});

const admin = { authorization: 'Bearer test-admin' };

describe('HTTP handler failures', () => {
  for (const mode of ['early', 'handler', 'body', 'reject']) {
    it(`a throw (${mode}) answers 500 INTERNAL_SERVER_ERROR and the node serves on`, async () => {
      const r = await call(srv.url, 'POST', `/admin/v1/http/fault?mode=${mode}`, { body: {}, headers: admin });
      expect(r.status).toBe(500);
      expect(r.json.code).toBe('INTERNAL_SERVER_ERROR');
      expect(r.text).not.toContain('injected'); // the reason is in the log, not the answer
      expect(await until(() => srv.output().includes('request handler failed') && srv.output().includes('injected fault'), 5000)).toBe(true);
      const c = await newConsumer(srv.url);
      expect((await c.post(`still serving after ${mode}`)).status).toBe(200);
    });
  }

  it('an unknown fault mode is refused with 400 INVALID_FIELD, and the process is still the first one', async () => {
    const r = await call(srv.url, 'POST', '/admin/v1/http/fault?mode=nonsense', { body: {}, headers: admin });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('INVALID_FIELD');
    expect(srv.child.exitCode).toBe(null);
  });
});

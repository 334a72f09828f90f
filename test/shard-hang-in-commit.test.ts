// A shard stuck inside a journal write transaction cannot be terminated (its thread holds LMDB's
// writer lock and worker.terminate() never settles), so the watchdog answers its requests 503 and,
// when the thread has not gone after PARLEY_SHARD_HANG_MS more, kills the process with a fatal log
// line instead of leaving every shard to stall behind the lock. A restart recovers every
// acknowledged message from the journal. (A shard hung elsewhere is replaced in place:
// shard-crash-recovery.test.ts.)
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { call, newConsumer, transcript } from './helpers/client.ts';
import { shardOfEngagement } from './helpers/shards.ts';

const dataDir = tempDir('hang-commit');
const env = { PARLEY_DATA_DIR: dataDir, PARLEY_FAULT_INJECTION: 'on', PARLEY_SHARD_HANG_MS: '1000', PARLEY_SHARDS: '2', PARLEY_LOG_LEVEL: 'warn' };
// every server process a test starts is killed at the end, whatever the test did with it
const spawned: ServerProcess[] = [];
async function start(e: Record<string, string>): Promise<ServerProcess> {
  const p = await spawnServer(e);
  spawned.push(p);
  return p;
}
afterAll(async () => {
  for (const p of spawned) p.child.kill('SIGKILL');
  await Promise.all(spawned.map((p) => p.exited));
});

describe('a shard hung inside a journal commit', () => {
  it('gets its requests answered 503, then the process killed with a fatal line; a restart has every acknowledged message', async () => {
    let srv = await start(env);
    const c = await newConsumer(srv.url);
    expect((await c.post('acknowledged before the hang')).status).toBe(200);
    const shard = shardOfEngagement(c.engagementId, 2);
    const f = await call(srv.url, 'POST', `/admin/v1/shards/${shard}/fault?mode=hangInCommit`, { headers: { authorization: 'Bearer test-admin' } });
    expect(f.status).toBe(202);
    const t0 = Date.now();
    const during = await c.post('sent while the shard hangs', { messageId: 'm-during' });
    expect(during.status).toBe(503);
    expect(during.json.code).toBe('SHARD_UNAVAILABLE');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await srv.exited).toBe('SIGKILL');
    expect(srv.output()).toContain('hung shard thread could not be terminated; killing the process');

    srv = await start(env);
    const t = await transcript(srv.url, c.engagementId);
    expect(t.status).toBe(200);
    expect(t.json.messages.map((m: { body: string }) => m.body)).toContain('acknowledged before the hang');
    // the client retries what it was told failed, with the same messageId: stored once
    const session = c.sessionId;
    const again = await call(srv.url, 'POST', '/engagement/api/consumer/demo/v1/postMessage?pool=1:1', { body: { body: 'sent while the shard hangs', messageId: 'm-during' }, headers: { SessionId: session } });
    expect(again.status).toBe(200);
    const t2 = await transcript(srv.url, c.engagementId);
    expect(t2.json.messages.filter((m: { body: string }) => m.body === 'sent while the shard hangs').length).toBe(1);
  }, 60_000);
});

describe('a graceful stop that cannot finish', () => {
  it('ends with SIGKILL and a fatal line after PARLEY_STOP_TIMEOUT_MS instead of hanging', async () => {
    // the watchdog is set far off, so only the stop deadline can end this
    const p = await start({ ...env, PARLEY_DATA_DIR: tempDir('stop-timeout'), PARLEY_SHARD_HANG_MS: '600000', PARLEY_STOP_TIMEOUT_MS: '2000' });
    expect((await call(p.url, 'POST', '/admin/v1/shards/0/fault?mode=hangInCommit', { headers: { authorization: 'Bearer test-admin' } })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe('SIGKILL');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(p.output()).toContain('graceful stop did not finish; killing the process');
  }, 60_000);
});

// Start-up and shutdown: graceful SIGTERM (in-flight answered, sockets closed "going away", exit 0),
// a corrupt or unusable data dir fails loudly naming the path, bad settings name the variable.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToExit, spawnServer } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { cpath, newConsumer, openWs } from './helpers/client.ts';
import { startTestServer } from './helpers/server.ts';
import { newAgent } from './helpers/agent-client.ts';
import { optionsFromEnv, resolveServerConfig, ConfigError } from '../src/config/server.ts';


describe('server lifecycle', () => {
  it('on SIGTERM answers the parked poll at once (empty, as its hold ending would), closes WebSockets with 1001 and exits 0 without waiting out the poll', async () => {
    const srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('term'), PARLEY_LONG_POLL_MS: '20000', PARLEY_LOG_LEVEL: 'warn' });
    const c = await newConsumer(srv.url);
    const w = openWs(srv.url, `/engagement/api/consumer/demo/v1/ws?sessionId=${c.sessionId}`);
    await w.opened;
    await c.poll(); // what was queued at start
    const parked = c.poll();
    const agent = await newAgent(srv.url, 'agent1');
    const agentParked = agent.call('getMessages', {});
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    srv.child.kill('SIGTERM');
    const closed = await w.closed;
    expect(closed.code).toBe(1001);
    const r = await parked;
    // before: held until the stop's 5 s in-flight bound ran out, then 503 SHUTTING_DOWN
    expect(r.status).toBe(200);
    expect(r.json.systemMessages).toEqual([]);
    const a = await agentParked;
    expect(a.status).toBe(200);
    expect(a.json.getResponseTypes).toEqual([{ ChatGetTimeout: {} }]);
    expect(await srv.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(4000);
  }, 60_000);

  it('while stopping, answers a new request 503 SHUTTING_DOWN with Connection: close, so the retry goes to a new connection', async () => {
    const s = await startTestServer();
    const c = await newConsumer(s.url); // the client's pool keeps this connection open
    const stopping = s.stop();
    // the listen socket is closed by now: this goes over the connection the client already has
    const r = await fetch(s.url + cpath('demo', 'postMessage'), { method: 'POST', headers: { 'content-type': 'application/json', sessionid: c.sessionId }, body: '{"body":"late"}' });
    await stopping;
    expect(r.status).toBe(503);
    expect(((await r.json()) as { code: string }).code).toBe('SHUTTING_DOWN');
    expect(r.headers.get('connection')).toBe('close');
    expect(r.headers.get('retry-after')).toBe('1');
  });

  it('refuses to start on a corrupt journal, naming the path', async () => {
    const dir = tempDir('corrupt');
    fs.writeFileSync(path.join(dir, 'journal.mdb'), Buffer.alloc(64 * 1024, 0x5a));
    const r = await runToExit({ PARLEY_DATA_DIR: dir });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(path.join(dir, 'journal.mdb'));
    expect(r.out).not.toContain('Parley listening');
  }, 60_000);

  it('refuses to start on an unusable data dir, naming the path', async () => {
    const file = path.join(tempDir('notadir'), 'plain-file');
    fs.writeFileSync(file, 'x');
    const r = await runToExit({ PARLEY_DATA_DIR: file });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(file);
  }, 60_000);

  it('names the variable and the expected shape of a bad setting', () => {
    const { options, problems } = optionsFromEnv({ PARLEY_PORT: 'eighty', PARLEY_SHARDS: '0', PARLEY_JOURNAL: 'maybe', PARLEY_SHARD_HEAP_ADMIT_PCT: '99' });
    expect(() => resolveServerConfig(options, problems)).toThrow(ConfigError);
    try {
      resolveServerConfig(options, problems);
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('PARLEY_PORT: expected an integer in [0, 65535]');
      expect(msg).toContain('PARLEY_SHARDS: expected an integer in [1, 256]');
      expect(msg).toContain('PARLEY_JOURNAL: expected on|off');
      expect(msg).toContain('PARLEY_SHARD_HEAP_ADMIT_PCT: expected an integer in [0, 95]');
    }
  });

  it('fills every default and freezes the config', () => {
    const cfg = resolveServerConfig({});
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(cfg).toMatchObject({ port: 8080, host: '127.0.0.1', longPollMs: 25_000, concludeGraceMs: 60_000, maxBodyBytes: 1_048_576, journal: true, shardHeapAdmitPct: 60, shardMaxEngagements: 0 });
    expect(cfg.shards).toBeGreaterThanOrEqual(1);
  });
});

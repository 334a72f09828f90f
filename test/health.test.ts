// Load balancers probe /healthz (liveness: the HTTP thread answers) and /readyz (readiness: every
// shard is up and the node is not shutting down). A shard that crashes takes the node out of
// rotation until it is back; a node that is stopping answers 503 SHUTTING_DOWN.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 2, faultInjection: true });
});
afterAll(async () => s?.stop());

describe('health and readiness', () => {
  it('is live and ready once started', async () => {
    expect((await call(s.url, 'GET', '/healthz')).json).toEqual({ status: 'ok' });
    const r = await call(s.url, 'GET', '/readyz');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ready', shards: 2 });
  });

  it('is not ready while a crashed shard restarts, and ready again when it is back', async () => {
    expect((await call(s.url, 'POST', '/admin/v1/shards/0/fault?mode=exit', { headers: { authorization: 'Bearer test-admin' } })).status).toBe(202);
    const seen: number[] = [];
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      const r = await call(s.url, 'GET', '/readyz');
      if (seen.at(-1) !== r.status) seen.push(r.status);
      if (r.status === 503) expect(r.json.code).toBe('SHARD_UNAVAILABLE');
      if (seen.includes(503) && r.status === 200) break;
      await new Promise((res) => setTimeout(res, 5));
    }
    // live throughout
    expect((await call(s.url, 'GET', '/healthz')).status).toBe(200);
    expect(seen.slice(-2)).toEqual([503, 200]);
  });

  it('answers 503 SHUTTING_DOWN on an open connection once the node is stopping', async () => {
    const t = await startTestServer({ shards: 1 });
    const u = new URL(t.url);
    // a keep-alive connection opened before the stop (the listen socket closes first)
    const sock = net.connect(Number(u.port), u.hostname);
    await new Promise((r) => sock.once('connect', r));
    const stopping = t.stop();
    const answer = new Promise<string>((resolve) => {
      let text = '';
      sock.on('data', (d) => {
        text += d.toString('latin1');
        if (text.includes('}')) resolve(text);
      });
    });
    sock.write('GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n');
    const text = await answer;
    sock.destroy();
    await stopping;
    expect(text).toMatch(/^HTTP\/1\.1 503 /);
    expect(text).toContain('"code":"SHUTTING_DOWN"');
  });
});

// A consumer WebSocket that stops reading is closed (4008) once its unsent bytes pass
// PARLEY_WS_MAX_BACKPRESSURE — memory stays bounded — and a reconnect with ?after= gets exactly
// the rest: nothing skipped, nothing twice. Also when one frame is larger than the limit: uWS's
// own cap (then 2 × the limit) dropped the close frame, and the client saw 1006 instead of 4008.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, newConsumer, openWs, until } from './helpers/client.ts';
import { accept, isOfferOf, newAgent, ready, waitEntry } from './helpers/agent-client.ts';

describe.each([
  ['64 KiB, frames of ~2 KB', 64 * 1024],
  ['1 KiB, each frame larger than the limit', 1024],
])('WebSocket backpressure at %s', (_, limit) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ wsMaxBackpressure: limit, longPollMs: 300 });
    // agent posts are screened by default; this test floods on purpose
    const r = await call(s.url, 'PUT', '/admin/v1/tenants/demo/tier1', { headers: { authorization: 'Bearer test-admin' }, body: { tier1: { screenAgents: false } } });
    expect(r.status).toBe(200);
  });
  afterAll(async () => s?.stop());

  it('closes a socket that stops reading with 4008 and resumes without gaps or duplicates', async () => {
    const u = await newConsumer(s.url);
    const a = await newAgent(s.url, 'agent1');
    await ready(a, 1);
    expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeTruthy();
    expect((await accept(a, u.engagementId)).status).toBe(200);
    const w = openWs(s.url, `/engagement/api/consumer/demo/v1/ws?sessionId=${u.sessionId}`);
    await w.opened;
    const sock = (w.ws as unknown as { _socket: Socket })._socket;
    sock.pause(); // a client that stops reading
    const body = 'x'.repeat(1800);
    const N = 4000; // ≈ 7.5 MB: more than loopback socket buffers absorb
    let closedEarly = false;
    void w.closed.then(() => (closedEarly = true));
    // eight posting at once, as a busy agent side does: several frames reach the socket per batch
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = next++; i < N; i = next++) {
        const r = await a.call('postMessage', { body: `${i} ${body}`, destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
        expect(r.status).toBe(200);
      }
    }));
    sock.resume();
    const closed = await w.closed;
    expect(closedEarly || closed.code === 4008).toBe(true);
    expect(closed.code).toBe(4008);
    // operators see it in the metrics
    const metrics = await (await fetch(`${s.url}/admin/v1/metrics`, { headers: { authorization: 'Bearer test-admin' } })).text();
    expect(metrics).toContain('parley_websocket_slow_closes_total{api="consumer"} 1\n');
    const got = w.frames.filter((f) => f.messageName === 'RNEngagementMessagePostedMessage');
    expect(got.length).toBeLessThan(N);
    const last = Number(w.frames.at(-1)?.sequenceNumber ?? 0);
    const w2 = openWs(s.url, `/engagement/api/consumer/demo/v1/ws?sessionId=${u.sessionId}&after=${last}`);
    await w2.opened;
    expect(await until(() => w2.frames.filter((f) => f.messageName === 'RNEngagementMessagePostedMessage').length + got.length >= N, 20_000)).toBe(true);
    const all = [...w.frames, ...w2.frames].map((f) => Number(f.sequenceNumber));
    expect(all).toEqual(all.map((_, i) => i + 1));
    const bodies = [...got, ...w2.frames.filter((f) => f.messageName === 'RNEngagementMessagePostedMessage')].map((f) => String(f.body).split(' ')[0]);
    expect(bodies.map(Number).sort((x, y) => x - y)).toEqual(Array.from({ length: N }, (_, i) => i));
    w2.ws.close();
  }, 120_000);
});

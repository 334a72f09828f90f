// The consumer and agent WebSockets only send: clients act through the REST calls. A small frame a
// client sends anyway (an application-level keep-alive) is ignored; a large one is closed with
// 1009 "message too big" and a reason — before, every frame over 16 KiB ended the socket with no
// close frame at all (1006, abnormal), so a client could not tell it from a network failure.
// The session is not harmed: a new socket opens and receives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, openWs, sleep, until, type WsClient } from './helpers/client.ts';
import { OFFER, newAgent, ready, typeOf, type Entry } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ concludeGraceMs: 3000 });
});
afterAll(async () => s?.stop());

const wsPath = (sessionId: string): string => `/engagement/api/consumer/demo/v1/ws?pool=1:1&sessionId=${encodeURIComponent(sessionId)}`;
const KiB = 1024;
const MiB = 1024 * KiB;

/** What the socket's end looked like to the client: the close code, its reason, and any client-side error. */
async function ending(w: WsClient): Promise<{ code: number; tooBig: boolean; errors: string[] }> {
  const c = await w.closed;
  return { code: c.code, tooBig: /too big/.test(c.reason), errors: w.errors };
}

describe('a client frame on a send-only WebSocket', () => {
  it('ignores a small frame: the consumer socket stays open and still streams', async () => {
    const c = await newConsumer(s.url);
    const w = openWs(s.url, wsPath(c.sessionId));
    await w.opened;
    w.ws.send('{"type":"ping"}');
    w.ws.send(Buffer.alloc(8 * KiB));
    await sleep(200);
    expect(w.ws.readyState).toBe(w.ws.OPEN);
    await c.conclude();
    expect(await until(() => w.frames.some((f) => f.messageName === 'RNEngagementConcludedMessage'))).toBe(true);
    expect((await w.closed).code).toBe(1000);
  });

  for (const [label, size, binary] of [['64 KiB text', 64 * KiB, false], ['1 MiB text', MiB, false], ['1 MiB binary', MiB, true]] as const) {
    it(`closes the consumer socket with 1009 and a reason on a ${label} frame; the session keeps streaming to a new socket`, async () => {
      const c = await newConsumer(s.url);
      const w = openWs(s.url, wsPath(c.sessionId));
      await w.opened;
      w.ws.send(binary ? Buffer.alloc(size) : 'x'.repeat(size));
      expect(await ending(w)).toEqual({ code: 1009, tooBig: true, errors: [] });

      const again = openWs(s.url, wsPath(c.sessionId));
      await again.opened;
      await c.conclude();
      expect(await until(() => again.frames.some((f) => f.messageName === 'RNEngagementConcludedMessage'))).toBe(true);
      expect((await again.closed).code).toBe(1000);
    });
  }

  it('closes an agent socket with 1009 on a 1 MiB frame; a new agent socket gets the next offer', async () => {
    const a = await newAgent(s.url, 'agent2');
    const w = a.ws();
    await w.opened;
    w.ws.send('x'.repeat(MiB));
    expect(await ending(w)).toEqual({ code: 1009, tooBig: true, errors: [] });

    const again = a.ws();
    await again.opened;
    await ready(a, 1);
    const c = await newConsumer(s.url);
    const offered = (): boolean => again.frames.flatMap((f) => (f.getResponseTypes as Entry[] | undefined) ?? []).some((e) => typeOf(e) === OFFER);
    expect(await until(offered)).toBe(true);
    again.ws.close();
    await c.conclude();
  });
});

// One session keeps at most PARLEY_WS_MAX_PER_ENGAGEMENT consumer WebSockets (agent sessions:
// PARLEY_WS_MAX_PER_AGENT_SESSION): every socket gets every message of the session, so without a
// cap one session could make the server send each message thousands of times. A newer socket
// closes the oldest with 4009; the newest keep streaming.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, openWs, until, type WsClient } from './helpers/client.ts';
import { OFFER, newAgent, ready, typeOf, type Entry } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ wsMaxPerEngagement: 3, wsMaxPerAgentSession: 2, concludeGraceMs: 3000 });
});
afterAll(async () => s?.stop());

const wsPath = (sessionId: string): string => `/engagement/api/consumer/demo/v1/ws?pool=1:1&sessionId=${encodeURIComponent(sessionId)}`;

describe('WebSockets per session', () => {
  it('closes the oldest socket with 4009 when a session opens one more than the cap, and streams to the newest', async () => {
    const c = await newConsumer(s.url);
    const socks: WsClient[] = [];
    for (let i = 0; i < 3; i++) {
      const w = openWs(s.url, wsPath(c.sessionId));
      await w.opened;
      socks.push(w);
    }
    const fourth = openWs(s.url, wsPath(c.sessionId));
    await fourth.opened;
    const evicted = await socks[0]!.closed;
    expect(evicted.code).toBe(4009);
    expect(evicted.reason).toMatch(/^replaced/);

    // the three newest get the rest of the stream and its normal end
    await c.conclude();
    const kept = [socks[1]!, socks[2]!, fourth];
    for (const w of kept) {
      expect(await until(() => w.frames.some((f) => f.messageName === 'RNEngagementConcludedMessage'))).toBe(true);
      expect((await w.closed).code).toBe(1000);
    }
    expect(socks[0]!.frames.some((f) => f.messageName === 'RNEngagementConcludedMessage')).toBe(false);
  });

  it('counts per session: other sessions are not affected', async () => {
    const a = await newConsumer(s.url);
    const b = await newConsumer(s.url);
    const wa = openWs(s.url, wsPath(a.sessionId));
    await wa.opened;
    const wbs: WsClient[] = [];
    for (let i = 0; i < 4; i++) {
      const w = openWs(s.url, wsPath(b.sessionId));
      await w.opened;
      wbs.push(w);
    }
    expect((await wbs[0]!.closed).code).toBe(4009);
    await a.conclude();
    expect((await wa.closed).code).toBe(1000);
    for (const w of wbs.slice(1)) w.ws.close();
  });

  it('caps an agent session the same way: the oldest agent socket closes with 4009, the newest get the offer', async () => {
    const a = await newAgent(s.url, 'agent1');
    const socks: WsClient[] = [];
    for (let i = 0; i < 3; i++) {
      const w = a.ws();
      await w.opened;
      socks.push(w);
    }
    const evicted = await socks[0]!.closed;
    expect(evicted.code).toBe(4009);
    expect(evicted.reason).toMatch(/^replaced/);
    await ready(a, 1);
    const c = await newConsumer(s.url); // an engagement to offer (or one still waiting from above)
    const offered = (w: WsClient): boolean => w.frames.flatMap((f) => (f.getResponseTypes as Entry[] | undefined) ?? []).some((e) => typeOf(e) === OFFER);
    for (const w of socks.slice(1)) expect(await until(() => offered(w))).toBe(true);
    expect(offered(socks[0]!)).toBe(false);
    for (const w of socks.slice(1)) w.ws.close();
    await c.conclude();
  });
});

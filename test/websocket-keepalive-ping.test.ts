// An idle WebSocket — a queued customer's widget, an agent between chats — gets a ping from the
// server well inside 60 s, the idle limit of nginx's proxy_read_timeout in README's configuration
// and of an AWS ALB by default: the proxy sees traffic and keeps the upgraded connection. Browsers
// cannot send pings, so only the server can. Before, uWS's first automatic ping came at ~104 s
// (idleTimeout 120), and behind that nginx every idle socket was cut at 60 s (1006).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, openWs, type WsClient } from './helpers/client.ts';
import { newAgent } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({});
});
afterAll(async () => s?.stop());

const WITHIN_MS = 30_000;

/** The first ping the server sends this socket, or 'none' if none came within WITHIN_MS. */
function firstPing(w: WsClient): Promise<'ping' | 'none'> {
  return new Promise((done) => {
    const timer = setTimeout(() => done('none'), WITHIN_MS);
    w.ws.once('ping', () => {
      clearTimeout(timer);
      done('ping');
    });
  });
}

describe('an idle WebSocket', () => {
  it(`gets a ping from the server within ${WITHIN_MS / 1000} s and stays open, consumer and agent`, async () => {
    const c = await newConsumer(s.url);
    const consumer = openWs(s.url, `/engagement/api/consumer/demo/v1/ws?sessionId=${encodeURIComponent(c.sessionId)}`);
    const a = await newAgent(s.url, 'agent1');
    const agent = a.ws();
    await Promise.all([consumer.opened, agent.opened]);
    const pings = await Promise.all([firstPing(consumer), firstPing(agent)]);
    expect({ pings, open: [consumer.ws.readyState, agent.ws.readyState], errors: [...consumer.errors, ...agent.errors] }).toEqual({ pings: ['ping', 'ping'], open: [1, 1], errors: [] });
    consumer.ws.close();
    agent.ws.close();
    await a.call('logoff', { forceLogoff: true });
  }, WITHIN_MS + 15_000);
});

// What the consumer and agent WebSocket paths answer when the socket cannot be opened, so a
// developer can tell what to change:
// - a plain GET (no `Upgrade: websocket` — what an nginx without the Upgrade/Connection lines
//   sends) gets 426 UPGRADE_REQUIRED with `Upgrade: websocket`; before, 400 BAD_REQUEST "The
//   request is not valid.", which did not say a WebSocket handshake was wanted;
// - `after=` with 16 or more digits is beyond the end of the stream like any other too-large
//   number; before, it got "expected a sequence number (decimal digits)" — it is decimal digits —
//   while 15 digits got "beyond the end of this stream".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, newConsumer, openWs } from './helpers/client.ts';
import { newAgent, type Agent } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 300 });
});
afterAll(async () => s?.stop());

const consumerWs = (sessionId: string, after: string): string => `/engagement/api/consumer/demo/v1/ws?sessionId=${encodeURIComponent(sessionId)}&after=${after}`;
const agentHeaders = (a: Agent): Record<string, string> => ({ 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId });

/** The answer to a WebSocket handshake the server refused: status and coded body. */
function refusal(p: string, headers: Record<string, string> = {}): Promise<{ status: number; code: unknown; message: unknown }> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(s.url.replace(/^http/, 'ws') + p, { headers });
    ws.once('open', () => {
      ws.close();
      fail(new Error('the handshake was accepted'));
    });
    ws.once('error', fail);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += String(d)));
      res.on('end', () => {
        const v = JSON.parse(body) as { code: unknown; message: unknown };
        done({ status: res.statusCode ?? 0, code: v.code, message: v.message });
      });
    });
  });
}

describe('a WebSocket path asked without the WebSocket handshake', () => {
  it('answers 426 UPGRADE_REQUIRED with Upgrade: websocket, consumer and agent', async () => {
    const c = await newConsumer(s.url);
    const a = await newAgent(s.url, 'agent1');
    const answers = [
      await call(s.url, 'GET', `/engagement/api/consumer/demo/v1/ws?sessionId=${encodeURIComponent(c.sessionId)}`),
      await call(s.url, 'GET', '/engagement/api/agent/demo/v1/ws', { headers: agentHeaders(a) }),
    ];
    for (const r of answers) {
      expect({ status: r.status, upgrade: r.headers.get('upgrade'), code: r.json?.code }).toEqual({ status: 426, upgrade: 'websocket', code: 'UPGRADE_REQUIRED' });
      expect(r.json.message).toMatch(/WebSocket/);
      expect(r.json.message).toMatch(/Upgrade/);
    }
    await a.call('logoff', { forceLogoff: true });
  });
});

describe('after= too large for the stream', () => {
  const tooLarge = ['999999999999999', '9999999999999999', '99999999999999999999', '9'.repeat(40)];

  it('is beyond the end of the consumer stream whatever its number of digits', async () => {
    const c = await newConsumer(s.url);
    await c.poll();
    const last = Math.max(...c.seen.map((m) => Number(m.sequenceNumber)));
    for (const after of tooLarge) {
      const r = await refusal(consumerWs(c.sessionId, after));
      expect({ after, status: r.status, code: r.code }).toEqual({ after, status: 400, code: 'INVALID_FIELD' });
      expect(r.message).toContain(`is beyond the end of this stream (its last sequence number is ${last})`);
    }
  });

  it('is beyond the end of the agent stream whatever its number of digits', async () => {
    const a = await newAgent(s.url, 'agent2');
    await a.poll();
    for (const after of tooLarge) {
      const r = await refusal(`/engagement/api/agent/demo/v1/ws?after=${after}`, agentHeaders(a));
      expect({ after, status: r.status, code: r.code }).toEqual({ after, status: 400, code: 'INVALID_FIELD' });
      expect(r.message).toMatch(/is beyond the end of this stream \(its last sequence number is \d+\)/);
    }
    await a.call('logoff', { forceLogoff: true });
  });

  it('reads leading zeros as the number they pad', async () => {
    const c = await newConsumer(s.url);
    const w = openWs(s.url, consumerWs(c.sessionId, '0'.repeat(20)));
    await w.opened;
    w.ws.close();
  });

  it('still refuses what is not decimal digits with the shape it expects', async () => {
    const c = await newConsumer(s.url);
    for (const after of ['-1', '1e3', '0x10', '1.5']) {
      const r = await refusal(consumerWs(c.sessionId, after));
      expect({ after, status: r.status, code: r.code, message: r.message }).toEqual({ after, status: 400, code: 'INVALID_FIELD', message: 'after: expected a sequence number (decimal digits)' });
    }
  });
});

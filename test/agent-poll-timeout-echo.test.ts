// An agent poll answered empty (ChatGetTimeout) echoes its `sequenceNumber` like every other agent
// answer (spec §1.4): the hold running out, the older of two polls on one session, a logoff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newAgent } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 400 });
});
afterAll(async () => s?.stop());

describe('agent ChatGetTimeout echoes sequenceNumber', () => {
  it('echoes it on a poll whose hold ran out, int64 digits exact', async () => {
    const a = await newAgent(s.url, 'agent1');
    const r = await a.call('getMessages', { sequenceNumber: 777 });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ getResponseTypes: [{ ChatGetTimeout: {} }], sequenceNumber: 777, sequenceNumberString: '777' });
    const big = await a.call('getMessages', { sequenceNumber: '9223372036854775807' });
    expect(big.text).toBe('{"getResponseTypes":[{"ChatGetTimeout":{}}],"sequenceNumber":9223372036854775807,"sequenceNumberString":"9223372036854775807"}');
    await a.call('logoff', { forceLogoff: true });
  });

  it('echoes each poll its own number when a second poll ends the first', async () => {
    const a = await newAgent(s.url, 'agent2');
    const older = a.call('getMessages', { sequenceNumber: 778 });
    await new Promise((r) => setTimeout(r, 100));
    const newer = a.call('getMessages', { sequenceNumber: 779 });
    const [o, n] = await Promise.all([older, newer]);
    expect(o.json).toEqual({ getResponseTypes: [{ ChatGetTimeout: {} }], sequenceNumber: 778, sequenceNumberString: '778' });
    expect(n.json).toEqual({ getResponseTypes: [{ ChatGetTimeout: {} }], sequenceNumber: 779, sequenceNumberString: '779' });
    await a.call('logoff', { forceLogoff: true });
  });

  it("echoes it on a parked poll its session's logoff ends", async () => {
    const a = await newAgent(s.url, 'agent1');
    const parked = a.call('getMessages', { sequenceNumber: 780 });
    await new Promise((r) => setTimeout(r, 100));
    expect((await a.call('logoff', { forceLogoff: true })).status).toBe(200);
    expect((await parked).json).toEqual({ getResponseTypes: [{ ChatGetTimeout: {} }], sequenceNumber: 780, sequenceNumberString: '780' });
  });

  it('still answers a poll without a sequenceNumber with the bare ChatGetTimeout', async () => {
    const a = await newAgent(s.url, 'agent3');
    const r = await a.call('getMessages', {});
    expect(r.text).toBe('{"getResponseTypes":[{"ChatGetTimeout":{}}]}');
    await a.call('logoff', { forceLogoff: true });
  });
});

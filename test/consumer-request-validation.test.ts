// Consumer request fields outside what the spec allows are refused with 400 INVALID_FIELD naming the
// field, not accepted and passed on. Found by exploratory testing: `activity` took any mode (NONE,
// AWAY, RESEARCHING — agent states) and sent it to the agent as a ChatActivitySignal; getEngagementQueue
// took customFields of any shape (spec §3.7: a `value` needs a `type` from the documented set).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, type Res } from './helpers/client.ts';
import { accept, inner, isOfferOf, newAgent, ready, typeOf, waitEntry } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 500 });
});
afterAll(async () => s?.stop());

const invalidField = (r: Res, field: string): void => {
  expect(r.status).toBe(400);
  expect(r.json.code).toBe('INVALID_FIELD');
  expect(String(r.json.message).startsWith(`${field}:`)).toBe(true);
};

describe('consumer activity', () => {
  it('takes LISTENING and RESPONDING only; other modes are 400 naming mode and never reach the agent', async () => {
    const a = await newAgent(s.url, 'agent1');
    await ready(a);
    const u = await newConsumer(s.url);
    expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeDefined();
    expect((await accept(a, u.engagementId)).status).toBe(200);
    const activity = (body: unknown) => call(s.url, 'POST', cpath('demo', 'activity'), { body, headers: { SessionId: u.sessionId } });
    for (const mode of ['NONE', 'AWAY', 'RESEARCHING', 'typing', 'listening', 7]) invalidField(await activity({ mode }), 'mode');
    invalidField(await activity({}), 'mode');
    expect((await activity({ mode: 'RESPONDING', sneakPreviewText: 'my order' })).status).toBe(200);
    expect((await activity({ mode: 'LISTENING' })).status).toBe(200);
    const signals = async (): Promise<unknown[]> => {
      await waitEntry(a, (e) => typeOf(e) === 'ChatActivitySignal' && inner(e).mode === 'LISTENING');
      return a.seen.filter((e) => typeOf(e) === 'ChatActivitySignal').map((e) => inner(e).mode);
    };
    expect(await signals()).toEqual(['RESPONDING', 'LISTENING']);
    await u.conclude();
    await a.call('logoff', { forceLogoff: true });
  });
});

describe('getEngagementQueue customFields', () => {
  const queue = (request: unknown) =>
    call(s.url, 'GET', `${cpath('demo', 'getEngagementQueue')}&request=${encodeURIComponent(typeof request === 'string' ? request : JSON.stringify(request))}`);

  it('refuses a value without a documented type, and customFields that are not a list of objects, naming the path', async () => {
    invalidField(await queue({ customFields: [{ name: 'x', type: 'BOGUS', value: '1' }] }), 'customFields[0].type');
    invalidField(await queue({ customFields: [{ name: 'x', value: '1' }] }), 'customFields[0].type');
    invalidField(await queue({ customFields: [{ name: 'a', type: 'STRING', value: 'ok' }, { name: 'x', type: '', value: '1' }] }), 'customFields[1].type');
    invalidField(await queue({ customFields: [{ name: 'x', type: 'integer', value: 1 }] }), 'customFields[0].type');
    invalidField(await queue({ customFields: 'nope' }), 'customFields');
    invalidField(await queue({ customFields: { name: 'x' } }), 'customFields');
    invalidField(await queue({ customFields: ['x'] }), 'customFields[0]');
    invalidField(await queue({ customFields: [{ name: 5 }] }), 'customFields[0].name');
    invalidField(await queue({ customFields: [{ type: 'STRING', value: { nested: true } }] }), 'customFields[0].value');
  });

  it('answers 200 for documented fields, members left out, and no customFields at all', async () => {
    const ok = [
      { interfaceId: 1 },
      { customFields: null },
      { customFields: [] },
      { customFields: [{ name: 'x', type: 'INTEGER', value: '1' }] },
      { customFields: [{ name: 'n', type: 'LONG', value: 9007199254740993 }, { name: 'b', type: 'BOOLEAN', value: true }] },
      { customFields: [{ name: 'when', type: 'DATETIME', value: '2026-01-02T03:04:05Z' }, { name: 'd', type: 'DECIMAL', value: '1.5' }] },
      { customFields: [{ name: 'no value' }, { type: 'DATE' }, { name: 'typed', type: 'ANYTHING' }, { name: 'nulls', type: null, value: null }] },
    ];
    for (const request of ok) expect((await queue(request)).status, JSON.stringify(request)).toBe(200);
    // getQueueStats takes no customFields: left as it was
    const stats = await call(s.url, 'GET', `${cpath('demo', 'getQueueStats')}&request=${encodeURIComponent(JSON.stringify({ customFields: 'nope' }))}`);
    expect(stats.status).toBe(200);
  });
});

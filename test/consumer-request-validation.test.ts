// Consumer request fields outside what the spec allows are refused with 400 INVALID_FIELD naming the
// field, not accepted and passed on. Found by exploratory testing: `activity` took any mode (NONE,
// AWAY, RESEARCHING — agent states) and sent it to the agent as a ChatActivitySignal.
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

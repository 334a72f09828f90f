// A messageId is the id its *sender* chose for one of its own messages (spec §3.4, §7.6): a post
// repeating an id that same sender used before is the retry of an acknowledged message — answered
// 200 again, stored and delivered once — while the same id from another participant of the
// engagement is a different message. Checked over real HTTP, across a restart of the server on
// the same data dir (the ids are recognised from the journal), and for many ids per engagement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, transcript } from './helpers/client.ts';
import { accept, isOfferOf, newAgent, ready, waitEntry, word, type Agent } from './helpers/agent-client.ts';

// RATE_BURST off: one customer posts a long chat at once; every other rule stays on
const configDir = (): string => tenantConfigDir({ 'ids.yaml': [
  'site: ids',
  'credentials: [{ user: ids, password: ids }]',
  'agents: [{ user: iagent, password: ids, name: Ira, accountId: 701 }]',
  'tier1: { rules: { RATE_BURST: { mode: off } } }',
].join('\n') });
const consumer = (base: string): ReturnType<typeof newConsumer> => newConsumer(base, 'ids', undefined, ['ids', 'ids']);

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ configDir: configDir(), longPollMs: 400 });
});
afterAll(async () => s?.stop());

const bodies = async (engagementId: string, server: TestServer = s): Promise<string[]> =>
  ((await transcript(server.url, engagementId)).json.messages as Array<{ body: string }>).map((m) => m.body);

async function agentPost(a: Agent, engagementId: string, body: string, messageId: string): Promise<number> {
  return (await a.call('postMessage', { body, messageId, destinationId: Number(engagementId), destinationType: 'ENGAGEMENT' })).status;
}

describe('messageId retries', () => {
  it('keeps a message whose id another participant of the engagement already used', async () => {
    const u = await consumer(s.url);
    const a = await newAgent(s.url, 'iagent', 'ids', 'ids');
    await ready(a, 1);
    expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeDefined();
    expect((await accept(a, u.engagementId)).status).toBe(200);

    // both sides number their messages from 1, as simple clients do
    expect((await u.post('hello, my order has not arrived', { messageId: '1' })).status).toBe(200);
    expect(await agentPost(a, u.engagementId, 'Sorry to hear that, let me check.', '1')).toBe(200);
    expect((await u.post('thank you for checking on it', { messageId: '2' })).status).toBe(200);
    expect(await agentPost(a, u.engagementId, 'It ships tomorrow morning.', '2')).toBe(200);
    // each side's retry of its own message is still recognised
    expect((await u.post('thank you for checking on it', { messageId: '2' })).status).toBe(200);
    expect(await agentPost(a, u.engagementId, 'It ships tomorrow morning.', '2')).toBe(200);

    expect(await bodies(u.engagementId)).toEqual([
      'hello, my order has not arrived',
      'Sorry to hear that, let me check.',
      'thank you for checking on it',
      'It ships tomorrow morning.',
    ]);
    // the customer is delivered the agent's two messages, once each
    for (let i = 0; i < 4; i++) await u.poll();
    const fromAgent = u.seen.filter((m) => m.messageName === 'RNEngagementMessagePostedMessage').map((m) => m.body);
    expect(fromAgent).toEqual(['Sorry to hear that, let me check.', 'It ships tomorrow morning.']);
  });

  it('recognises a retry of any earlier message of the sender, not only the last ones', async () => {
    const u = await consumer(s.url);
    const N = 300;
    // distinct words per message (Tier-1 masks digits: texts differing only in numbers are near-duplicates)
    const text = (k: number): string => `about ${word(k)} and ${word(k + 1000)} in the long chat`;
    for (let k = 0; k < N; k++) expect((await u.post(text(k), { messageId: `id-${k}` })).status).toBe(200);
    // retries of the first, a middle and the last one, and ids that only look alike
    for (const k of [0, 1, 150, N - 1]) expect((await u.post(text(k), { messageId: `id-${k}` })).status).toBe(200);
    expect((await u.post('a new one with a similar id', { messageId: 'id-0 ' })).status).toBe(200);
    expect((await u.post('and another one', { messageId: 'ID-1' })).status).toBe(200);
    const got = await bodies(u.engagementId);
    expect(got).toHaveLength(N + 2);
    expect(got.slice(-2)).toEqual(['a new one with a similar id', 'and another one']);
  });
});

describe('messageId retries across a restart', () => {
  it('recognises the retry of a message acknowledged before the server restarted', async () => {
    const first = await startTestServer({ configDir: configDir(), longPollMs: 400 });
    const u = await consumer(first.url);
    expect((await u.post('sent before the restart', { messageId: 'before-1' })).status).toBe(200);
    expect((await u.post('also before the restart', { messageId: 'before-2' })).status).toBe(200);
    await first.stop();

    const again = await startTestServer({ longPollMs: 400, dataDir: first.dataDir, configDir: first.configDir });
    try {
      const post = (body: string, messageId: string): Promise<{ status: number }> =>
        call(again.url, 'POST', cpath('ids', 'postMessage'), { body: { body, messageId }, headers: { SessionId: u.sessionId } });
      expect((await post('sent before the restart', 'before-1')).status).toBe(200);
      expect((await post('after the restart', 'after-1')).status).toBe(200);
      expect(await bodies(u.engagementId, again)).toEqual(['sent before the restart', 'also before the restart', 'after the restart']);
    } finally {
      await again.stop();
    }
  });
});

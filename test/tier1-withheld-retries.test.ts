// A client retries a post whose answer it lost, with the same messageId (README, postMessage). When
// Tier-1 withheld that post, the retry must be answered as the post was — not screened again: a
// second notice and a second strike per retry would end the chat on the third try (409) for one
// message. And a post withheld for its pace alone ("wait N seconds and try again") is the other
// way round: sent again after the wait, it is a new attempt, screened afresh, and not "a repeat"
// of a message that was never delivered. Over real HTTP, with the journal across a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, sleep, transcript, type Consumer } from './helpers/client.ts';
import { newAgent, ready, takeOffer } from './helpers/agent-client.ts';

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
const REFILL_MS = 400;
// a small bucket that refills fast, so a test can wait out a RATE_BURST notice; every other rule at its default
const configDir = (): string => tenantConfigDir({ 'wr.yaml': [
  'site: wr',
  'credentials: [{ user: wr, password: wr }]',
  'agents: [{ user: wagent, password: wr, name: Wes, accountId: 711 }]',
  `tier1: { rules: { RATE_BURST: { burst: 2, refillMs: ${REFILL_MS} } } }`,
].join('\n') });
const consumer = (base: string): Promise<Consumer> => newConsumer(base, 'wr', undefined, ['wr', 'wr']);

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ configDir: configDir(), longPollMs: 400, concludeGraceMs: 5_000 });
});
afterAll(async () => s?.stop());

interface Entry { kind: string; body: string; messageId: string | null }
const entries = async (engagementId: string, server: TestServer = s): Promise<{ concluded: boolean; messages: Entry[] }> =>
  (await transcript(server.url, engagementId)).json as { concluded: boolean; messages: Entry[] };

describe('a retry of a post Tier-1 withheld', () => {
  it('is answered 200 again without a second notice or strike, so retries never end the chat', async () => {
    const u = await consumer(s.url);
    for (let i = 0; i < 4; i++) {
      const r = await u.post(CANARY, { messageId: 'blocked-1' });
      expect(r.status).toBe(200);
      expect(r.json.messageId).toBe('blocked-1');
      await sleep(REFILL_MS); // never the pace: each attempt has a token
    }
    // the same id with another text is still that post's retry (as for a stored message: the first wins)
    expect((await u.post('now a perfectly ordinary question', { messageId: 'blocked-1' })).status).toBe(200);
    const t = await entries(u.engagementId);
    expect(t.concluded).toBe(false);
    expect(t.messages.map((m) => m.kind)).toEqual(['notice']);
    // a new id is a new post, screened as ever
    expect((await u.post('now a perfectly ordinary question', { messageId: 'fine-1' })).status).toBe(200);
    expect((await entries(u.engagementId)).messages.map((m) => m.body)).toEqual([expect.stringContaining('not sent'), 'now a perfectly ordinary question']);
    expect((await u.conclude()).status).toBe(200); // out of the tenant's queue: the agent test below is offered its own chat
  });

  it('without a messageId is a new post each time (no id, no retry): the third block terminates', async () => {
    const u = await consumer(s.url);
    expect((await u.post(CANARY)).status).toBe(200);
    await sleep(REFILL_MS);
    expect((await u.post(CANARY)).status).toBe(200);
    await sleep(REFILL_MS);
    const third = await u.post(CANARY);
    expect(third.status).toBe(409);
    expect(third.json.code).toBe('ENGAGEMENT_TERMINATED');
  });

  it("is recognised for an agent's blocked post too", async () => {
    const u = await consumer(s.url);
    const a = await newAgent(s.url, 'wagent', 'wr', 'wr');
    await ready(a, 1);
    await takeOffer(a, u.engagementId);
    for (let i = 0; i < 3; i++) {
      const r = await a.call('postMessage', { body: CANARY, messageId: 'agent-blocked', destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
      expect(r.status).toBe(200);
      await sleep(REFILL_MS);
    }
    expect((await entries(u.engagementId)).messages.map((m) => m.kind)).toEqual(['notice']);
  });

  it('is recognised after the server restarted (the withheld id is journaled, its text is not)', async () => {
    const first = await startTestServer({ configDir: configDir(), longPollMs: 400 });
    const u = await consumer(first.url);
    expect((await u.post(CANARY, { messageId: 'before-restart' })).status).toBe(200);
    await first.stop();
    const again = await startTestServer({ longPollMs: 400, dataDir: first.dataDir, configDir: first.configDir });
    try {
      const post = (body: string, messageId: string): Promise<{ status: number }> =>
        call(again.url, 'POST', cpath('wr', 'postMessage'), { body: { body, messageId }, headers: { SessionId: u.sessionId } });
      for (let i = 0; i < 3; i++) {
        expect((await post(CANARY, 'before-restart')).status).toBe(200);
        await sleep(REFILL_MS);
      }
      const t = await entries(u.engagementId, again);
      expect(t.concluded).toBe(false);
      expect(t.messages.map((m) => m.kind)).toEqual(['notice']);
    } finally {
      await again.stop();
    }
  });
});

describe('a post withheld for its pace (RATE_BURST)', () => {
  it('sent again after the wait, with the same messageId, is delivered — not "already sent"', async () => {
    const u = await consumer(s.url);
    expect((await u.post('first question about my order', { messageId: 'p-1' })).status).toBe(200);
    expect((await u.post('second question about the invoice', { messageId: 'p-2' })).status).toBe(200);
    // the bucket is empty: soft, "wait and try again"
    expect((await u.post('third question about the delivery date', { messageId: 'p-3' })).status).toBe(200);
    let t = await entries(u.engagementId);
    expect(t.messages.map((m) => m.kind)).toEqual(['message', 'message', 'notice']);
    await sleep(REFILL_MS * 2 + 100);
    expect((await u.post('third question about the delivery date', { messageId: 'p-3' })).status).toBe(200);
    t = await entries(u.engagementId);
    expect(t.messages.map((m) => m.body).slice(-1)).toEqual(['third question about the delivery date']);
    expect(t.messages.filter((m) => m.kind === 'notice')).toHaveLength(1);
  });

  it('sent again after the wait without a messageId is delivered too', async () => {
    const u = await consumer(s.url);
    expect((await u.post('one: is the shop open on sunday')).status).toBe(200);
    expect((await u.post('two: do you deliver to the islands')).status).toBe(200);
    expect((await u.post('three: can I pay on delivery please')).status).toBe(200);
    await sleep(REFILL_MS * 2 + 100);
    expect((await u.post('three: can I pay on delivery please')).status).toBe(200);
    const t = await entries(u.engagementId);
    expect(t.messages.map((m) => m.kind)).toEqual(['message', 'message', 'notice', 'message']);
  });

  it('a delivered message sent again is still a repeat (the duplicate rule is unchanged)', async () => {
    const u = await consumer(s.url);
    expect((await u.post('Hello, is anyone there?')).status).toBe(200);
    await sleep(REFILL_MS + 50);
    expect((await u.post('Hello, is anyone there?')).status).toBe(200);
    const t = await entries(u.engagementId);
    expect(t.messages.map((m) => m.kind)).toEqual(['message', 'notice']);
  });
});

describe('a retry once the chat has ended', () => {
  it('of a delivered message is answered 200 (its answer was), a new post 409', async () => {
    const u = await consumer(s.url);
    expect((await u.post('my last words before leaving', { messageId: 'last-1' })).status).toBe(200);
    expect((await u.conclude()).status).toBe(200);
    const retry = await u.post('my last words before leaving', { messageId: 'last-1' });
    expect(retry.status).toBe(200);
    expect(retry.json.messageId).toBe('last-1');
    const fresh = await u.post('and one more thing', { messageId: 'last-2' });
    expect(fresh.status).toBe(409);
    expect(fresh.json.code).toBe('ENGAGEMENT_CONCLUDED');
    expect((await entries(u.engagementId)).messages.map((m) => m.body)).toEqual(['my last words before leaving']);
  });
});

// An agent whose desktop closes never logs off. A session whose agent has made no call for
// PARLEY_AGENT_IDLE_MS — no long poll parked, no WebSocket open — is logged off as by logoff: the
// chats it held go back to the queue (the consumer sees TRANSFERRED_TO_QUEUE) and reach a live
// agent, and its session id answers 403. An agent that keeps polling is never logged off this way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, sleep } from './helpers/client.ts';
import { accept, isOfferOf, newAgent, ready, waitEntry, waitMessage, word } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 2, agentIdleMs: 1500, longPollMs: 500 });
});
afterAll(async () => s?.stop());

const IDLE_AND_SWEEP = 1500 + 750 + 500;

describe('silent agents', () => {
  it('logs off a silent agent: its chat goes back to the queue and to a live agent, its session id answers 403', async () => {
    const gone = await newAgent(s.url, 'agent1');
    await ready(gone, 1);
    const c = await newConsumer(s.url);
    expect(await waitEntry(gone, isOfferOf(c.engagementId))).toBeDefined();
    expect((await accept(gone, c.engagementId)).status).toBe(200);
    // the agent's desktop closes: no more calls
    await sleep(IDLE_AND_SWEEP);
    const left = await waitMessage(c, (m) => m.messageName === 'RNEngagementParticipantLeftMessage');
    expect(left).toMatchObject({ disconnectReason: 'TRANSFERRED_TO_QUEUE' });
    const live = await newAgent(s.url, 'agent2');
    await ready(live, 1);
    expect(await waitEntry(live, isOfferOf(c.engagementId))).toBeDefined();
    const stale = await gone.poll();
    expect(stale.status).toBe(403);
    expect(stale.json.code).toBe('SESSION_UNKNOWN');
    await c.conclude(); // off the queue: the tests below get offers of their own chats only
  });

  it('keeps an agent that keeps polling', async () => {
    const busy = await newAgent(s.url, 'agent3');
    await ready(busy, 1);
    const end = Date.now() + 2 * IDLE_AND_SWEEP;
    while (Date.now() < end) expect((await busy.poll()).status).toBe(200); // each parks ~500 ms
    expect((await busy.call('setActivityStatus', { status: 'AVAILABLE', subTypeId: 0 })).status).toBe(200);
  });

  it('keeps an agent that only posts: its calls on the engagement count as contact, wherever the engagement lives', async () => {
    // a bot that answers from its own event source: no long poll, no socket after the accept
    // the demo tenant has three agents: the earlier tests' sessions step aside (a new logon of an
    // account replaces its old session)
    expect((await (await newAgent(s.url, 'agent3')).call('logoff', {})).status).toBe(200);
    const bot = await newAgent(s.url, 'agent2');
    await ready(bot, 2);
    const chats = [await newConsumer(s.url), await newConsumer(s.url)];
    for (const c of chats) {
      expect(await waitEntry(bot, isOfferOf(c.engagementId))).toBeDefined();
      expect((await accept(bot, c.engagementId)).status).toBe(200);
    }
    const end = Date.now() + 2 * IDLE_AND_SWEEP;
    // the two chats in turn, one post every 500 ms: far under the idle limit, and each chat gets one
    // a second, inside RATE_BURST (agent posts are screened too)
    for (let i = 0; Date.now() < end; i++) {
      const c = chats[i % 2] as (typeof chats)[number];
      const r = await bot.call('postMessage', { body: `still looking into ${word(i)} for you`, destinationId: Number(c.engagementId), destinationType: 'ENGAGEMENT' });
      expect(r.status).toBe(200);
      await sleep(500);
    }
    for (const c of chats) {
      expect((await c.poll()).status).toBe(200);
      expect(c.seen.some((m) => m.messageName === 'RNEngagementParticipantLeftMessage')).toBe(false);
    }
    expect((await bot.poll()).status).toBe(200);
  });
});

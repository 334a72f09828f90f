// A chat concluded and released at the same moment (a bot's concludeChat and releaseChat sent
// together, or the customer ending the chat while the agent releases it) is not handed to the next
// agent: the release reaches the tenant's home shard before the conclusion's `ended` does, so the
// requeued chat waits for its engagement's shard to confirm it open before it is offered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer } from './helpers/client.ts';
import { newAgent, ready, takeOffer, typeOf, engOf, OFFER, type Agent } from './helpers/agent-client.ts';

let s: TestServer;
let a1: Agent;
let a2: Agent;

beforeAll(async () => {
  s = await startTestServer({ shards: 2, longPollMs: 200 });
  a1 = await newAgent(s.url, 'agent1');
  a2 = await newAgent(s.url, 'agent2');
});
afterAll(async () => {
  await a1?.call('logoff', { forceLogoff: true });
  await a2?.call('logoff', { forceLogoff: true });
  await s?.stop();
});

const offers = (a: Agent, engagementId: string, from = 0): number => a.seen.slice(from).filter((e) => typeOf(e) === OFFER && engOf(e) === engagementId).length;

describe('a chat concluded and released at the same moment', () => {
  it('is never offered to the next agent, whoever concluded it', async () => {
    await ready(a1, 1);
    for (let round = 0; round < 8; round++) {
      // a2 is not ready while a1 takes the chat, then waits with a free slot for anything offered
      const u = await newConsumer(s.url);
      await takeOffer(a1, u.engagementId);
      await ready(a2, 1);
      const id = Number(u.engagementId);
      const seen1 = a1.seen.length;
      const [c, r] = await Promise.all([
        round % 2 === 0 ? a1.call('concludeChat', { engagementId: id }) : u.conclude(),
        a1.call('releaseChat', { engagementId: id }),
      ]);
      expect(c.status).toBe(200);
      expect(r.status).toBe(200);
      for (let i = 0; i < 3; i++) await Promise.all([a1.poll(), a2.poll()]);
      // to either agent: a1's slot is free again too
      expect(offers(a2, u.engagementId) + offers(a1, u.engagementId, seen1), `round ${round}: the concluded chat was offered again`).toBe(0);
      await a2.call('requestAssignment', { assignmentRequested: false, idleSessionCount: 0, maxSessionCount: 1 });
    }
  });

});

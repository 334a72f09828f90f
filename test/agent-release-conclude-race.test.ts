// A chat concluded and released at the same moment (a bot's concludeChat and releaseChat sent
// together, or the customer ending the chat while the agent releases it) is not handed to the next
// agent: the release reaches the tenant's home shard before the conclusion's `ended` does, so the
// requeued chat waits for its engagement's shard to confirm it open before it is offered.
import { describe, expect, it } from 'vitest';
import { twoAgents } from './helpers/agent-chat.ts';
import { newConsumer } from './helpers/client.ts';
import { ready, takeOffer, typeOf, engOf, OFFER, type Agent } from './helpers/agent-client.ts';

const t = twoAgents();

const offers = (a: Agent, engagementId: string, from = 0): number => a.seen.slice(from).filter((e) => typeOf(e) === OFFER && engOf(e) === engagementId).length;

describe('a chat concluded and released at the same moment', () => {
  it('is never offered to the next agent, whoever concluded it', async () => {
    await ready(t.a1, 1);
    for (let round = 0; round < 8; round++) {
      // t.a2 is not ready while t.a1 takes the chat, then waits with a free slot for anything offered
      const u = await newConsumer(t.s.url);
      await takeOffer(t.a1, u.engagementId);
      await ready(t.a2, 1);
      const id = Number(u.engagementId);
      const seen1 = t.a1.seen.length;
      const [c, r] = await Promise.all([
        round % 2 === 0 ? t.a1.call('concludeChat', { engagementId: id }) : u.conclude(),
        t.a1.call('releaseChat', { engagementId: id }),
      ]);
      expect(c.status).toBe(200);
      expect(r.status).toBe(200);
      for (let i = 0; i < 3; i++) await Promise.all([t.a1.poll(), t.a2.poll()]);
      // to either agent: a1's slot is free again too
      expect(offers(t.a2, u.engagementId) + offers(t.a1, u.engagementId, seen1), `round ${round}: the concluded chat was offered again`).toBe(0);
      await t.a2.call('requestAssignment', { assignmentRequested: false, idleSessionCount: 0, maxSessionCount: 1 });
    }
  });

});

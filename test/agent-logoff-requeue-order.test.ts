// An agent logging off hands its chats back to the head of the queue (TRANSFERRED_TO_QUEUE). They
// are offered in their customers' order of arrival, oldest first, before anyone who arrived after,
// also to an agent already waiting with a free slot when they come back.
import { describe, expect, it } from 'vitest';
import { twoAgents } from './helpers/agent-chat.ts';
import { newConsumer, type Consumer } from './helpers/client.ts';
import { OFFER, accept, engOf, ready, takeOffer, typeOf } from './helpers/agent-client.ts';

const t = twoAgents();
const N = 5;

describe('chats an agent hands back by logging off', () => {
  it('are offered oldest first, ahead of a customer who came after', async () => {
    const waiting: Consumer[] = [];
    for (let i = 0; i < N; i++) waiting.push(await newConsumer(t.s.url));
    await ready(t.a1, N);
    for (const u of waiting) await takeOffer(t.a1, u.engagementId);
    // a2 waits with one free slot while a1's chats come back
    await ready(t.a2, 1);
    expect((await t.a1.call('logoff', { forceLogoff: false })).status).toBe(200);
    const late = await newConsumer(t.s.url);
    const order: string[] = [];
    for (let k = 0; k <= N; k++) {
      let offered: string | undefined;
      for (let i = 0; i < 10 && offered === undefined; i++) {
        offered = t.a2.seen.filter((e) => typeOf(e) === OFFER).map(engOf).find((id) => !order.includes(id));
        if (offered === undefined) await t.a2.poll();
      }
      if (offered === undefined) break;
      order.push(offered);
      expect((await accept(t.a2, offered)).status).toBe(200);
      await t.a2.call('concludeChat', { engagementId: Number(offered) });
      await t.a2.call('releaseChat', { engagementId: Number(offered) });
    }
    expect(order).toEqual([...waiting.map((u) => u.engagementId), late.engagementId]);
  });
});

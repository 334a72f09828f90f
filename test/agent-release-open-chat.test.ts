// releaseChat before the chat is concluded hands it back to the queue (docs/agent-routing.md): for
// another agent, as a reroute does — not straight back to the agent who let it go — and that
// agent's ChatDisconnectNotification comes before any new offer of it, so a bot reading its inbox
// in order never accepts the chat and then drops it. A lone agent gets it back by asking for work.
import { describe, expect, it } from 'vitest';
import { twoAgents } from './helpers/agent-chat.ts';
import { newConsumer } from './helpers/client.ts';
import { ready, takeOffer, typeOf, engOf, OFFER, waitEntry, isOfferOf, type Agent, type Entry } from './helpers/agent-client.ts';

const t = twoAgents(1);

// the entries that say whether the agent has the chat (its own join's entry may come after `from`)
const about = (a: Agent, engagementId: string, from: number): string[] =>
  a.seen.slice(from).filter((e: Entry) => engOf(e) === engagementId).map(typeOf).filter((t) => t === OFFER || t === 'ChatDisconnectNotification');
const release = async (a: Agent, engagementId: string): Promise<void> => {
  expect((await a.call('releaseChat', { engagementId: Number(engagementId) })).status).toBe(200);
};

describe('an open chat released by its agent', () => {
  it('goes to the next agent at once, not back to the one who released it', async () => {
    const u = await newConsumer(t.s.url);
    await takeOffer(t.a1, u.engagementId);
    await ready(t.a2, 1);
    const from = t.a1.seen.length;
    const t0 = Date.now();
    await release(t.a1, u.engagementId);
    expect(await waitEntry(t.a2, isOfferOf(u.engagementId))).toBeDefined();
    // not after the 2 s wait for a confirmation lost with a shard thread (held-chats.ts requeue)
    expect(Date.now() - t0).toBeLessThan(1500);
    for (let i = 0; i < 2; i++) await t.a1.poll();
    expect(about(t.a1, u.engagementId, from)).toEqual(['ChatDisconnectNotification']);
    await t.a2.call('requestAssignment', { assignmentRequested: false, idleSessionCount: 0, maxSessionCount: 1 });
  });

  it('is not offered back to the agent who released it', async () => {
    const u = await newConsumer(t.s.url);
    await takeOffer(t.a1, u.engagementId);
    const from = t.a1.seen.length;
    await release(t.a1, u.engagementId);
    for (let i = 0; i < 4; i++) await t.a1.poll(); // 4 × 200 ms long polls with a free slot
    expect(about(t.a1, u.engagementId, from)).toEqual(['ChatDisconnectNotification']);
    await ready(t.a2, 1);
    expect(await waitEntry(t.a2, isOfferOf(u.engagementId))).toBeDefined();
    await t.a2.call('requestAssignment', { assignmentRequested: false, idleSessionCount: 0, maxSessionCount: 1 });
  });

  it('comes back to a lone agent that asks for work again, after its disconnect notice', async () => {
    const u = await newConsumer(t.s.url);
    await takeOffer(t.a1, u.engagementId);
    const from = t.a1.seen.length;
    await release(t.a1, u.engagementId);
    for (let i = 0; i < 2; i++) await t.a1.poll();
    expect(about(t.a1, u.engagementId, from)).toEqual(['ChatDisconnectNotification']);
    await ready(t.a1, 1);
    for (let i = 0; i < 8 && !about(t.a1, u.engagementId, from).includes(OFFER); i++) await t.a1.poll();
    expect(about(t.a1, u.engagementId, from)).toEqual(['ChatDisconnectNotification', OFFER]);
  });
});

// An agent that logs off while it holds chats that concluded and await its releaseChat (wrap-up,
// spec §7.8) lets go of them as of its open ones: the tenant's home shard no longer counts them as
// held by anyone. Before, the session's held list was emptied before the session was dropped, so
// those chats stayed in the shard's engagement → holder index, pointing at the ended session, until
// a restart: another agent's ACCEPT of such a chat (or the same agent's, logged on again) answered
// 409 CONFLICT "Another agent already accepted this engagement" instead of what it answers for a
// concluded chat released as usual.
//
// And that answer: an ACCEPT (or DECLINE) of a chat the home shard knows — it ended, or an agent
// was ejected from it — and that is neither waiting nor held is 409 OFFER_UNKNOWN ("no open offer
// of this engagement for this agent", as when the offer made to this agent was withdrawn), not 404
// ENGAGEMENT_ID_UNKNOWN ("no such engagement"): the convention of the other calls on such a chat
// (NOT_PARTICIPANT, ENGAGEMENT_CONCLUDED; agent-calls-on-concluded-chat.test.ts). Before: 404.
import { describe, expect, it } from 'vitest';
import { twoAgents } from './helpers/agent-chat.ts';
import { call, newConsumer, until, type Consumer, type Res } from './helpers/client.ts';
import { accept, decline, newAgent, ready, takeOffer, type Agent } from './helpers/agent-client.ts';

const t = twoAgents();
const code = (r: Res): string => `${r.status} ${String(r.json?.code ?? '')}`;
const availability = (a: Agent, engagementId: string): Promise<Res> =>
  call(t.s.url, 'GET', `/engagement/api/agent/demo/v1/rerouteAvailability?pool=1:1&request=${encodeURIComponent(JSON.stringify({ engagementId: Number(engagementId) }))}`, {
    headers: { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId },
  });

/** A chat `a` accepted and the customer concluded, once the home shard counts it concluded (awaiting its release). */
async function concludedChat(a: Agent): Promise<Consumer> {
  await ready(a, 1);
  const u = await newConsumer(t.s.url);
  await takeOffer(a, u.engagementId);
  expect(code(await u.conclude())).toBe('200 ');
  expect(await until(async () => code(await availability(a, u.engagementId)) === '409 ENGAGEMENT_CONCLUDED', 4000)).toBe(true);
  return u;
}

/** What the other agents' calls on a concluded chat nobody holds answer. */
async function answers(a: Agent, engagementId: string): Promise<string[]> {
  const id = Number(engagementId);
  return [
    code(await accept(a, engagementId)),
    code(await a.call('releaseChat', { engagementId: id })),
    code(await a.call('rerouteEngagement', { engagementId: id })),
    code(await availability(a, engagementId)),
  ];
}

describe('a logoff with concluded chats awaiting their release', () => {
  it('leaves them held by nobody: calls on them answer as for a concluded chat that was released', async () => {
    // the usual way: released after the conclusion
    const released = await concludedChat(t.a1);
    expect(code(await t.a1.call('releaseChat', { engagementId: Number(released.engagementId) }))).toBe('200 ');
    const usual = await answers(t.a2, released.engagementId);
    expect(usual).toEqual(['409 OFFER_UNKNOWN', '409 NOT_PARTICIPANT', '409 NOT_PARTICIPANT', '409 ENGAGEMENT_CONCLUDED']);

    // logged off without releasing it
    const left = await concludedChat(t.a1);
    expect(code(await t.a1.call('logoff', { forceLogoff: true }))).toBe('200 ');
    expect(await answers(t.a2, left.engagementId)).toEqual(usual);
    // the same agent, logged on again (a new session, nothing to take over), is no holder either
    const again = await newAgent(t.s.url, 'agent1');
    expect(code(await accept(again, left.engagementId))).toBe(usual[0]);
    await again.call('logoff', { forceLogoff: true });
  });

  it('an ACCEPT or DECLINE of an open chat whose agent Tier-1 ejected is OFFER_UNKNOWN too; of an id that names nothing, ENGAGEMENT_ID_UNKNOWN', async () => {
    const again = await newAgent(t.s.url, 'agent1');
    await ready(again, 1);
    const u = await newConsumer(t.s.url);
    await takeOffer(again, u.engagementId);
    const id = Number(u.engagementId);
    expect(code(await again.call('postMessage', { body: 'x'.repeat(40_001), destinationId: id, destinationType: 'ENGAGEMENT' }))).toBe('409 ENGAGEMENT_TERMINATED');
    expect(await until(async () => code(await accept(t.a2, u.engagementId)) === '409 OFFER_UNKNOWN', 4000)).toBe(true);
    expect(code(await decline(t.a2, u.engagementId))).toBe('409 OFFER_UNKNOWN');
    expect(code(await accept(t.a2, '999999999'))).toBe('404 ENGAGEMENT_ID_UNKNOWN');
    await again.call('logoff', { forceLogoff: true });
  });
});

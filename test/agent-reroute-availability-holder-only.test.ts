// rerouteAvailability (spec §7.15: the escalation queue's figures for the chat the agent would
// reroute) answers only the agent that holds the open chat. An agent asking about a chat another
// agent holds, one offered to it but not accepted, or one waiting in the queue is answered 409
// NOT_PARTICIPANT, as its rerouteEngagement of that chat is (agent-release-not-held.test.ts) —
// before, 200 with the escalation queue's figures for each of them. A concluded chat stays 409
// ENGAGEMENT_CONCLUDED whoever asks (agent-calls-on-concluded-chat.test.ts).
import { describe, expect, it } from 'vitest';
import { twoAgents } from './helpers/agent-chat.ts';
import { call, newConsumer, type Res } from './helpers/client.ts';
import { isOfferOf, ready, takeOffer, waitEntry, type Agent } from './helpers/agent-client.ts';

const t = twoAgents();
const code = (r: Res): string => `${r.status} ${String(r.json?.code ?? '')}`;
const availability = (a: Agent, engagementId: string): Promise<Res> =>
  call(t.s.url, 'GET', `/engagement/api/agent/demo/v1/rerouteAvailability?pool=1:1&request=${encodeURIComponent(JSON.stringify({ engagementId: Number(engagementId) }))}`, {
    headers: { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId },
  });

describe('rerouteAvailability of a chat the agent does not hold', () => {
  it('answers NOT_PARTICIPANT for a waiting chat, one offered but not accepted, and one another agent holds', async () => {
    const u = await newConsumer(t.s.url);
    // waiting, offered to nobody (no agent asked for chats)
    expect(code(await availability(t.a2, u.engagementId))).toBe('409 NOT_PARTICIPANT');
    // offered to a1, not yet accepted: neither a1 nor a2 holds it
    await ready(t.a1, 1);
    expect(await waitEntry(t.a1, isOfferOf(u.engagementId))).toBeDefined();
    expect(code(await availability(t.a1, u.engagementId))).toBe('409 NOT_PARTICIPANT');
    expect(code(await availability(t.a2, u.engagementId))).toBe('409 NOT_PARTICIPANT');
    // a1 holds it: a1 gets the figures, a2 does not
    await takeOffer(t.a1, u.engagementId);
    const mine = await availability(t.a1, u.engagementId);
    expect(code(mine)).toBe('200 ');
    expect(mine.json).toMatchObject({ engagementIdString: u.engagementId });
    const other = await availability(t.a2, u.engagementId);
    expect(code(other)).toBe('409 NOT_PARTICIPANT');
    expect(other.json.queueIdString).toBeUndefined();
    // concluded: ENGAGEMENT_CONCLUDED for both, as before
    expect(code(await t.a1.call('concludeChat', { engagementId: Number(u.engagementId) }))).toBe('200 ');
    expect(code(await availability(t.a1, u.engagementId))).toBe('409 ENGAGEMENT_CONCLUDED');
    expect(code(await availability(t.a2, u.engagementId))).toBe('409 ENGAGEMENT_CONCLUDED');
    expect(code(await t.a1.call('releaseChat', { engagementId: Number(u.engagementId) }))).toBe('200 ');
  });
});

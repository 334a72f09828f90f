// releaseChat (and rerouteEngagement) on an engagement that exists but that the agent does not hold
// answers 409 NOT_PARTICIPANT, as concludeChat does: an agent Tier-1 ejected, an agent that never
// held the chat, the second of two releases of the same chat (the first freed the slot; the second
// is told it holds nothing, which a client retrying a release can take as done). An engagement id
// that names nothing answers 404 ENGAGEMENT_ID_UNKNOWN.
// rerouteAvailability of the open chat Tier-1 ejected its agent from (neither waiting nor held:
// nobody can reroute it) answers NOT_PARTICIPANT too; before, 404 ENGAGEMENT_ID_UNKNOWN.
import { describe, expect, it } from 'vitest';
import { twoAgents } from './helpers/agent-chat.ts';
import { call, newConsumer, type Res } from './helpers/client.ts';
import { ready, takeOffer, type Agent } from './helpers/agent-client.ts';

const t = twoAgents();
const code = (r: Res): string => `${r.status} ${String(r.json.code ?? '')}`;
const availability = (a: Agent, engagementId: number): Promise<Res> =>
  call(t.s.url, 'GET', `/engagement/api/agent/demo/v1/rerouteAvailability?pool=1:1&request=${encodeURIComponent(JSON.stringify({ engagementId }))}`, {
    headers: { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId },
  });

describe('releasing an engagement the agent does not hold', () => {
  it('answers NOT_PARTICIPANT to an agent Tier-1 ejected and to one that never held it', async () => {
    await ready(t.a1, 1);
    const u = await newConsumer(t.s.url);
    await takeOffer(t.a1, u.engagementId);
    const id = Number(u.engagementId);
    const ejected = await t.a1.call('postMessage', { body: 'x'.repeat(40_001), destinationId: id, destinationType: 'ENGAGEMENT' });
    expect(code(ejected)).toBe('409 ENGAGEMENT_TERMINATED');
    for (const a of [t.a1, t.a2]) {
      expect(code(await a.call('concludeChat', { engagementId: id }))).toBe('409 NOT_PARTICIPANT');
      expect(code(await a.call('releaseChat', { engagementId: id }))).toBe('409 NOT_PARTICIPANT');
      expect(code(await a.call('rerouteEngagement', { engagementId: id }))).toBe('409 NOT_PARTICIPANT');
      expect(code(await availability(a, id))).toBe('409 NOT_PARTICIPANT');
    }
    await u.conclude();
    expect(code(await t.a2.call('releaseChat', { engagementId: id }))).toBe('409 NOT_PARTICIPANT');
  });

  it('answers the second of two releases of one concluded chat NOT_PARTICIPANT, sent together or after', async () => {
    await ready(t.a1, 1);
    const u = await newConsumer(t.s.url);
    await takeOffer(t.a1, u.engagementId);
    const id = Number(u.engagementId);
    expect((await t.a1.call('concludeChat', { engagementId: id })).status).toBe(200);
    const both = await Promise.all([t.a1.call('releaseChat', { engagementId: id }), t.a1.call('releaseChat', { engagementId: id })]);
    expect(both.map(code).sort()).toEqual(['200 ', '409 NOT_PARTICIPANT']);
    expect(code(await t.a1.call('releaseChat', { engagementId: id }))).toBe('409 NOT_PARTICIPANT');
  });

  it('answers ENGAGEMENT_ID_UNKNOWN for an engagement id that names no chat', async () => {
    expect(code(await t.a2.call('releaseChat', { engagementId: 999_999_999 }))).toBe('404 ENGAGEMENT_ID_UNKNOWN');
    expect(code(await t.a2.call('rerouteEngagement', { engagementId: 999_999_999 }))).toBe('404 ENGAGEMENT_ID_UNKNOWN');
    expect(code(await availability(t.a2, 999_999_999))).toBe('404 ENGAGEMENT_ID_UNKNOWN');
  });
});

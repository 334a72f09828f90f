// An agent's calls on a chat that has concluded get a coded 409, not 404 ENGAGEMENT_ID_UNKNOWN ("no
// such engagement"), while the tenant's home shard remembers the end (its delivery marks: 65 s + the
// conclude grace period after it):
// - releaseChat (and rerouteEngagement) of a chat that concluded while it waited, never held —
//   the customer gave up, or the tenant's queue timeout ended it — is 409 NOT_PARTICIPANT, as for
//   any chat the agent does not hold (agent-release-not-held.test.ts). Before: 404, since the home
//   shard forgot a waiting chat at its end.
// - rerouteAvailability of a concluded chat is 409 ENGAGEMENT_CONCLUDED (as rerouteEngagement of
//   one is): before, 404 once it was released or had ended while waiting, and 200 with an
//   escalation queue's figures while it awaited its release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, newConsumer, until, type Consumer, type Res } from './helpers/client.ts';
import { newAgent, ready, takeOffer, waitMessage, type Agent } from './helpers/agent-client.ts';

let s: TestServer;
let waiter: Agent; // never asks for chats: every customer of its tenant waits
let lead: Agent; // of tenant `qt2`, whose queue times out after 1 s
beforeAll(async () => {
  const configDir = tenantConfigDir({
    'qt2.yaml': 'site: qt2\ncredentials: [{ user: qt2, password: qt2 }]\nagents: [{ user: qa, password: qa, accountId: 501 }, { user: qb, password: qb, accountId: 502 }]\nqueueTimeoutSec: 1\n',
  });
  s = await startTestServer({ shards: 2, configDir, longPollMs: 300 });
  waiter = await newAgent(s.url, 'qa', 'qt2', 'qa');
  lead = await newAgent(s.url, 'qb', 'qt2', 'qb');
});
afterAll(async () => {
  await waiter?.call('logoff', { forceLogoff: true });
  await lead?.call('logoff', { forceLogoff: true });
  await s?.stop();
});

const customer = (): Promise<Consumer> => newConsumer(s.url, 'qt2', undefined, ['qt2', 'qt2']);
const code = (r: Res): string => `${r.status} ${String(r.json?.code ?? '')}`;
const availability = (a: Agent, engagementId: string): Promise<Res> =>
  call(s.url, 'GET', `/engagement/api/agent/qt2/v1/rerouteAvailability?pool=1:1&request=${encodeURIComponent(JSON.stringify({ engagementId: Number(engagementId) }))}`, {
    headers: { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId },
  });

/** Whether `ask` answers `want` within a few seconds (the end reaches the home shard one way, a moment after the customer's answer). */
async function answers(ask: () => Promise<Res>, want: string): Promise<string> {
  let last = '';
  await until(async () => (last = code(await ask())) === want, 4000);
  return last;
}

describe('agent calls on a concluded chat', () => {
  it('a chat the customer concluded while it waited: release NOT_PARTICIPANT, availability ENGAGEMENT_CONCLUDED', async () => {
    const u = await customer();
    // waiting, not the asker's: no figures (agent-reroute-availability-holder-only.test.ts)
    expect(code(await availability(waiter, u.engagementId))).toBe('409 NOT_PARTICIPANT');
    expect(code(await u.conclude())).toBe('200 ');
    expect(await answers(() => waiter.call('releaseChat', { engagementId: Number(u.engagementId) }), '409 NOT_PARTICIPANT')).toBe('409 NOT_PARTICIPANT');
    expect(code(await waiter.call('rerouteEngagement', { engagementId: Number(u.engagementId) }))).toBe('409 NOT_PARTICIPANT');
    expect(code(await availability(waiter, u.engagementId))).toBe('409 ENGAGEMENT_CONCLUDED');
  });

  it('a chat the queue timeout ended: the same answers', async () => {
    const u = await customer();
    const end = await waitMessage(u, (m) => m.messageName === 'RNEngagementConcludedMessage', 20);
    expect(end?.reason).toBe('QUEUE_TIMEOUT');
    expect(await answers(() => waiter.call('releaseChat', { engagementId: Number(u.engagementId) }), '409 NOT_PARTICIPANT')).toBe('409 NOT_PARTICIPANT');
    expect(code(await availability(waiter, u.engagementId))).toBe('409 ENGAGEMENT_CONCLUDED');
  });

  it('a held chat that concluded: availability ENGAGEMENT_CONCLUDED before and after its release', async () => {
    await ready(lead, 1);
    const u = await customer();
    await takeOffer(lead, u.engagementId);
    expect(code(await availability(lead, u.engagementId))).toBe('200 ');
    expect(code(await u.conclude())).toBe('200 ');
    expect(await answers(() => availability(lead, u.engagementId), '409 ENGAGEMENT_CONCLUDED')).toBe('409 ENGAGEMENT_CONCLUDED');
    expect(code(await lead.call('releaseChat', { engagementId: Number(u.engagementId) }))).toBe('200 ');
    expect(code(await availability(lead, u.engagementId))).toBe('409 ENGAGEMENT_CONCLUDED');
    expect(code(await availability(lead, '987654321'))).toBe('404 ENGAGEMENT_ID_UNKNOWN');
  });
});

// An RNEngagementConcludedMessage names who ended the chat by `clientId` and `role`, and the role is
// the one that participant was introduced with: the reserved System participant (introduced as
// CONFEREE by its RNEngagementParticipantAddedMessage) ends a Tier-1 or an operator termination as
// CONFEREE — before, the conclusion called it LEAD, a role it never had, which a chat front keying
// its participant list by role took for the agent. The introduction carries `engagementId`
// (+String) as every other message of the stream does (before, it alone had none). The customer's
// own conclusion stays END_USER and an agent's LEAD.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, newConsumer, type Consumer } from './helpers/client.ts';
import { newAgent, ready, takeOffer, waitMessage } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 300 });
});
afterAll(async () => s?.stop());

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
const named = (u: Consumer, name: string): Array<Record<string, unknown>> => u.seen.filter((m) => m.messageName === name);

async function concluded(u: Consumer): Promise<Record<string, unknown>> {
  const m = await waitMessage(u, (x) => x.messageName === 'RNEngagementConcludedMessage');
  if (!m) throw new Error(`no conclusion reached ${u.engagementId}`);
  return m;
}

/** The System participant's introduction and the conclusion: same clientId, same role, both with the engagement id. */
function expectSystemEnding(u: Consumer, end: Record<string, unknown>): void {
  const [intro, ...again] = named(u, 'RNEngagementParticipantAddedMessage');
  expect(again).toEqual([]);
  expect(intro).toMatchObject({ name: 'System', role: 'CONFEREE', engagementIdString: u.engagementId });
  expect(String(intro?.engagementId)).toBe(u.engagementId);
  expect(end).toMatchObject({ reason: 'END_USER_DISCONNECTED', clientIdString: intro?.clientIdString, role: intro?.role, engagementIdString: u.engagementId });
}

describe('the role an RNEngagementConcludedMessage gives', () => {
  it('a Tier-1 termination: the System participant, as it was introduced (CONFEREE)', async () => {
    const u = await newConsumer(s.url);
    for (let i = 0; i < 3; i++) await u.post(`${CANARY} ${i}`);
    expectSystemEnding(u, await concluded(u));
  });

  it('an operator termination: the System participant, as it was introduced (CONFEREE)', async () => {
    const u = await newConsumer(s.url);
    const r = await call(s.url, 'POST', `/admin/v1/engagements/${u.engagementId}/terminate`, { headers: { authorization: 'Bearer test-admin' } });
    expect(r.status).toBe(200);
    expectSystemEnding(u, await concluded(u));
  });

  it('the customer\'s own conclusion: END_USER, its own clientId', async () => {
    const u = await newConsumer(s.url);
    expect((await u.conclude()).status).toBe(200);
    expect(await concluded(u)).toMatchObject({ reason: 'END_USER_CONCLUDED', role: 'END_USER', clientIdString: u.clientId });
  });

  it('an agent\'s concludeChat: LEAD, as the agent joined', async () => {
    const a = await newAgent(s.url, 'agent1');
    await ready(a, 1);
    const u = await newConsumer(s.url);
    await takeOffer(a, u.engagementId);
    expect((await a.call('concludeChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
    const end = await concluded(u);
    const joined = named(u, 'RNEngagementParticipantAddedMessage').find((m) => m.clientIdString === a.clientId);
    expect(joined).toMatchObject({ role: 'LEAD', engagementIdString: u.engagementId });
    expect(end).toMatchObject({ reason: 'AGENT_CONCLUDED', role: 'LEAD', clientIdString: a.clientId });
    await a.call('releaseChat', { engagementId: Number(u.engagementId) });
    await a.call('logoff', { forceLogoff: true });
  });
});

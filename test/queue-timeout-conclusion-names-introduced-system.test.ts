// A queue timeout (tenant queueTimeoutSec) concludes the chat in the name of the reserved System
// participant (RNEngagementConcludedMessage reason QUEUE_TIMEOUT, role CONFEREE), and that
// participant is introduced to the customer first — RNEngagementParticipantAddedMessage, name
// System, role CONFEREE, virtualAgent — as for a Tier-1 or operator termination
// (conclusion-role-of-its-participant.test.ts): every conclusion names a participant the chat front
// was told of. Before, the conclusion named a clientId no message of the chat had introduced. A
// chat in which System already spoke (a Tier-1 block while waiting) is not introduced to it twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { newConsumer, type Consumer } from './helpers/client.ts';
import { waitMessage } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  const configDir = tenantConfigDir({
    'qt.yaml': 'site: qt\ncredentials: [{ user: qt, password: qt }]\nagents: [{ user: qa, password: qa, accountId: 501 }]\nqueueTimeoutSec: 1\n',
  });
  s = await startTestServer({ configDir, longPollMs: 300 });
});
afterAll(async () => s?.stop());

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
const customer = (): Promise<Consumer> => newConsumer(s.url, 'qt', undefined, ['qt', 'qt']);

/** The customer's stream up to its queue-timeout conclusion: System's introductions and the conclusion. */
async function timedOut(u: Consumer): Promise<{ intros: Array<Record<string, unknown>>; end: Record<string, unknown> }> {
  const end = await waitMessage(u, (m) => m.messageName === 'RNEngagementConcludedMessage', 20);
  if (!end) throw new Error(`no conclusion reached ${u.engagementId}`);
  expect(end.reason).toBe('QUEUE_TIMEOUT');
  const intros = u.seen.filter((m) => m.messageName === 'RNEngagementParticipantAddedMessage');
  return { intros, end };
}

function expectNamesIntro(intro: Record<string, unknown> | undefined, end: Record<string, unknown>, u: Consumer): void {
  expect(intro).toMatchObject({ name: 'System', role: 'CONFEREE', virtualAgent: true, engagementIdString: u.engagementId });
  expect(end).toMatchObject({ role: 'CONFEREE', clientIdString: intro?.clientIdString, engagementIdString: u.engagementId });
  expect(Number(intro?.sequenceNumber)).toBeLessThan(Number(end.sequenceNumber));
}

describe('a queue-timeout conclusion', () => {
  it('names the System participant, introduced to the customer before it', async () => {
    const u = await customer();
    const { intros, end } = await timedOut(u);
    expect(intros).toHaveLength(1);
    expectNamesIntro(intros[0], end, u);
  });

  it('introduces System once when it already spoke in the chat (a Tier-1 block while waiting)', async () => {
    const u = await customer();
    expect((await u.post(CANARY)).status).toBe(200);
    const { intros, end } = await timedOut(u);
    expect(intros).toHaveLength(1);
    expectNamesIntro(intros[0], end, u);
  });
});

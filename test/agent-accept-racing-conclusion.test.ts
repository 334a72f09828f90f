// An agent's ACCEPT and the end of the chat at the same moment (the customer concluding, an
// operator terminating): the ACCEPT reaches the tenant's home shard while the conclusion is on its
// way there from the engagement's shard, and the assignment reaches that shard after it concluded.
// Whichever way the race goes, the agent is told: an ACCEPT answered 200 is followed by a
// ChatDisconnectNotification for the chat (which then waits for releaseChat like any concluded
// one); a refused ACCEPT by the revoke of the offer. Its slot never stays taken unannounced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, newConsumer, type Consumer, type Res } from './helpers/client.ts';
import { accept, engOf, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, type Agent, type Entry } from './helpers/agent-client.ts';

let s: TestServer;
let a: Agent;
beforeAll(async () => {
  s = await startTestServer({ shards: 2, longPollMs: 200 });
  a = await newAgent(s.url, 'agent1');
  await ready(a, 1);
});
afterAll(async () => {
  await a?.call('logoff', { forceLogoff: true });
  await s?.stop();
});

const end = (u: Consumer, round: number): Promise<Res> =>
  round % 2 === 0 ? u.conclude() : call(s.url, 'POST', `/admin/v1/engagements/${u.engagementId}/terminate`, { headers: { authorization: 'Bearer test-admin' } });

const about = (id: string, type: string) => (e: Entry): boolean => typeOf(e) === type && engOf(e) === id;

describe('an ACCEPT racing the end of the chat', () => {
  it('leaves the agent told that the chat ended, and its slot free after releaseChat', async () => {
    let raced = 0;
    for (let round = 0; round < 8; round++) {
      // one slot: the offer of this customer also proves the previous round's chat let it go
      const u = await newConsumer(s.url);
      expect(await waitEntry(a, isOfferOf(u.engagementId)), `round ${round}: not offered`).toBeDefined();
      const [acc, ended] = await Promise.all([accept(a, u.engagementId), end(u, round)]);
      expect(ended.status).toBe(200);
      if (acc.status === 200) {
        const told = await waitEntry(a, about(u.engagementId, 'ChatDisconnectNotification'), 6);
        expect(told, `round ${round}: accepted a chat that ended, and was never told`).toBeDefined();
        expect(inner(told ?? {}).reason).toBe(round % 2 === 0 ? 'END_USER_CONCLUDED' : 'END_USER_DISCONNECTED');
        if (!a.seen.some(about(u.engagementId, 'ChatEngagementParticipantAdded'))) raced++;
        expect((await a.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
      } else {
        expect([404, 409]).toContain(acc.status);
        expect(await waitEntry(a, about(u.engagementId, 'ChatEngagementAssignmentRevokedNotification'), 6), `round ${round}: refused, not revoked`).toBeDefined();
      }
    }
    // the race (the assignment reaching the chat after it concluded) happens in most rounds
    expect(raced).toBeGreaterThan(0);
  });
});

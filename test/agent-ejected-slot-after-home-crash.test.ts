// An agent ejected by Tier-1 on the engagement's shard (E) frees its chat slot on the tenant's home
// shard (H) through a one-way `agentLeft`. When H's thread hangs with that event in its port and is
// replaced, the event died with it: the agent's slot stayed taken for good and it got no new chat.
// E now re-sends the agentLeft of its ejected agents when H restarts (idempotent on H).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, newConsumer, until, type Consumer } from './helpers/client.ts';
import { accept, isOfferOf, newAgent, ready, waitEntry } from './helpers/agent-client.ts';
import { homeShardOf, shardOfEngagement } from './helpers/shards.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 2, faultInjection: true, shardHangMs: 1000, longPollMs: 300, offerTimeoutMs: 60_000 });
});
afterAll(async () => s?.stop());

const HOME = homeShardOf('demo', 2);
const shardOf = (c: Consumer): number => shardOfEngagement(c.engagementId, 2);
const admin = { authorization: 'Bearer test-admin' };

describe('an ejected agent across a home-shard thread restart', () => {
  it('gets its slot back: the next chat is offered to it', async () => {
    const agent = await newAgent(s.url, 'agent1');
    await ready(agent, 1);
    let u = await newConsumer(s.url);
    while (shardOf(u) === HOME) {
      await u.conclude();
      u = await newConsumer(s.url);
    }
    expect(await waitEntry(agent, isOfferOf(u.engagementId), 20)).toBeDefined();
    expect((await accept(agent, u.engagementId)).status).toBe(200);

    // H stops reading its port; the agent's extreme post ends its participation on E, whose
    // agentLeft for H waits in that port until the hung thread is replaced (and dies with it)
    expect((await call(s.url, 'POST', `/admin/v1/shards/${HOME}/fault?mode=hang`, { headers: admin })).status).toBe(202);
    const ejected = await agent.call('postMessage', { body: 'x'.repeat(40_001), destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
    expect(ejected.status).toBe(409);
    expect(await until(async () => (await call(s.url, 'GET', '/readyz')).status === 503, 5000)).toBe(true);
    expect(await until(async () => (await call(s.url, 'GET', '/readyz')).status === 200, 20_000)).toBe(true);

    const next = await newConsumer(s.url);
    expect(await waitEntry(agent, isOfferOf(next.engagementId), 20)).toBeDefined();
  }, 60_000);
});

// An agent's releaseChat is decided on the tenant's home shard (H), which tells the engagement's
// shard (E) with a one-way `unassign`. When E's thread hangs with that event in its port and is
// replaced, the event died with it: E recovered with the agent still leading the chat, so the
// customer never saw it handed back and the agent could still post into a chat it had released.
// E now re-announces its held engagements with their agents on recovery, and H unassigns again
// the agents it no longer counts as holders (idempotent on E).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, until } from './helpers/client.ts';
import { accept, isOfferOf, newAgent, ready, waitEntry, waitMessage } from './helpers/agent-client.ts';
import { consumerOffHome, shardOfEngagement } from './helpers/shards.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 2, faultInjection: true, shardHangMs: 1000, longPollMs: 300, offerTimeoutMs: 60_000 });
});
afterAll(async () => s?.stop());

const admin = { authorization: 'Bearer test-admin' };

describe('a released chat across an engagement-shard thread restart', () => {
  it('is handed back on E too: the customer sees it, the agent can no longer post into it', async () => {
    const agent = await newAgent(s.url, 'agent1');
    await ready(agent, 1);
    const u = await consumerOffHome(s.url, 2);
    const E = shardOfEngagement(u.engagementId, 2);
    expect(await waitEntry(agent, isOfferOf(u.engagementId), 20)).toBeDefined();
    expect((await accept(agent, u.engagementId)).status).toBe(200);
    expect(await waitMessage(u, (m) => m.messageName === 'RNEngagementParticipantAddedMessage')).toBeDefined();

    // E stops reading its port; H takes the release and sends the unassign, which waits in E's
    // port until the hung thread is replaced (and dies with it)
    expect((await call(s.url, 'POST', `/admin/v1/shards/${E}/fault?mode=hang`, { headers: admin })).status).toBe(202);
    expect((await agent.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
    expect(await until(async () => (await call(s.url, 'GET', '/readyz')).status === 503, 5000)).toBe(true);
    expect(await until(async () => (await call(s.url, 'GET', '/readyz')).status === 200, 20_000)).toBe(true);

    const left = await waitMessage(u, (m) => m.messageName === 'RNEngagementParticipantLeftMessage', 20);
    expect(left?.disconnectReason).toBe('TRANSFERRED_TO_QUEUE');
    const post = await agent.call('postMessage', { body: 'still here?', destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
    expect(post.status).toBe(409);
    expect(post.json.code).toBe('NOT_PARTICIPANT');
    // handed back, not "lead gone": the customer may keep writing while it waits again
    expect((await u.post('hello again, anyone?')).status).toBe(200);
  }, 60_000);
});

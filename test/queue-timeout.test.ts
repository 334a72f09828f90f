// A tenant's queueTimeoutSec bounds how long a customer waits for an agent: an engagement no agent
// took in time leaves the queue (an open offer of it is revoked) and is concluded QUEUE_TIMEOUT,
// a reason Oracle's chat clients know. One an agent accepted in time is not touched; without the
// setting engagements wait without limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { resolveTenant } from '../src/config/tenants.ts';
import { metric, newConsumer, until, type Consumer } from './helpers/client.ts';
import { accept, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, waitMessage, type Agent } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  const configDir = tenantConfigDir({
    'qt.yaml': 'site: qt\ncredentials: [{ user: qt, password: qt }]\nagents: [{ user: qa, password: qa, accountId: 501 }, { user: qb, password: qb, accountId: 502 }]\nqueueTimeoutSec: 2\n',
  });
  s = await startTestServer({ shards: 2, configDir, longPollMs: 500 });
});
afterAll(async () => s?.stop());

const customer = (): Promise<Consumer> => newConsumer(s.url, 'qt', undefined, ['qt', 'qt']);
const ended = (m: Record<string, unknown>): boolean => m.messageName === 'RNEngagementConcludedMessage';

/** A customer whose chat the agent `user` (password = user) was offered and accepted at once. */
async function acceptedChat(user: string): Promise<{ agent: Agent; c: Consumer }> {
  const agent = await newAgent(s.url, user, 'qt', user);
  await ready(agent, 1);
  const c = await customer();
  expect(await waitEntry(agent, isOfferOf(c.engagementId))).toBeDefined();
  expect((await accept(agent, c.engagementId)).status).toBe(200);
  return { agent, c };
}

describe('queue timeout', () => {
  it('concludes an engagement no agent took in time with QUEUE_TIMEOUT and revokes its open offer', async () => {
    const hesitant = await newAgent(s.url, 'qa', 'qt', 'qa');
    await ready(hesitant, 1);
    const c = await customer();
    // offered, never answered (the offer timeout is 30 s)
    expect(await waitEntry(hesitant, isOfferOf(c.engagementId))).toBeDefined();
    const end = await waitMessage(c, ended, 12); // ~500 ms long polls: the customer stays connected
    expect(end).toMatchObject({ reason: 'QUEUE_TIMEOUT' });
    const revoked = await waitEntry(hesitant, (e) => typeOf(e) === 'ChatEngagementAssignmentRevokedNotification' && String(inner(e).engagementIdString) === c.engagementId, 4);
    expect(revoked && inner(revoked)).toMatchObject({ reason: 'QUEUE_TIMEOUT' });
    const post = await c.post('hello?');
    expect(post.status).toBe(409);
    expect(post.json.code).toBe('ENGAGEMENT_CONCLUDED');
    // an agent arriving later is not offered it
    const later = await newAgent(s.url, 'qb', 'qt', 'qb');
    await ready(later, 1);
    expect(await waitEntry(later, isOfferOf(c.engagementId), 2)).toBeUndefined();
    expect(await until(async () => (await metric(s.url, 'parley_engagements_ended_total{cause="queue_timeout"}')) === 1, 3000)).toBe(true);
  });

  it('leaves an engagement an agent accepted in time alone', async () => {
    const { c } = await acceptedChat('qb');
    expect(await waitMessage(c, ended, 8)).toBeUndefined(); // ~4 s of polling, past the 2 s limit
    expect((await c.post('thanks for taking my chat')).status).toBe(200);
  });

  it('counts a new wait when an agent hands the chat back, however long the conversation was', async () => {
    const { agent, c } = await acceptedChat('qa');
    expect(await waitMessage(c, ended, 7)).toBeUndefined(); // ~3.5 s with the agent, past the 2 s limit
    const unavailable = await agent.call('setActivityStatus', { status: 'UNAVAILABLE', subTypeId: 0 });
    expect(unavailable.status).toBe(200);
    expect((await agent.call('releaseChat', { engagementId: Number(c.engagementId) })).status).toBe(200);
    // back in the queue with a fresh wait: not timed out at the next sweep …
    expect(await waitMessage(c, ended, 2)).toBeUndefined();
    expect((await c.post('still here after the transfer')).status).toBe(200);
    // … but after the limit with no agent
    expect(await waitMessage(c, ended, 8)).toMatchObject({ reason: 'QUEUE_TIMEOUT' });
  });

  it('validates the setting, naming its path', () => {
    const resolve = (queueTimeoutSec: unknown) => resolveTenant({ site: 'x', queueTimeoutSec }, 'x.yaml', (v) => ({ ok: true, value: v }));
    const bad = resolve(-5);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]?.path).toBe('queueTimeoutSec');
    expect(resolve('ten').ok).toBe(false);
    const good = resolve(600);
    expect(good.ok && good.tenant.queueTimeoutSec).toBe(600);
    const absent = resolve(undefined);
    expect(absent.ok && absent.tenant.queueTimeoutSec).toBe(0);
  });

  it('does not time out waits on a tenant without the setting', async () => {
    const c = await newConsumer(s.url); // the built-in demo tenant
    expect(await waitMessage(c, ended, 8)).toBeUndefined();
    expect((await c.post('still waiting, still here')).status).toBe(200);
  });
});

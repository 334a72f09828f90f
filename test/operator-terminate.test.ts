// A human moderator or a Tier-2 system that finds a conversation abusive after the fact ends it
// through the admin API, exactly as a Tier-1 termination does: notice → end user left → concluded
// (END_USER_DISCONNECTED), the consumer's next post answered 409 ENGAGEMENT_TERMINATED, agents told,
// a strike for the sender; journaled; idempotent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, metric, newConsumer, openWs, transcript, until } from './helpers/client.ts';
import { accept, isOfferOf, newAgent, ready, waitEntry } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 500 });
});
afterAll(async () => s?.stop());

const admin = { authorization: 'Bearer test-admin' };
const SENDER = { firstName: 'Mo', lastName: 'Derated', emailAddress: 'moderated.sender@example.com' };
const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
const terminate = (id: string, headers: Record<string, string> = admin) => call(s.url, 'POST', `/admin/v1/engagements/${id}/terminate`, { headers });

describe('operator termination', () => {
  it('ends the conversation with the Tier-1 termination sequence, for the consumer, its socket and the agent', async () => {
    const c = await newConsumer(s.url, 'demo', SENDER);
    const agent = await newAgent(s.url, 'agent1');
    await ready(agent, 1);
    expect(await waitEntry(agent, isOfferOf(c.engagementId))).toBeDefined();
    expect((await accept(agent, c.engagementId)).status).toBe(200);
    const w = openWs(s.url, `/engagement/api/consumer/demo/v1/ws?pool=1:1&sessionId=${encodeURIComponent(c.sessionId)}`);
    await w.opened;

    const r = await terminate(c.engagementId);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ engagementIdString: c.engagementId, site: 'demo', terminated: true });

    await c.poll();
    const names = c.seen.map((m) => m.messageName);
    const notice = names.lastIndexOf('RNEngagementMessagePostedMessage');
    const left = names.indexOf('RNEngagementParticipantLeftMessage');
    const concluded = names.indexOf('RNEngagementConcludedMessage');
    expect(notice).toBeGreaterThanOrEqual(0);
    expect(left).toBeGreaterThan(notice);
    expect(concluded).toBeGreaterThan(left);
    expect(c.seen[concluded]).toMatchObject({ reason: 'END_USER_DISCONNECTED' });
    expect(String(c.seen[notice]?.body)).toBe('This conversation has been ended.');
    const post = await c.post('let me back in');
    expect(post.status).toBe(409);
    expect(post.json.code).toBe('ENGAGEMENT_TERMINATED');
    expect((await w.closed).code).toBe(1000);
    expect(await until(async () => {
      await agent.poll();
      return agent.seen.some((e) => Object.keys(e)[0] === 'ChatDisconnectNotification');
    })).toBe(true);
    // journaled
    const t = await transcript(s.url, c.engagementId);
    expect(JSON.stringify(t.json)).toContain('This conversation has been ended.');
    // and a strike for the sender: with it, the 2nd blocked message of a new engagement is its 3rd
    // strike in 10 minutes, which terminates (without it, that message would only be blocked)
    const next = await newConsumer(s.url, 'demo', SENDER);
    expect((await next.post(CANARY)).status).toBe(200);
    const third = await next.post(`${CANARY} again`);
    expect(third.status).toBe(409);
    expect(third.json.code).toBe('ENGAGEMENT_TERMINATED');

    // counted for operators (shards report once a second)
    expect(await until(async () => (await metric(s.url, 'parley_engagements_ended_total{cause="operator"}')) === 1, 3000)).toBe(true);

    // again: nothing more happens
    const again = await terminate(c.engagementId);
    expect(again.status).toBe(200);
    expect(again.json.terminated).toBe(false);
  });

  it('is for operators only, and names unknown engagements', async () => {
    const c = await newConsumer(s.url);
    expect((await terminate(c.engagementId, {})).status).toBe(401);
    expect((await terminate(c.engagementId, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await c.post('still open')).status).toBe(200);
    const unknown = await terminate('999999999');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('ENGAGEMENT_ID_UNKNOWN');
    expect((await terminate('12ab')).status).toBe(404);
  });
});

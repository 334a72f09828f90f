// A consumer who closes the page never concludes. An open engagement whose consumer has made no
// call for PARLEY_CONSUMER_IDLE_MS — no long poll parked, no WebSocket open — is concluded as the
// end user's disconnection (END_USER_DISCONNECTED), journaled like any conclusion, taken out of the
// agent queue, and freed after the grace period. A consumer that keeps polling or keeps a socket
// open is never concluded this way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, metric, newConsumer, openWs, sleep, until } from './helpers/client.ts';
import { isOfferOf, newAgent, ready, waitEntry } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 2, consumerIdleMs: 1500, longPollMs: 500, concludeGraceMs: 10_000 });
});
afterAll(async () => s?.stop());

const IDLE_AND_SWEEP = 1500 + 750 + 500;

describe('abandoned engagements', () => {
  it('concludes an engagement whose consumer went silent, with END_USER_DISCONNECTED, and takes it out of the queue', async () => {
    const gone = await newConsumer(s.url);
    await sleep(IDLE_AND_SWEEP);
    // an agent who becomes available afterwards is not offered the ghost
    const agent = await newAgent(s.url, 'agent2');
    await ready(agent, 5);
    expect(await waitEntry(agent, isOfferOf(gone.engagementId), 3)).toBeUndefined();
    // the consumer coming back within the grace period learns why, and cannot post
    const poll = await gone.poll();
    expect(poll.status).toBe(200);
    const end = gone.seen.find((m) => m.messageName === 'RNEngagementConcludedMessage');
    expect(end).toMatchObject({ reason: 'END_USER_DISCONNECTED', role: 'END_USER' });
    const post = await gone.post('hello?');
    expect(post.status).toBe(409);
    expect(post.json.code).toBe('ENGAGEMENT_CONCLUDED');
    // journaled like any conclusion
    const t = await call(s.url, 'GET', `/admin/v1/engagements/${gone.engagementId}/transcript`, { headers: { authorization: 'Bearer test-admin' } });
    expect(t.status).toBe(200);
    expect(JSON.stringify(t.json)).toContain('END_USER_DISCONNECTED');
    expect(await until(async () => (await metric(s.url, 'parley_engagements_ended_total{cause="abandoned"}')) >= 1, 3000)).toBe(true);
  });

  it('keeps an engagement whose consumer keeps long polling, or keeps a WebSocket open', async () => {
    const poller = await newConsumer(s.url);
    const streamer = await newConsumer(s.url);
    const w = openWs(s.url, `/engagement/api/consumer/demo/v1/ws?pool=1:1&sessionId=${encodeURIComponent(streamer.sessionId)}`);
    await w.opened;
    const until3 = Date.now() + 2 * IDLE_AND_SWEEP;
    while (Date.now() < until3) expect((await poller.poll()).status).toBe(200); // each parks ~500 ms
    expect((await poller.post('still here')).status).toBe(200);
    expect((await streamer.post('still here too')).status).toBe(200);
    expect(w.frames.some((f) => f.messageName === 'RNEngagementConcludedMessage')).toBe(false);
    w.ws.close();
  });

  it('counts from when a socket-only reader goes away: a quick reconnect keeps the engagement, a lasting one ends it', async () => {
    const c = await newConsumer(s.url);
    const path = `/engagement/api/consumer/demo/v1/ws?pool=1:1&sessionId=${encodeURIComponent(c.sessionId)}`;
    const w = openWs(s.url, path);
    await w.opened;
    await sleep(IDLE_AND_SWEEP); // listening only: no call since the engagement was created
    w.ws.close();
    await w.closed;
    await sleep(300); // a network blip
    const again = openWs(s.url, path);
    await again.opened;
    await sleep(IDLE_AND_SWEEP);
    expect(again.frames.some((f) => f.messageName === 'RNEngagementConcludedMessage')).toBe(false);
    again.ws.close();
    await again.closed;
    await sleep(IDLE_AND_SWEEP + 500); // gone for good (a call now would count as contact)
    const post = await c.post('back after a long while');
    expect(post.status).toBe(409);
    expect(post.json.code).toBe('ENGAGEMENT_CONCLUDED');
  });
});

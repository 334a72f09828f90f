// Routing over real HTTP: engagements wait in their queue and are offered to available agents with
// free capacity, in arrival order; declined or unanswered offers go to the next agent; exactly one
// of two racing ACCEPTs wins; release, reroute and logoff hand engagements back; and 50 concurrent
// engagements served by 3 agents deliver every message once, in order, on both sides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, newConsumer, transcript, type Consumer, type Res } from './helpers/client.ts';
import { OFFER, accept, decline, engOf, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, waitMessage, word, type Agent, type Entry } from './helpers/agent-client.ts';

const OFFER_TIMEOUT_MS = 700;
let s: TestServer;
beforeAll(async () => {
  const configDir = tenantConfigDir({ 'routes.yaml': [
    'site: routes',
    'credentials: [{ user: routes, password: routes }]',
    'agents:',
    '  - { user: r1, password: routes, name: Rae, accountId: 601 }',
    '  - { user: r2, password: routes, name: Rio, accountId: 602 }',
    '  - { user: r3, password: routes, name: Ren, accountId: 603 }',
    'queues: [{ id: 1, name: First line }, { id: 2, name: Escalations }]',
  ].join('\n') });
  s = await startTestServer({ configDir, longPollMs: 500, concludeGraceMs: 2000, offerTimeoutMs: OFFER_TIMEOUT_MS });
});
afterAll(async () => s?.stop());

let serial = 0;
const customer = (site = 'routes'): Promise<Consumer> => {
  const n = ++serial;
  return newConsumer(s.url, site, { firstName: 'Cu', lastName: word(n), emailAddress: `c${n}.${word(n)}@example.com` }, site === 'routes' ? ['routes', 'routes'] : ['demo', 'demo']);
};
const agent = (user: string): Promise<Agent> => newAgent(s.url, user, 'routes', 'routes');
const offersOf = (a: Agent): string[] => a.seen.filter((e) => typeOf(e) === OFFER).map(engOf);

async function logoffAll(...as: Agent[]): Promise<void> {
  for (const a of as) await a.call('logoff', { forceLogoff: true });
}

describe('offers', () => {
  it('offers waiting engagements in arrival order and respects capacity until a slot is released', async () => {
    const u1 = await customer();
    const u2 = await customer();
    const u3 = await customer();
    const a = await agent('r1');
    await ready(a, 2);
    await waitEntry(a, isOfferOf(u2.engagementId));
    await a.poll();
    expect(offersOf(a)).toEqual([u1.engagementId, u2.engagementId]);
    expect((await accept(a, u1.engagementId)).status).toBe(200);
    expect((await accept(a, u2.engagementId)).status).toBe(200);
    // full: the third waits, and concluding alone does not free the slot (wrap-up until releaseChat)
    await a.call('concludeChat', { engagementId: Number(u1.engagementId) });
    await a.poll();
    expect(offersOf(a)).not.toContain(u3.engagementId);
    expect((await accept(a, u3.engagementId)).json.code).toBe('OFFER_UNKNOWN');
    expect((await a.call('releaseChat', { engagementId: Number(u1.engagementId) })).status).toBe(200);
    expect(await waitEntry(a, isOfferOf(u3.engagementId))).toBeDefined();
    // the waiting customer was told its position while queued
    await u3.poll();
    const waits = u3.seen.filter((m) => m.messageName === 'RNEngagementWaitInformationChangedMessage');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toMatchObject({ position: 3, positionString: '3' });
    await Promise.all([u1, u2, u3].map((u) => u.conclude()));
    await logoffAll(a);
  });

  it('gives a declined offer to the next agent, and an unanswered one after the offer timeout', async () => {
    const a = await agent('r1');
    const b = await agent('r2');
    await ready(a, 1);
    const u = await customer();
    expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeDefined();
    await ready(b, 1);
    const d = await decline(a, u.engagementId);
    expect(d.status).toBe(200);
    expect(d.json.chatAssignmentAcknowledgementResult.clientList).toEqual([]);
    expect(await waitEntry(b, isOfferOf(u.engagementId))).toBeDefined();
    // b never answers: after the timeout the offer is revoked from b, and a (which declined) is not asked again
    const revoked = await waitEntry(b, (e) => typeOf(e) === 'ChatEngagementAssignmentRevokedNotification' && engOf(e) === u.engagementId);
    expect(inner(revoked!).reason).toBe('OFFER_TIMEOUT');
    expect((await accept(b, u.engagementId)).json.code).toBe('OFFER_UNKNOWN');
    const c = await agent('r3');
    await ready(c, 1);
    expect(await waitEntry(c, isOfferOf(u.engagementId))).toBeDefined();
    expect((await accept(c, u.engagementId)).status).toBe(200);
    await a.poll();
    expect(offersOf(a).filter((id) => id === u.engagementId)).toHaveLength(1);
    await u.conclude();
    await logoffAll(a, b, c);
  });

  it('lets exactly one of two racing ACCEPTs win', async () => {
    const a = await agent('r1');
    const b = await agent('r2');
    await ready(a, 5);
    await ready(b, 5);
    const u = await customer();
    await Promise.all([a.poll(), b.poll()]);
    const [ra, rb] = await Promise.all([accept(a, u.engagementId), accept(b, u.engagementId)]);
    expect([ra.status, rb.status].filter((x) => x === 200)).toHaveLength(1);
    expect([ra.status, rb.status].filter((x) => x === 409)).toHaveLength(1);
    await waitMessage(u, (m) => m.messageName === 'RNEngagementParticipantAddedMessage' && m.role === 'LEAD');
    expect(u.seen.filter((m) => m.messageName === 'RNEngagementParticipantAddedMessage' && m.role === 'LEAD')).toHaveLength(1);
    await u.conclude();
    await logoffAll(a, b);
  });
});

describe('handing engagements back', () => {
  it('requeues on release before conclusion; the next agent gets the conversation so far, once', async () => {
    const a = await agent('r1');
    await ready(a, 1);
    const u = await customer();
    expect((await u.post('first question before anyone joined')).status).toBe(200);
    await waitEntry(a, isOfferOf(u.engagementId));
    expect((await accept(a, u.engagementId)).status).toBe(200);
    expect((await u.post('second question after the join')).status).toBe(200);
    expect(await waitEntry(a, (e) => inner(e).body === 'second question after the join')).toBeDefined();
    expect((await a.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
    const left = await waitMessage(u, (m) => m.messageName === 'RNEngagementParticipantLeftMessage');
    expect(left?.disconnectReason).toBe('TRANSFERRED_TO_QUEUE');
    // requeued, not "lead gone": the customer may keep writing while it waits
    expect((await u.post('third, while waiting again')).status).toBe(200);
    await a.call('setActivityStatus', { status: 'UNAVAILABLE', subTypeId: 0 });
    const b = await agent('r2');
    await ready(b, 1);
    expect(await waitEntry(b, isOfferOf(u.engagementId))).toBeDefined();
    expect((await accept(b, u.engagementId)).status).toBe(200);
    await waitEntry(b, (e) => inner(e).body === 'third, while waiting again');
    const bodies = b.seen.filter((e) => typeOf(e) === 'ChatPostMessage').map((e) => inner(e).body);
    expect(bodies).toEqual(['first question before anyone joined', 'second question after the join', 'third, while waiting again']);
    await u.conclude();
    await logoffAll(a, b);
  });

  it('reroutes to the escalation queue and not back to the agent who rerouted', async () => {
    const a = await agent('r1');
    const b = await agent('r2');
    await ready(a, 2);
    const u = await customer();
    await waitEntry(a, isOfferOf(u.engagementId));
    const avail = await a.call('rerouteAvailability', {});
    expect(avail.status).toBe(405);
    expect((await accept(a, u.engagementId)).status).toBe(200);
    const getAvail = (id: number): Promise<Res> =>
      call(s.url, 'GET', `/engagement/api/agent/routes/v1/rerouteAvailability?pool=1:1&request=${encodeURIComponent(JSON.stringify({ engagementId: id }))}`, { headers: { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId } });
    const av = await getAvail(Number(u.engagementId));
    expect(av.status).toBe(200);
    expect(av.json).toMatchObject({ engagementIdString: u.engagementId, queueIdString: '2' });
    expect((await getAvail(987654321)).json.code).toBe('ENGAGEMENT_ID_UNKNOWN');
    const r = await a.call('rerouteEngagement', { engagementId: Number(u.engagementId), sequenceNumber: 12 });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ clientIdString: a.clientId, sequenceNumberString: '12' });
    expect((await a.call('rerouteEngagement', { engagementId: Number(u.engagementId) })).json.code).toBe('NOT_PARTICIPANT');
    expect((await a.call('rerouteEngagement', { engagementId: 987654321 })).json.code).toBe('ENGAGEMENT_ID_UNKNOWN');
    await ready(b, 1);
    const offer = await waitEntry(b, isOfferOf(u.engagementId));
    expect(inner(offer!).queueIdString).toBe('2');
    await a.poll();
    expect(offersOf(a).filter((id) => id === u.engagementId)).toHaveLength(1);
    await u.conclude();
    await logoffAll(a, b);
  });

  it('requeues engagements still open when their agent logs off', async () => {
    const a = await agent('r1');
    await ready(a, 1);
    const u = await customer();
    await waitEntry(a, isOfferOf(u.engagementId));
    await accept(a, u.engagementId);
    expect((await a.call('logoff', { forceLogoff: false })).status).toBe(200);
    const b = await agent('r3');
    await ready(b, 1);
    expect(await waitEntry(b, isOfferOf(u.engagementId))).toBeDefined();
    await u.conclude();
    await logoffAll(b);
  });
});

describe('load', () => {
  it('serves 50 concurrent engagements with 3 agents: every message delivered once, in order, on both sides', async () => {
    const agents = await Promise.all(['r1', 'r2', 'r3'].map(agent));
    for (const a of agents) await ready(a, 17);
    const us = await Promise.all(Array.from({ length: 50 }, () => customer()));
    const owner = new Map<string, Agent>();
    for (let round = 0; round < 20 && owner.size < us.length; round++) {
      await Promise.all(agents.map((a) => a.poll()));
      await Promise.all(agents.map(async (a) => {
        for (const e of a.seen) {
          const id = engOf(e);
          if (typeOf(e) !== OFFER || owner.has(id)) continue;
          const r = await accept(a, id);
          if (r.status === 200) owner.set(id, a);
        }
      }));
    }
    expect(owner.size).toBe(50);
    for (const a of agents) expect([...owner.values()].filter((x) => x === a).length).toBeGreaterThan(10);

    const said = (i: number, k: number): string => `customer ${word(i)} says ${word(k + 40)} about the parcel`;
    const replied = (i: number, k: number): string => `agent answers ${word(i)} with ${word(k + 70)} details`;
    await Promise.all(us.map(async (u, i) => {
      for (let k = 0; k < 3; k++) expect((await u.post(said(i, k))).status).toBe(200);
    }));
    const fromCustomers = (a: Agent, id: string): unknown[] => a.seen.filter((e) => typeOf(e) === 'ChatPostMessage' && engOf(e) === id && inner(e).senderType === 'END_USER').map((e) => inner(e).body);
    for (let round = 0; round < 30; round++) {
      if (us.every((u) => fromCustomers(owner.get(u.engagementId)!, u.engagementId).length >= 3)) break;
      await Promise.all(agents.map((a) => a.poll()));
    }
    us.forEach((u, i) => expect(fromCustomers(owner.get(u.engagementId)!, u.engagementId)).toEqual([0, 1, 2].map((k) => said(i, k))));

    await Promise.all(us.map(async (u, i) => {
      const a = owner.get(u.engagementId)!;
      for (let k = 0; k < 2; k++) {
        const r = await a.call('postMessage', { body: replied(i, k), destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
        expect(r.status).toBe(200);
      }
    }));
    await Promise.all(us.map(async (u) => {
      for (let t = 0; t < 10 && u.seen.filter((m) => m.messageName === 'RNEngagementMessagePostedMessage').length < 2; t++) await u.poll();
    }));
    us.forEach((u, i) => {
      const got = u.seen.filter((m) => m.messageName === 'RNEngagementMessagePostedMessage').map((m) => m.body);
      expect(got).toEqual([replied(i, 0), replied(i, 1)]);
      const seqs = u.seen.map((m) => Number(m.sequenceNumber));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
    });

    await Promise.all(us.map(async (u) => {
      const a = owner.get(u.engagementId)!;
      expect((await a.call('concludeChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
      expect((await a.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
    }));
    const t = await transcript(s.url, us[7]!.engagementId);
    expect(t.json.messages.map((m: { body: string }) => m.body)).toEqual([said(7, 0), said(7, 1), said(7, 2), replied(7, 0), replied(7, 1)]);
    // no entry reached two agents, and each agent's inbox is dense and ordered
    for (const a of agents) {
      const seqs = a.seen.filter((e) => typeOf(e) !== 'ChatGetTimeout').map((e: Entry) => Number(inner(e).sequenceNumber));
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
    await logoffAll(...agents);
  });
});

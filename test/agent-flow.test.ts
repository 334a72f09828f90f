// The agent API end to end over real HTTP with real consumer and agent clients (spec §2.2, §4, §7,
// §9): log on, offer, accept, chat both ways, typing, properties, conclusion from either side,
// release, logoff; bad input answers a coded 4xx and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, transcript } from './helpers/client.ts';
import { OFFER, accept, apath, engOf, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, waitMessage, type Agent } from './helpers/agent-client.ts';

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';

let s: TestServer;
beforeAll(async () => {
  // a tenant whose agents skip Tier-1, with two queues
  const configDir = tenantConfigDir({ 'quiet.yaml': [
    'site: quiet',
    'credentials: [{ user: quiet, password: quiet }]',
    'agents: [{ user: qagent, password: quiet, name: Quinn, accountId: 501 }]',
    'queues: [{ id: 7, name: Sales }, { id: 8, name: Escalations }]',
    'tier1: { screenAgents: false }',
  ].join('\n') });
  s = await startTestServer({ configDir, longPollMs: 600, concludeGraceMs: 1500 });
});
afterAll(async () => s?.stop());

/** A consumer whose engagement the given agent has accepted. */
async function chat(a: Agent, info?: Record<string, unknown>, site = 'demo', cred: [string, string] = ['demo', 'demo']): Promise<Awaited<ReturnType<typeof newConsumer>>> {
  const u = await newConsumer(s.url, site, info, cred);
  expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeDefined();
  const r = await accept(a, u.engagementId);
  expect(r.status).toBe(200);
  return u;
}

describe('agent happy path (spec §9)', () => {
  it('logs on, is offered the waiting engagement, chats both ways, concludes, releases and logs off', async () => {
    const u = await newConsumer(s.url, 'demo', { firstName: 'Ada', lastName: 'Flow', emailAddress: 'ada.flow@example.com', question: 'Where is my refund?' });
    await u.poll();
    expect(u.seen.some((m) => m.messageName === 'RNEngagementWaitInformationChangedMessage' && m.positionString !== undefined)).toBe(true);

    const a = await newAgent(s.url, 'agent1');
    expect(a.sessionId).toMatch(/^node0/);
    const st = await a.call('setActivityStatus', { status: 'AVAILABLE', subTypeId: 0, sequenceNumber: 1 });
    expect(st.status).toBe(200);
    expect(st.json).toMatchObject({ sequenceNumber: 1, sequenceNumberString: '1' });
    const ra = await a.call('requestAssignment', { assignmentRequested: true, idleSessionCount: 1, maxSessionCount: 1, sequenceNumber: 2 });
    expect(ra.status).toBe(200);
    expect(ra.json.sequenceNumberString).toBe('2');

    const offer = await waitEntry(a, isOfferOf(u.engagementId));
    expect(offer).toBeDefined();
    expect(inner(offer!)).toMatchObject({ engagementIdString: u.engagementId, name: 'Ada Flow', question: 'Where is my refund?', chatMessageType: OFFER });
    expect(inner(offer!).engagementId).toBe(Number(u.engagementId));

    const ack = await a.call('assignmentAcknowledgement', { action: 'ACCEPT', actionType: 'MANUAL', assignmentType: 'LEAD', engagementId: Number(u.engagementId), sequenceNumber: 3 });
    expect(ack.status).toBe(200);
    expect(ack.json.chatAssignmentAcknowledgementResult.clientList[0].clientIdString).toBe(u.clientId);
    expect(ack.json.sequenceNumberString).toBe('3');

    const added = await waitMessage(u, (m) => m.messageName === 'RNEngagementParticipantAddedMessage' && m.role === 'LEAD');
    expect(added?.clientIdString).toBe(a.clientId);
    expect(String(added?.greeting)).toContain('Agent 1');
    expect(await waitEntry(a, (e) => typeOf(e) === 'ChatEngagementParticipantAdded' && engOf(e) === u.engagementId)).toBeDefined();

    expect((await u.post('Hello, my refund has not arrived')).status).toBe(200);
    const got = await waitEntry(a, (e) => typeOf(e) === 'ChatPostMessage' && inner(e).body === 'Hello, my refund has not arrived');
    expect(inner(got!)).toMatchObject({ senderType: 'END_USER', senderIdString: u.clientId, engagementIdString: u.engagementId });

    const sig = await a.call('setInteractionStatus', { clientId: Number(a.clientId), engagementId: Number(u.engagementId), mode: 'RESPONDING', visibility: 'ALL' });
    expect(sig.status).toBe(200);
    const act = await waitMessage(u, (m) => m.messageName === 'RNEngagementActivityChangedMessage');
    expect(act).toMatchObject({ mode: 'RESPONDING', clientIdString: a.clientId });

    const ap = await a.call('postMessage', { body: 'Let me look at your refund.', destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT', sequenceNumber: 9 });
    expect(ap.status).toBe(200);
    expect(ap.json).toMatchObject({ chatPostResult: {}, sequenceNumberString: '9' });
    const rcv = await waitMessage(u, (m) => m.messageName === 'RNEngagementMessagePostedMessage' && m.body === 'Let me look at your refund.');
    expect(rcv?.clientIdString).toBe(a.clientId);

    // a whisper (NOT_ENDUSER) is stored but never reaches the customer
    expect((await a.call('postMessage', { body: 'internal note only', destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT', visibility: 'NOT_ENDUSER' })).status).toBe(200);

    const cc = await a.call('concludeChat', { engagementId: Number(u.engagementId) });
    expect(cc.status).toBe(200);
    const concl = await waitMessage(u, (m) => m.messageName === 'RNEngagementConcludedMessage');
    expect(concl).toMatchObject({ reason: 'AGENT_CONCLUDED', role: 'LEAD' });
    expect(u.seen.some((m) => m.body === 'internal note only')).toBe(false);
    expect((await u.post('are you there?')).status).toBe(409);

    expect((await a.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
    expect((await a.call('logoff', { forceLogoff: false })).status).toBe(200);
    const gone = await a.call('getMessages', {});
    expect(gone.status).toBe(403);
    expect(gone.json.code).toBe('SESSION_UNKNOWN');

    // every delivered entry carried the session's own sequence numbers, dense and in order
    const seqs = a.seen.filter((e) => typeOf(e) !== 'ChatGetTimeout').map((e) => Number(inner(e).sequenceNumberString));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('answers an empty agent poll with exactly one ChatGetTimeout', async () => {
    const a = await newAgent(s.url, 'agent2');
    const r = await a.call('getMessages', {});
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ getResponseTypes: [{ ChatGetTimeout: {} }] });
    await a.call('logoff', { forceLogoff: true });
  });

  it('tells the agent when the customer concludes (ChatDisconnectNotification END_USER_CONCLUDED)', async () => {
    const a = await newAgent(s.url, 'agent3');
    await ready(a, 1);
    const u = await chat(a);
    expect((await u.conclude()).status).toBe(200);
    const d = await waitEntry(a, (e) => typeOf(e) === 'ChatDisconnectNotification' && engOf(e) === u.engagementId);
    expect(inner(d!).reason).toBe('END_USER_CONCLUDED');
    // the agent can no longer post into it, but may release it
    expect((await a.call('postMessage', { body: 'hello?', destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' })).status).toBe(409);
    expect((await a.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
    await a.call('logoff', { forceLogoff: true });
  });
});

describe('agent bad input: coded 4xx, state unchanged', () => {
  it('refuses an unknown session, a wrong X-AID, a bad agent token and a consumer token at logon', async () => {
    const unknown = await call(s.url, 'POST', apath('demo', 'getMessages'), { body: {}, headers: { 'X-AID': '101', 'X-JSESSIONID': 'node0nope' } });
    expect(unknown.status).toBe(403);
    expect(unknown.json.code).toBe('SESSION_UNKNOWN');
    const a = await newAgent(s.url, 'agent1');
    const wrong = await call(s.url, 'POST', apath('demo', 'getMessages'), { body: {}, headers: { 'X-AID': '102', 'X-JSESSIONID': a.sessionId } });
    expect(wrong.status).toBe(403);
    expect(wrong.json.code).toBe('ACCESS_DENIED');
    const badJwt = await call(s.url, 'POST', apath('demo', 'createAutomatedAgentSession'), { body: {}, headers: { authorization: 'Bearer not.a.jwt' } });
    expect(badJwt.status).toBe(403);
    const u = await newConsumer(s.url);
    const consumerJwt = await call(s.url, 'POST', apath('demo', 'createAutomatedAgentSession'), { body: {}, headers: { authorization: `Bearer ${u.jwt}` } });
    expect(consumerJwt.status).toBe(403);
    // the session of another site is unknown there
    const other = await call(s.url, 'POST', apath('quiet', 'getMessages'), { body: {}, headers: { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId } });
    expect(other.status).toBe(403);
    await u.conclude();
    await a.call('logoff', { forceLogoff: true });
  });

  it('refuses posting to unknown or foreign engagements, accepting twice, and malformed bodies', async () => {
    const a = await newAgent(s.url, 'agent2');
    const b = await newAgent(s.url, 'agent3');
    await ready(a, 2);
    const u = await chat(a);
    const unknown = await a.call('postMessage', { body: 'x', destinationId: 987654321, destinationType: 'ENGAGEMENT' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('ENGAGEMENT_ID_UNKNOWN');
    const foreign = await b.call('postMessage', { body: 'x', destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
    expect(foreign.status).toBe(409);
    expect(foreign.json.code).toBe('NOT_PARTICIPANT');
    const again = await accept(a, u.engagementId);
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('CONFLICT');
    const steal = await accept(b, u.engagementId);
    expect(steal.status).toBe(409);
    expect((await b.call('concludeChat', { engagementId: Number(u.engagementId) })).json.code).toBe('NOT_PARTICIPANT');
    expect((await b.call('releaseChat', { engagementId: Number(u.engagementId) })).json.code).toBe('NOT_PARTICIPANT');
    expect((await a.call('setActivityStatus', { status: 'BUSY' })).status).toBe(400);
    expect((await a.call('requestAssignment', { idleSessionCount: 1 })).status).toBe(400);
    expect((await a.call('postMessage', { destinationId: Number(u.engagementId) })).status).toBe(400);
    expect((await a.call('assignmentAcknowledgement', { action: 'ACCEPT', engagementId: 'abc' })).status).toBe(400);
    const raw = await call(s.url, 'POST', apath('demo', 'postMessage'), { raw: '{"body":', headers: { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId } });
    expect(raw.status).toBe(400);
    expect((await a.call('noSuchOp', {})).status).toBe(404);
    // nothing changed: the engagement is still a's, and the customer gets the next message exactly once
    expect((await a.call('postMessage', { body: 'still here for you', destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' })).status).toBe(200);
    await waitMessage(u, (m) => m.body === 'still here for you');
    const t = await transcript(s.url, u.engagementId);
    expect(t.json.messages.map((m: { body: string }) => m.body)).toEqual(['still here for you']);
    await a.call('concludeChat', { engagementId: Number(u.engagementId) });
    await a.call('logoff', { forceLogoff: true });
    await b.call('logoff', { forceLogoff: true });
  });
});

describe('properties, directory and queue statistics', () => {
  it('sets engagement properties with the type rules of §7.11/§7.12', async () => {
    const a = await newAgent(s.url, 'agent1');
    await ready(a, 1);
    const u = await chat(a);
    const one = await a.call('setEngagementProperty', { engagementId: Number(u.engagementId), type: 'USER', name: 'QUESTION', value: 'Where is my order?' });
    expect(one.status).toBe(200);
    const notAllowed = await a.call('setEngagementProperty', { engagementId: Number(u.engagementId), type: 'ENGAGEMENT', name: 'FIRST_NAME', value: 'Eve' });
    expect(notAllowed.status).toBe(400);
    const many = await a.call('modifyProperties', { engagementId: Number(u.engagementId), type: 'USER', propertiesMap: { FIRST_NAME: 'Ana', EMAIL: 'ana@example.com', INCIDENT_ID: '5' }, customFields: [{ name: 'location', type: 'STRING', value: 'Lisbon' }] });
    expect(many.status).toBe(200);
    expect(many.json.propertiesResultMap).toEqual({ FIRST_NAME: true, EMAIL: true, INCIDENT_ID: false });
    await a.call('concludeChat', { engagementId: Number(u.engagementId) });
    await a.call('logoff', { forceLogoff: true });
  });

  it('lists agents and queues, and reports real queue statistics to consumers', async () => {
    const q = await newAgent(s.url, 'qagent', 'quiet', 'quiet');
    const stats = async (): Promise<Record<string, unknown>> => {
      const r = await call(s.url, 'GET', `${cpath('quiet', 'getQueueStats')}&request=${encodeURIComponent(JSON.stringify({ queueId: 7, chatProactiveAvailableType: 'AGENTS' }))}`);
      expect(r.status).toBe(200);
      return r.json;
    };
    expect(await stats()).toMatchObject({ availableAgentSessions: 0, engagementsInQueue: 0 });
    const u1 = await newConsumer(s.url, 'quiet', { firstName: 'Q1', emailAddress: 'q1@example.com', queueId: 7 }, ['quiet', 'quiet']);
    const u2 = await newConsumer(s.url, 'quiet', { firstName: 'Q2', emailAddress: 'q2@example.com', queueId: 7 }, ['quiet', 'quiet']);
    expect(await stats()).toMatchObject({ availableAgentSessions: 0, engagementsInQueue: 2 });
    await ready(q, 3);
    expect(await waitEntry(q, isOfferOf(u2.engagementId))).toBeDefined();
    expect(await stats()).toMatchObject({ availableAgentSessions: 1, engagementsInQueue: 2 });
    const eq = await call(s.url, 'GET', `${cpath('quiet', 'getEngagementQueue')}&request=${encodeURIComponent(JSON.stringify({ interfaceId: 1 }))}`);
    expect(eq.json).toMatchObject({ availableAgentSessions: 1, queueId: 7, engagementsInQueue: 2 });
    expect((await accept(q, u1.engagementId)).status).toBe(200);
    expect(await stats()).toMatchObject({ engagementsInQueue: 1 });
    const dir = await q.call('retrieveAgentsAndQueues', { id: 501, type: 'AGENT', includeAgentInformation: true, includeQueueInformation: true, includeQueueStatistics: true });
    expect(dir.status).toBe(200);
    expect(dir.json.agents).toHaveLength(1);
    expect(dir.json.agents[0]).toMatchObject({ accountIdString: '501', name: 'Quinn', status: 'AVAILABLE', activeSessionCount: 1, maxSessionCount: 3 });
    expect(dir.json.agents[0].mediaList[0].environmentErrorList).toEqual([]);
    expect(Object.keys(dir.json.queues)).toEqual(['7', '8']);
    expect(dir.json.queues['7']).toMatchObject({ name: 'Sales', engagementsInQueue: 1 });
    await u1.conclude();
    await u2.conclude();
    await q.call('logoff', { forceLogoff: true });
  });
});

describe('Tier-1 on agent posts', () => {
  it('screens agent posts where the tenant screens agents: a block is a notice for all, repeated blocks end that agent\'s participation only', async () => {
    const a = await newAgent(s.url, 'agent2');
    await ready(a, 1);
    const u = await chat(a);
    const r = await a.call('postMessage', { body: `try ${CANARY}`, destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
    expect(r.status).toBe(200);
    const notice = await waitMessage(u, (m) => m.messageName === 'RNEngagementMessagePostedMessage' && /not sent/i.test(String(m.body)));
    expect(notice).toBeDefined();
    expect(JSON.stringify(u.seen)).not.toContain(CANARY);
    expect(await waitEntry(a, (e) => typeOf(e) === 'ChatPostMessage' && inner(e).senderType === 'SYSTEM')).toBeDefined();
    let last = r;
    for (let i = 0; i < 6 && last.status === 200; i++) last = await a.call('postMessage', { body: `again ${i} ${CANARY}`, destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
    expect(last.status).toBe(409);
    expect(last.json.code).toBe('ENGAGEMENT_TERMINATED');
    const left = await waitMessage(u, (m) => m.messageName === 'RNEngagementParticipantLeftMessage' && m.clientIdString === a.clientId);
    expect(left).toBeDefined();
    expect(u.seen.some((m) => m.messageName === 'RNEngagementConcludedMessage')).toBe(false);
    expect(await waitEntry(a, (e) => typeOf(e) === 'ChatDisconnectNotification' && engOf(e) === u.engagementId)).toBeDefined();
    const post = await u.post('hello? anyone');
    expect(post.status).toBe(409);
    expect(post.json.code).toBe('LEAD_PARTICIPANT_LEFT');
    expect((await a.call('postMessage', { body: 'back again', destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' })).json.code).toBe('NOT_PARTICIPANT');
    await u.conclude();
    await a.call('logoff', { forceLogoff: true });
  });

  it('skips Tier-1 for agent posts where screenAgents is false', async () => {
    const q = await newAgent(s.url, 'qagent', 'quiet', 'quiet');
    await ready(q, 1);
    const u = await chat(q, { firstName: 'Q3', emailAddress: 'q3@example.com' }, 'quiet', ['quiet', 'quiet']);
    const r = await q.call('postMessage', { body: `docs ${CANARY}`, destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
    expect(r.status).toBe(200);
    expect(await waitMessage(u, (m) => m.body === `docs ${CANARY}`)).toBeDefined();
    await u.conclude();
    await q.call('logoff', { forceLogoff: true });
  });
});

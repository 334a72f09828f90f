// Clients whose correlation id counts their own actions, not their requests, read each message
// once. The spec lets a client pick any clientTransactionId / sequenceNumber (§1.4), and Oracle's
// server is at-most-once, so these clients have never seen a duplicate. A chat front that bumps its
// clientTransactionId when its user acts (polls 1,1,2,2,2) and a bot whose sequenceNumber counts
// its own actions used to get a batch again on polls repeating the id — up to three times — once
// the id had changed between two polls, with the user's or bot's own call in between
// (workers/actor/poll-replay.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, metric, newConsumer, until, type Res } from './helpers/client.ts';
import { OFFER, engOf, inner, newAgent, takeOffer, ready, typeOf, word, type Entry } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 400, pollReplayMs: 5000 });
});
afterAll(async () => s?.stop());

describe('a chat front that bumps its clientTransactionId only when its user acts', () => {
  it('gets every message once over polls 1,1,2,2,2,2 with the user posting between the bumps', async () => {
    const a = await newAgent(s.url, 'agent1');
    await ready(a);
    const u = await newConsumer(s.url);
    await takeOffer(a, u.engagementId);
    const got: Array<Record<string, unknown>> = [];
    const poll = async (tx: number): Promise<void> => {
      const r = await call(s.url, 'POST', cpath('demo', 'getMessages'), { body: { clientTransactionId: tx }, headers: { SessionId: u.sessionId } });
      expect(r.status).toBe(200);
      got.push(...(r.json.systemMessages as Array<Record<string, unknown>>));
    };
    const agentSays = async (k: number): Promise<void> => {
      expect((await a.call('postMessage', { body: `agent ${word(k)} line`, destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' })).status).toBe(200);
    };
    let tx = 1;
    await poll(tx);
    await agentSays(1);
    await poll(tx);
    tx++; // the user acts
    expect((await u.post('where is my refund', { clientTransactionId: tx })).status).toBe(200);
    await agentSays(2);
    await poll(tx);
    await agentSays(3);
    await poll(tx);
    await poll(tx);
    await poll(tx);
    const numbers = got.map((m) => Number(m.sequenceNumber));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1)); // dense from 1: nothing twice, nothing skipped
    for (const k of [1, 2, 3]) expect(got.filter((m) => m.body === `agent ${word(k)} line`)).toHaveLength(1);
    expect((await u.conclude()).status).toBe(200);
    await a.call('logoff', { forceLogoff: true });
  });
});

describe('an agent bot whose sequenceNumber counts its own actions, its polls carrying the current value', () => {
  it('answers each customer line once: no entry comes twice', async () => {
    const a = await newAgent(s.url, 'agent2');
    let seq = 1;
    const act = async (op: string, body: Record<string, unknown>): Promise<void> => {
      const r = await a.call(op, { ...body, sequenceNumber: seq++ });
      expect(r.status, r.text).toBe(200);
    };
    const entries: Entry[] = [];
    const poll = async (): Promise<Res> => {
      const r = await a.call('getMessages', { sequenceNumber: seq });
      expect(r.status).toBe(200);
      entries.push(...(r.json.getResponseTypes as Entry[]));
      return r;
    };
    await act('setActivityStatus', { status: 'AVAILABLE', subTypeId: 0 });
    await act('requestAssignment', { assignmentRequested: true, idleSessionCount: 1, maxSessionCount: 1 });
    const u = await newConsumer(s.url);
    for (let i = 0; i < 8 && !entries.some((e) => typeOf(e) === OFFER && engOf(e) === u.engagementId); i++) await poll();
    await act('assignmentAcknowledgement', { action: 'ACCEPT', actionType: 'MANUAL', assignmentType: 'LEAD', engagementId: Number(u.engagementId) });
    await poll();
    expect((await u.post('my order never arrived')).status).toBe(200);
    await poll();
    await act('postMessage', { body: 'sorry to hear that, checking now', destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
    expect((await u.post('it was due last monday')).status).toBe(200);
    await poll();
    await poll();
    await poll();
    for (const line of ['my order never arrived', 'it was due last monday']) expect(entries.filter((e) => inner(e).body === line)).toHaveLength(1);
    const numbered = entries.map((e) => inner(e).sequenceNumber).filter((n) => n !== undefined);
    expect(new Set(numbered.map(String)).size).toBe(numbered.length);
    // the shards report once a second
    expect(await until(async () => (await metric(s.url, 'parley_poll_replays_total{api="agent",reason="retry"}')) > 0, 1500)).toBe(false);
    await act('releaseChat', { engagementId: Number(u.engagementId) });
    await a.call('logoff', { forceLogoff: true });
  });
});

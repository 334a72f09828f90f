// A second logon on the same agent account (createAutomatedAgentSession, with or without
// logonOverride: a restarted bot that lost its session id) takes over the held chats, and with
// them what the old session's client was never handed: customer posts acknowledged while the bot
// was down reach the new session once, in order, and a chat that concluded meanwhile reaches it
// as its ChatDisconnectNotification, so the bot releases the slot and is offered the next customer.
// The new session is also told which chats it holds (ChatEngagementParticipantAdded, `resumed`).
// Before, the old inbox was erased with the old session: the posts were in the transcript only,
// and the concluded chat kept the slot taken for good.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { call, cpath, newConsumer, transcript, until, type Consumer } from './helpers/client.ts';
import { accept, agentFor, apath, engOf, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, type Agent, type Entry } from './helpers/agent-client.ts';

let s: TestServer | undefined;
let srv: ServerProcess | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});
afterAll(() => {
  srv?.child.kill('SIGKILL');
});

/** The same account logs on again, as a restarted bot does (it has lost its session id). */
async function logonAgain(base: string, user: string, body: Record<string, unknown>): Promise<Agent> {
  const tok = await call(base, 'POST', '/services/rest/crossChannelServices/latest/agentTokens', { headers: { authorization: 'Basic ' + Buffer.from(`${user}:demo`).toString('base64') } });
  expect(tok.status).toBe(200);
  const r = await call(base, 'POST', apath('demo', 'createAutomatedAgentSession'), { body, headers: { authorization: `Bearer ${tok.json.sessionToken}` } });
  expect(r.status).toBe(200);
  return agentFor(base, 'demo', r.json.sessionId, String(r.json.chatLogonResult.accountIdString), String(r.json.chatLogonResult.clientIdString));
}

/** An agent holding a fresh customer's chat, with its inbox drained (it has seen the join). */
async function holding(base: string, user: string, max = 1): Promise<{ a: Agent; u: Consumer }> {
  const a = await newAgent(base, user);
  await ready(a, max);
  const u = await newConsumer(base);
  expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeDefined();
  expect((await accept(a, u.engagementId)).status).toBe(200);
  expect(await waitEntry(a, (e) => typeOf(e) === 'ChatEngagementParticipantAdded' && engOf(e) === u.engagementId)).toBeDefined();
  return { a, u };
}

const isPost = (eid: string, messageId: string) => (e: Entry): boolean => typeOf(e) === 'ChatPostMessage' && engOf(e) === eid && inner(e).messageId === messageId;
const of = (a: Agent, eid: string): Entry[] => a.seen.filter((e) => engOf(e) === eid);
const seqs = (a: Agent): number[] => a.seen.filter((e) => typeOf(e) !== 'ChatGetTimeout').map((e) => Number(inner(e).sequenceNumber));
const dense = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('agent session takeover keeps the old inbox', () => {
  for (const override of [false, true]) {
    it(`customer posts acknowledged while the bot was down reach the new session once, in order (logonOverride ${override})`, async () => {
      s = await startTestServer({ longPollMs: 400 });
      const { a, u } = await holding(s.url, 'agent1');
      expect((await u.post('my parcel never arrived', { messageId: 'lost-1' })).status).toBe(200);
      expect((await u.post('please help me quickly', { messageId: 'lost-2' })).status).toBe(200);

      const b = await logonAgain(s.url, 'agent1', override ? { logonOverride: true } : {});
      expect((await a.poll()).status).toBe(403);
      expect((await u.post('hello after the restart', { messageId: 'after-1' })).status).toBe(200);
      expect(await waitEntry(b, isPost(u.engagementId, 'after-1'))).toBeDefined();

      const mine = of(b, u.engagementId);
      expect(mine.map(typeOf)).toEqual(['ChatEngagementParticipantAdded', 'ChatPostMessage', 'ChatPostMessage', 'ChatPostMessage']);
      expect(inner(mine[0] as Entry)).toMatchObject({ clientIdString: b.clientId, role: 'LEAD', resumed: true });
      expect(mine.slice(1).map((e) => inner(e).messageId)).toEqual(['lost-1', 'lost-2', 'after-1']);
      expect(seqs(b)).toEqual(dense(seqs(b).length));
      const r = await b.call('requestAssignment', { assignmentRequested: true, idleSessionCount: 1, maxSessionCount: 1 });
      expect(r.json.chatRequestAssignmentResult.activeSessionCount).toBe(1);
      const t = await transcript(s.url, u.engagementId);
      expect((t.json.messages as Array<Record<string, unknown>>).map((m) => m.messageId)).toEqual(['lost-1', 'lost-2', 'after-1']);
    });
  }

  it('a chat concluded while the bot was down reaches the new session as its ChatDisconnectNotification; releasing it frees the slot', async () => {
    s = await startTestServer({ longPollMs: 400 });
    const { u } = await holding(s.url, 'agent2');
    expect((await u.conclude()).status).toBe(200);

    const b = await logonAgain(s.url, 'agent2', {});
    await ready(b, 1);
    const next = await newConsumer(s.url);
    const bye = await waitEntry(b, (e) => typeOf(e) === 'ChatDisconnectNotification' && engOf(e) === u.engagementId);
    expect(bye).toBeDefined();
    expect(of(b, u.engagementId).filter((e) => typeOf(e) === 'ChatDisconnectNotification')).toHaveLength(1);
    expect(b.seen.some(isOfferOf(next.engagementId))).toBe(false); // the slot is still taken until releaseChat
    expect((await b.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
    expect(await waitEntry(b, isOfferOf(next.engagementId))).toBeDefined();
  });

  it('a conclusion the old session was handed but not released is announced again to the new session', async () => {
    s = await startTestServer({ longPollMs: 400 });
    const { a, u } = await holding(s.url, 'agent3');
    expect((await u.conclude()).status).toBe(200);
    expect(await waitEntry(a, (e) => typeOf(e) === 'ChatDisconnectNotification' && engOf(e) === u.engagementId)).toBeDefined();

    const b = await logonAgain(s.url, 'agent3', {});
    await ready(b, 1);
    const next = await newConsumer(s.url);
    const bye = await waitEntry(b, (e) => typeOf(e) === 'ChatDisconnectNotification' && engOf(e) === u.engagementId);
    expect(bye && inner(bye)).toMatchObject({ resumed: true, reason: 'END_USER_CONCLUDED', clientIdString: u.clientId });
    expect((await b.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
    expect(await waitEntry(b, isOfferOf(next.engagementId))).toBeDefined();
  });

  it('a bot that read over a WebSocket gets its held chats again, and nothing of the chats it released', async () => {
    s = await startTestServer({ longPollMs: 400 });
    const a = await newAgent(s.url, 'agent1');
    const ws = a.ws(0);
    await ws.opened;
    const got = (): Entry[] => ws.frames.flatMap((f) => (f.getResponseTypes as Entry[] | undefined) ?? []);
    await ready(a, 2);
    const done = await newConsumer(s.url);
    const open = await newConsumer(s.url);
    for (const u of [done, open]) {
      expect(await until(() => got().some(isOfferOf(u.engagementId)))).toBe(true);
      expect((await accept(a, u.engagementId)).status).toBe(200);
    }
    expect((await done.conclude()).status).toBe(200);
    expect(await until(() => got().some((e) => typeOf(e) === 'ChatDisconnectNotification' && engOf(e) === done.engagementId))).toBe(true);
    expect((await a.call('releaseChat', { engagementId: Number(done.engagementId) })).status).toBe(200);
    expect((await open.post('still waiting for my parcel', { messageId: 'ws-1' })).status).toBe(200);
    expect(await until(() => got().some(isPost(open.engagementId, 'ws-1')))).toBe(true);

    const b = await logonAgain(s.url, 'agent1', {});
    expect((await ws.closed).code).toBeGreaterThan(0);
    expect(await waitEntry(b, isPost(open.engagementId, 'ws-1'))).toBeDefined();
    await b.poll();
    expect(of(b, open.engagementId).map(typeOf)).toEqual(['ChatEngagementParticipantAdded', 'ChatPostMessage']);
    expect(of(b, done.engagementId)).toEqual([]);
    expect(b.seen.some((e) => typeOf(e) === 'ChatEngagementAssignmentNotification')).toBe(false);
  });

  it('the carried entries survive kill -9 right after the takeover, once', async () => {
    const dataDir = tempDir('takeover-kill9');
    const env = { PARLEY_DATA_DIR: dataDir, PARLEY_LONG_POLL_MS: '300', PARLEY_CONCLUDE_GRACE_MS: '60000', PARLEY_LOG_LEVEL: 'warn' };
    srv = await spawnServer(env);
    const { a, u } = await holding(srv.url, 'agent1');
    expect((await u.post('my parcel never arrived', { messageId: 'lost-1' })).status).toBe(200);
    expect((await u.post('please help me quickly', { messageId: 'lost-2' })).status).toBe(200);
    const b = await logonAgain(srv.url, 'agent1', { logonOverride: true });
    srv.child.kill('SIGKILL');
    await srv.exited;
    srv = await spawnServer(env);

    const base = srv.url;
    const again = agentFor(base, 'demo', b.sessionId, b.accountId, b.clientId);
    expect((await agentFor(base, 'demo', a.sessionId, a.accountId, a.clientId).poll()).status).toBe(403);
    const after = await call(base, 'POST', cpath('demo', 'postMessage'), { body: { body: 'hello after the restart', messageId: 'after-1' }, headers: { SessionId: u.sessionId } });
    expect(after.status).toBe(200);
    expect(await waitEntry(again, isPost(u.engagementId, 'after-1'))).toBeDefined();
    const mine = of(again, u.engagementId);
    expect(mine.map(typeOf)).toEqual(['ChatEngagementParticipantAdded', 'ChatPostMessage', 'ChatPostMessage', 'ChatPostMessage']);
    expect(mine.slice(1).map((e) => inner(e).messageId)).toEqual(['lost-1', 'lost-2', 'after-1']);
    expect(seqs(again)).toEqual(dense(seqs(again).length));
    srv.child.kill('SIGKILL');
    await srv.exited;
    srv = undefined;
  });
});

// An agent taken out of its tenant's document (hot reload), or whose password or accountId changed
// there, or whose tenant's document was removed, loses its live session as by a logoff: the chats it
// held go back to the queue (the customer sees TRANSFERRED_TO_QUEUE) and reach another agent, its
// parked long poll is answered, its WebSocket closed, and its session id answers 403 SESSION_UNKNOWN
// — also after a restart, and for a change made while the server was down. Before, only new
// agentTokens were refused: the old session kept polling, was offered new customers, accepted and
// posted, across kill -9 too, and a client that keeps polling never reaches the idle logoff.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, tempDir, type TestServer } from './helpers/server.ts';
import { basic, call, cpath, newConsumer, sleep, until, type Consumer, type Res } from './helpers/client.ts';
import { accept, agentFor, apath, isOfferOf, newAgent, ready, waitEntry, waitMessage, type Agent } from './helpers/agent-client.ts';

const LONG_POLL_MS = 20_000;
const AGENTS = {
  alice: '{ user: alice, password: pw, name: Alice, accountId: 201 }',
  bob: '{ user: bob, password: pw, name: Bob, accountId: 202 }',
  carol: '{ user: carol, password: pw, name: Carol, accountId: 203 }',
};
const doc = (agents: string[]): string => `site: acme
credentials: [{ user: acme, password: pw }]
agents:
${agents.map((a) => `  - ${a}\n`).join('')}queues: [{ id: 1, name: Default }]
tier1: { rules: { RATE_BURST: { mode: off }, DUP_EXACT: { mode: off }, DUP_NEAR: { mode: off } } }
`;

let s: TestServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

const start = (configDir: string, dataDir = tempDir('data')): Promise<TestServer> => startTestServer({ shards: 2, longPollMs: LONG_POLL_MS, configDir, dataDir });
const server = (): TestServer => s as TestServer;
const file = (cfg: string): string => path.join(cfg, 'tenants', 'acme.yaml');
const customer = (): Promise<Consumer> => newConsumer(server().url, 'acme', undefined, ['acme', 'pw']);
const agent = (user: string): Promise<Agent> => newAgent(server().url, user, 'acme', 'pw');
/** The tenant as the server has it live: an agent's new token is refused once its change is. */
const tokenStatus = async (user: string, pass = 'pw'): Promise<number> =>
  (await call(server().url, 'POST', '/services/rest/crossChannelServices/latest/agentTokens', { headers: { authorization: basic(user, pass) } })).status;
const reloaded = (user: string, status: number): Promise<boolean> => until(async () => (await tokenStatus(user)) === status, 8000);

/** A session answered 403 SESSION_UNKNOWN on a home-shard call and on a post to `c`. */
async function expectEnded(a: Agent, c: Consumer): Promise<void> {
  const poll = await a.call('getMessages', {});
  expect(poll.status).toBe(403);
  expect(poll.json.code).toBe('SESSION_UNKNOWN');
  const post = await a.call('postMessage', { body: 'still here', destinationId: Number(c.engagementId), destinationType: 'ENGAGEMENT' });
  expect(post.status).toBe(403);
  expect(post.json.code).toBe('SESSION_UNKNOWN');
}

type Polled = Pick<Consumer, 'seen' | 'poll'>;
/** `c`'s session polled at the server now running (a restart listens on another port) */
const consumerAt = (c: Consumer): Polled => {
  const u: Polled = {
    seen: [],
    poll: async () => {
      const r = await call(server().url, 'POST', cpath('acme', 'getMessages'), { body: {}, headers: { SessionId: c.sessionId } });
      if (r.status === 200) u.seen.push(...(r.json.systemMessages as Array<Record<string, unknown>>));
      return r;
    },
  };
  return u;
};

const requeued = async (c: Polled): Promise<void> => {
  const left = await waitMessage(c, (m) => m.messageName === 'RNEngagementParticipantLeftMessage');
  expect(left).toMatchObject({ disconnectReason: 'TRANSFERRED_TO_QUEUE' });
};

/** A getMessages that is parked (the entries queued before it were taken by earlier polls). */
async function parkedPoll(a: Agent): Promise<{ answer: Promise<Res> }> {
  for (;;) {
    const p = a.call('getMessages', {});
    if ((await Promise.race([p.then(() => 'answered'), sleep(500).then(() => 'parked')])) === 'parked') return { answer: p };
  }
}

/** `a` holds a fresh customer's chat. */
async function holding(a: Agent): Promise<Consumer> {
  await ready(a, 1);
  const c = await customer();
  expect(await waitEntry(a, isOfferOf(c.engagementId))).toBeDefined();
  expect((await accept(a, c.engagementId)).status).toBe(200);
  return c;
}

/** A node with alice and bob listed; alice holds a chat and has her agent WebSocket open. */
async function aliceHoldingAChat() {
  const cfg = tenantConfigDir({ 'acme.yaml': doc([AGENTS.alice, AGENTS.bob]) });
  s = await start(cfg);
  const alice = await agent('alice');
  const c = await holding(alice);
  const ws = alice.ws();
  await ws.opened;
  return { cfg, alice, c, ws };
}

describe('an agent removed from the tenant document', () => {
  it('loses its live session on the hot reload: chat requeued to another agent, poll answered, socket closed, 403 after, also after a restart', async () => {
    const { cfg, alice, c, ws } = await aliceHoldingAChat();
    const parked = (await parkedPoll(alice)).answer;

    fs.writeFileSync(file(cfg), doc([AGENTS.bob]));
    expect(await reloaded('alice', 401)).toBe(true);

    // the parked poll is answered now, not after its 20 s hold
    const answered = await Promise.race([parked.then((r) => r.status), new Promise((r) => setTimeout(() => r('still parked'), 5000))]);
    expect(answered).toBe(200);
    expect(await Promise.race([ws.closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('open'), 5000))])).toBe('closed');
    await expectEnded(alice, c);
    await requeued(c);
    const bob = await agent('bob');
    await ready(bob, 1);
    expect(await waitEntry(bob, isOfferOf(c.engagementId))).toBeDefined();

    // a restart does not bring it back
    const dataDir = server().dataDir;
    await server().stop();
    s = await start(cfg, dataDir);
    await expectEnded(agentFor(server().url, 'acme', alice.sessionId, alice.accountId, alice.clientId), c);
  });

  it('is not brought back by a restart when it was removed while the server was down', async () => {
    const cfg = tenantConfigDir({ 'acme.yaml': doc([AGENTS.alice, AGENTS.bob]) });
    s = await start(cfg);
    const alice = await agent('alice');
    const c = await holding(alice);
    const bob = await agent('bob');
    const dataDir = server().dataDir;
    await server().stop();
    fs.writeFileSync(file(cfg), doc([AGENTS.bob]));
    s = await start(cfg, dataDir);
    const stale = agentFor(server().url, 'acme', alice.sessionId, alice.accountId, alice.clientId);
    await expectEnded(stale, c);
    await requeued(consumerAt(c));
    // the agent still listed keeps its session across the restart
    const bobAgain = agentFor(server().url, 'acme', bob.sessionId, bob.accountId, bob.clientId);
    await ready(bobAgain, 1);
    expect(await waitEntry(bobAgain, isOfferOf(c.engagementId))).toBeDefined();
  });

  it('ends the session of an agent whose password or accountId changed, and keeps the others', async () => {
    const cfg = tenantConfigDir({ 'acme.yaml': doc([AGENTS.alice, AGENTS.bob, AGENTS.carol]) });
    s = await start(cfg);
    const alice = await agent('alice');
    const bob = await agent('bob');
    const carol = await agent('carol');
    const c = await holding(alice);
    // a token made with the old password and not used yet
    const early = await call(server().url, 'POST', '/services/rest/crossChannelServices/latest/agentTokens', { headers: { authorization: basic('alice', 'pw') } });
    expect(early.status).toBe(200);

    fs.writeFileSync(file(cfg), doc([AGENTS.alice.replace('password: pw', 'password: new-pw'), AGENTS.bob.replace('202', '212'), AGENTS.carol.replace('Carol', 'Caroline')]));
    expect(await reloaded('alice', 401)).toBe(true);
    await expectEnded(alice, c);
    await requeued(c);
    const bobPoll = await bob.call('getMessages', {});
    expect(bobPoll.status).toBe(403);
    expect(bobPoll.json.code).toBe('SESSION_UNKNOWN');
    // a new name only: the same account, same password — its session goes on
    expect((await carol.call('setActivityStatus', { status: 'AVAILABLE', subTypeId: 0 })).status).toBe(200);
    // the old password's unused token does not log on; the new password does
    const late = await call(server().url, 'POST', apath('acme', 'createAutomatedAgentSession'), { body: {}, headers: { authorization: `Bearer ${String(early.json.sessionToken)}` } });
    expect(late.status).toBe(403);
    expect(late.json.code).toBe('ACCESS_DENIED');
    expect(await tokenStatus('alice', 'new-pw')).toBe(200);
  });

  it('ends the sessions of a tenant whose document is removed', async () => {
    const { cfg, alice, c, ws } = await aliceHoldingAChat();
    fs.rmSync(file(cfg));
    expect(await Promise.race([ws.closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('open'), 8000))])).toBe('closed');
    // the document back, as it was: the old session stays ended
    fs.writeFileSync(file(cfg), doc([AGENTS.alice, AGENTS.bob]));
    expect(await until(async () => (await call(server().url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: { authorization: 'Bearer test-admin' } })).status === 200, 8000)).toBe(true);
    await expectEnded(alice, c);
    await requeued(c);
  });
});

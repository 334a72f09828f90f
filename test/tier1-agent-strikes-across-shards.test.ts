// An agent's chats are spread over every shard (each customer's engagements live on their own
// shard), but its Tier-1 strikes must add up as on one shard (tier1.md §1: terminate at 3 strikes in
// 10 min; agents "face exactly the same rules"). Each shard kept its own count, so an agent posting
// the canary once in each of 4 chats on 2 shards got 200 four times and was never ejected. A shard
// now passes each agent strike to the tenant's other shards, and a restarted shard thread gets the
// others' strikes again without counting its own twice (also after a restart of the process). The main
// thread's ledger that does this is also tested as plain data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, newConsumer, until, type Consumer, type Res } from './helpers/client.ts';
import { agentFor, engOf, inner, newAgent, ready, takeOffer, typeOf, waitEntry, waitMessage, word, type Agent } from './helpers/agent-client.ts';
import { homeShardOf, shardOfEngagement } from './helpers/shards.ts';
import { AgentStrikeLedger } from '../src/shards/agent-strikes.ts';

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
const SHARDS = 2;
const H = homeShardOf('demo', SHARDS);
const E = 1 - H;
const admin = { authorization: 'Bearer test-admin' };

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: SHARDS, faultInjection: true, shardHangMs: 1000, longPollMs: 300, offerTimeoutMs: 60_000 });
});
afterAll(async () => s?.stop());

/**
 * `a` in one new chat per entry of `shards`, each on that shard. Customers are made before `a`
 * says it is ready, and those on a shard not needed are concluded at once, so only ours are offered.
 */
async function chatsOn(a: Agent, shards: number[], on: TestServer = s): Promise<Consumer[]> {
  const out: Array<Consumer | undefined> = shards.map(() => undefined);
  for (let tries = 0; out.includes(undefined); tries++) {
    if (tries > 40) throw new Error('no engagement on the wanted shard after 40 customers');
    const u = await newConsumer(on.url);
    const i = shards.findIndex((sh, k) => out[k] === undefined && sh === shardOfEngagement(u.engagementId, SHARDS));
    if (i < 0) await u.conclude();
    else out[i] = u;
  }
  const chats = out as Consumer[];
  await ready(a, chats.length);
  for (const u of chats) await takeOffer(a, u.engagementId);
  return chats;
}

let n = 0;
const canary = (a: Agent, u: Consumer): Promise<Res> =>
  a.call('postMessage', { body: `${CANARY} ${word(n++)}`, destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });

async function restartShard(shard: number): Promise<void> {
  expect((await call(s.url, 'POST', `/admin/v1/shards/${shard}/fault?mode=throw`, { headers: admin })).status).toBe(202);
  expect(await until(async () => (await call(s.url, 'GET', '/readyz')).status === 503, 5000)).toBe(true);
  expect(await until(async () => (await call(s.url, 'GET', '/readyz')).status === 200, 20_000)).toBe(true);
}

describe("an agent's Tier-1 strikes across shards", () => {
  it('the third strike within 10 minutes ends its participation whichever shard each chat is on', async () => {
    const a = await newAgent(s.url, 'agent1');
    const chats = await chatsOn(a, [0, 1, 0, 1]);
    const answers: string[] = [];
    for (const u of chats) {
      const r = await canary(a, u);
      answers.push(`${r.status}${r.status === 409 ? ` ${String(r.json.code)}` : ''}`);
    }
    // before: 200 ×4 (2 strikes on each shard, never 3 on one)
    expect(answers).toEqual(['200', '200', '409 ENGAGEMENT_TERMINATED', '409 ENGAGEMENT_TERMINATED']);
    // ejected from the third chat as on one shard: the customer sees the agent leave, the agent is told
    const third = chats[2]!;
    const left = await waitMessage(third, (m) => m.messageName === 'RNEngagementParticipantLeftMessage' && m.clientIdString === a.clientId);
    expect(left?.disconnectReason).toBe('EJECTED');
    const told = await waitEntry(a, (e) => typeOf(e) === 'ChatDisconnectNotification' && engOf(e) === third.engagementId && inner(e).reason === 'EJECTED');
    expect(told).toBeDefined();
    for (const u of chats) await u.conclude();
    await a.call('logoff', { forceLogoff: true });
  }, 60_000);

  it('a restarted shard thread counts the strikes the other shards recorded before its restart', async () => {
    const a = await newAgent(s.url, 'agent2');
    const [h1, h2, e1] = await chatsOn(a, [H, H, E]);
    expect((await canary(a, h1!)).status).toBe(200);
    expect((await canary(a, h2!)).status).toBe(200);
    // E heard of both strikes, then its thread dies with that memory
    await restartShard(E);
    const r = await canary(a, e1!);
    // before: 200 (E counted 1)
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('ENGAGEMENT_TERMINATED');
    for (const u of [h1!, h2!, e1!]) await u.conclude();
    await a.call('logoff', { forceLogoff: true });
  }, 60_000);

  it("a restarted shard's own strikes, recovered from its journal, are not counted twice elsewhere", async () => {
    const a = await newAgent(s.url, 'agent3');
    const [e1, h1, e2] = await chatsOn(a, [E, H, E]);
    expect((await canary(a, e1!)).status).toBe(200);
    await restartShard(E);
    // H holds E's one strike once: this is the second, not the third
    expect((await canary(a, h1!)).status).toBe(200);
    // E: its own from the journal and H's: the third
    const r = await canary(a, e2!);
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('ENGAGEMENT_TERMINATED');
    for (const u of [e1!, h1!, e2!]) await u.conclude();
    await a.call('logoff', { forceLogoff: true });
  }, 60_000);
});

describe("an agent's Tier-1 strikes across a restart of the process", () => {
  it('each shard reads back its own strikes and the others are told them again', async () => {
    const opts = { shards: SHARDS, longPollMs: 300, concludeGraceMs: 60_000, offerTimeoutMs: 60_000 };
    let p: TestServer = await startTestServer(opts);
    try {
      const a = await newAgent(p.url, 'agent1');
      const [c0, c1, c2] = await chatsOn(a, [0, 1, 0], p);
      expect((await canary(a, c0!)).status).toBe(200);
      expect((await canary(a, c1!)).status).toBe(200);
      await p.stop();

      p = await startTestServer({ ...opts, dataDir: p.dataDir, configDir: p.configDir });
      const again = agentFor(p.url, 'demo', a.sessionId, a.accountId, a.clientId);
      const r = await canary(again, c2!);
      // before: 200 (shard 0 counted its own strike only)
      expect(r.status).toBe(409);
      expect(r.json.code).toBe('ENGAGEMENT_TERMINATED');
    } finally {
      await p.stop();
    }
  }, 60_000);
});

describe("the main thread's agent strike ledger (plain data)", () => {
  const st = (at: number, senderKey = 'agent:1'): { site: string; senderKey: string; at: number; until: number } => ({ site: 'demo', senderKey, at, until: at + 600_000 });

  it('sends a shard nothing from its crash until its recovery reports in, then every other shard\'s strike once', () => {
    const l = new AgentStrikeLedger();
    expect(l.ingest(0, [], true, 1000)).toEqual([]);
    expect(l.ingest(1, [], true, 1000)).toEqual([]);
    expect(l.ingest(1, [st(1000)], false, 1000)).toEqual([[0, [st(1000)]]]);
    l.down(0);
    // live strikes while shard 0 is down go nowhere: its recovery gets them
    expect(l.ingest(1, [st(2000)], false, 2000)).toEqual([]);
    // shard 0 read back one of its own, which shard 1 never heard of (the whole process restarted)
    expect(l.ingest(0, [st(1500)], true, 3000)).toEqual([[1, [st(1500)]], [0, [st(1000), st(2000)]]]);
    // a second restart of shard 0: its strike is held already, not sent to shard 1 again
    l.down(0);
    expect(l.ingest(0, [st(1500)], true, 4000)).toEqual([[0, [st(1000), st(2000)]]]);
  });

  it('forgets strikes that stopped counting', () => {
    const l = new AgentStrikeLedger();
    l.ingest(0, [], true, 0);
    l.ingest(1, [], true, 0);
    expect(l.ingest(0, [st(1000), st(1000, 'agent:2')], false, 1000)).toEqual([[1, [st(1000), st(1000, 'agent:2')]]]);
    expect(l.size).toBe(2);
    l.expire(1000 + 600_000);
    expect(l.size).toBe(0);
    l.down(1);
    expect(l.ingest(1, [], true, 700_000)).toEqual([]);
  });
});

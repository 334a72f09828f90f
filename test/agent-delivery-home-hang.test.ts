// The tenant's home shard (H: agent sessions and inboxes) hangs; the watchdog replaces its thread.
// The engagement's shard (E ≠ H) keeps answering its customer meanwhile, and each acknowledged
// message's agent delivery goes to H's port, where it is lost with the hung thread. When H is back,
// E re-sends the deliveries it keeps in memory (the last REPLAY_TAIL of each engagement); when more
// were lost than that, H asks E to rebuild the rest from its journal. Either way the agent gets
// every acknowledged message once, in order. Found by a shard-crash fuzz: before the refill, a hang
// during which one chat got more than REPLAY_TAIL messages lost the older ones from the agent's
// view for good (they were in the transcript, never on the agent's stream).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, cpath, until } from './helpers/client.ts';
import { accept, isOfferOf, newAgent, ready, typeOf, waitEntry, type Agent, type Entry } from './helpers/agent-client.ts';
import { consumerOffHome, homeShardOf } from './helpers/shards.ts';
import { REPLAY_TAIL } from '../workers/actor/engagement.ts';

let s: TestServer;
let agent: Agent;
beforeAll(async () => {
  // per-sender rate and duplicate rules off: one customer posts more than a tail's worth at once
  const configDir = tenantConfigDir({ 'fast.yaml': [
    'site: fast',
    'credentials: [{ user: fast, password: fast }]',
    'agents: [{ user: fagent, password: fast, name: Fay, accountId: 601 }]',
    'tier1: { rules: { RATE_BURST: { mode: off }, DUP_EXACT: { mode: off }, DUP_NEAR: { mode: off } } }',
  ].join('\n') });
  s = await startTestServer({ configDir, shards: 2, faultInjection: true, shardHangMs: 1000, longPollMs: 300, offerTimeoutMs: 60_000, concludeGraceMs: 60_000 });
  agent = await newAgent(s.url, 'fagent', 'fast', 'fast');
  await ready(agent, 1);
});
afterAll(async () => s?.stop());

const HOME = homeShardOf('fast', 2);
const fault = (shard: number, mode: string): Promise<unknown> =>
  call(s.url, 'POST', `/admin/v1/shards/${shard}/fault?mode=${mode}`, { headers: { authorization: 'Bearer test-admin' } });
const bodiesOf = (seen: Entry[], engagementId: string): string[] =>
  seen.filter((e) => typeOf(e) === 'ChatPostMessage')
    .map((e) => Object.values(e)[0]!)
    .filter((m) => m.engagementIdString === engagementId && m.history !== true)
    .map((m) => String(m.body));

async function chatOffHome(): Promise<{ post(body: string): Promise<number>; engagementId: string }> {
  const u = await consumerOffHome(s.url, 2, 'fast', ['fast', 'fast']);
  expect(await waitEntry(agent, isOfferOf(u.engagementId), 20)).toBeDefined();
  expect((await accept(agent, u.engagementId)).status).toBe(200);
  const post = async (body: string): Promise<number> =>
    (await call(s.url, 'POST', cpath('fast', 'postMessage'), { body: { body }, headers: { SessionId: u.sessionId } })).status;
  return { post, engagementId: u.engagementId };
}

describe('agent delivery across a home-shard hang', () => {
  for (const during of [REPLAY_TAIL + 20, 10]) {
    it(`delivers every acknowledged message once, in order, with ${during} posted while H hung`, async () => {
      const chat = await chatOffHome();
      expect(await chat.post('before the hang')).toBe(200);
      expect(await until(async () => (await agent.poll(), bodiesOf(agent.seen, chat.engagementId).length === 1))).toBe(true);

      void fault(HOME, 'hang');
      const hung = Date.now();
      const meanwhile: string[] = [];
      for (let i = 0; i < during; i++) {
        const body = `while the home shard hangs, message ${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
        expect(await chat.post(body)).toBe(200);
        meanwhile.push(body);
      }
      expect(Date.now() - hung).toBeLessThan(1000); // all posted before the watchdog replaced H
      // H is back once the agent's own calls are answered again
      expect(await until(async () => (await agent.call('setActivityStatus', { status: 'AVAILABLE' })).status === 200, 15_000)).toBe(true);
      expect(await chat.post('after the hang')).toBe(200);
      expect(await until(async () => (await agent.poll(), bodiesOf(agent.seen, chat.engagementId).includes('after the hang')), 10_000)).toBe(true);
      expect(bodiesOf(agent.seen, chat.engagementId)).toEqual(['before the hang', ...meanwhile, 'after the hang']);
      // the agent ends the chat and leaves wrap-up: its one slot is free for the next case
      expect((await agent.call('concludeChat', { engagementId: Number(chat.engagementId) })).status).toBe(200);
      expect((await agent.call('releaseChat', { engagementId: Number(chat.engagementId) })).status).toBe(200);
    }, 60_000);
  }
});

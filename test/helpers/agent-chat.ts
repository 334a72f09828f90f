// A server with agent1 ready for three chats at a time, for tests of what an agent in a chat sees
// and sends. Registers its own beforeAll / afterAll; `s` and `a` are set once beforeAll has run.
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from './server.ts';
import { newConsumer, transcript, type Consumer } from './client.ts';
import { newAgent, ready, takeOffer, type Agent } from './agent-client.ts';

export interface AgentInChats {
  s: TestServer;
  a: Agent;
  /** a new customer's chat, offered to and accepted by `a` */
  chat(): Promise<Consumer>;
}

/**
 * `slots`: chats agent1 takes at a time; `shards`: the server's (one puts an agent's chats, and so
 * its per-sender Tier-1 state, on one shard).
 */
export function agentInChats(longPollMs = 300, slots = 3, shards?: number): AgentInChats {
  let s: TestServer | undefined;
  let a: Agent | undefined;
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('agentInChats: used before its beforeAll ran');
    return v;
  };
  const t: AgentInChats = {
    get s() { return need(s); },
    get a() { return need(a); },
    async chat() {
      const u = await newConsumer(t.s.url);
      await takeOffer(t.a, u.engagementId);
      return u;
    },
  };
  beforeAll(async () => {
    s = await startTestServer({ longPollMs, ...(shards === undefined ? {} : { shards }) });
    a = await newAgent(s.url, 'agent1');
    await ready(a, slots);
  });
  afterAll(async () => {
    await a?.call('logoff', { forceLogoff: true });
    await s?.stop();
  });
  return t;
}

export interface TwoAgents {
  s: TestServer;
  a1: Agent;
  a2: Agent;
}

/** A two-shard server with agent1 and agent2 logged on (agent1 ready for `a1Slots` chats, 0: not asked). */
export function twoAgents(a1Slots = 0): TwoAgents {
  let s: TestServer | undefined;
  let a1: Agent | undefined;
  let a2: Agent | undefined;
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('twoAgents: used before its beforeAll ran');
    return v;
  };
  beforeAll(async () => {
    s = await startTestServer({ shards: 2, longPollMs: 200 });
    a1 = await newAgent(s.url, 'agent1');
    a2 = await newAgent(s.url, 'agent2');
    if (a1Slots > 0) await ready(a1, a1Slots);
  });
  afterAll(async () => {
    await a1?.call('logoff', { forceLogoff: true });
    await a2?.call('logoff', { forceLogoff: true });
    await s?.stop();
  });
  return { get s() { return need(s); }, get a1() { return need(a1); }, get a2() { return need(a2); } };
}

/**
 * `a` takes `n` new customers' chats one after another and posts `body` into each: per chat, its
 * answer's status and `delivered` when the transcript ends with that message, else what it ends
 * with (a Tier-1 notice). A bot sending its canned reply to many chats a minute.
 */
export async function replyToNewChats(base: string, a: Agent, body: string, n: number, site = 'demo', cred: [string, string] = ['demo', 'demo']): Promise<string[]> {
  const got: string[] = [];
  for (let i = 0; i < n; i++) {
    const u = await newConsumer(base, site, { emailAddress: `c${i}@example.com` }, cred);
    await takeOffer(a, u.engagementId);
    const r = await a.call('postMessage', { body, destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
    const msgs = (await transcript(base, u.engagementId)).json.messages as Array<{ kind: string; body: string }>;
    const last = msgs[msgs.length - 1];
    got.push(`${r.status} ${last?.kind === 'message' && last.body === body ? 'delivered' : String(last?.body)}`);
  }
  return got;
}

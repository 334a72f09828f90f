// A post's `messageDataMap` is "object (string → string)" (spec §3.4, §7.6), and its 400 says so
// ("an object of string values"): a value that is not a string is refused 400 INVALID_FIELD naming
// its path (`messageDataMap.a`, or `messageDataMap["a b"]` for a key that is not a plain name),
// for the customer's and the agent's postMessage alike, and the post is not delivered. Before, only
// the map's own type was checked: `{"a":1,"b":{"c":"d"}}` was answered 200. A null value is taken as
// absent, as a null field is (a typed client's unset entry).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, type Res } from './helpers/client.ts';
import { newAgent, ready, takeOffer, type Agent } from './helpers/agent-client.ts';

let s: TestServer;
let a: Agent;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 300 });
  a = await newAgent(s.url, 'agent1');
  await ready(a, 3);
});
afterAll(async () => {
  await a?.call('logoff', { forceLogoff: true });
  await s?.stop();
});

const refusal = (r: Res): string => `${r.status} ${String(r.json?.code)} ${String(r.json?.message)}`;

const BAD: Array<[Record<string, unknown>, string]> = [
  [{ a: 1 }, 'messageDataMap.a'],
  [{ ok: 'fine', b: { c: 'd' } }, 'messageDataMap.b'],
  [{ flag: true }, 'messageDataMap.flag'],
  [{ list: ['x'] }, 'messageDataMap.list'],
  [{ 'order id': 7 }, 'messageDataMap["order id"]'],
];

describe('messageDataMap values', () => {
  it('a customer post with a value that is not a string: 400 INVALID_FIELD naming its path, not delivered', async () => {
    const u = await newConsumer(s.url);
    for (const [map, path] of BAD) {
      expect(refusal(await u.post(`with a map ${path}`, { messageDataMap: map }))).toBe(`400 INVALID_FIELD ${path}: expected a string`);
    }
    const t = await u.post('strings only', { messageDataMap: { a: 'x', 'order id': '7', unset: null } });
    expect(t.status).toBe(200);
    expect((await u.post('no map', { messageDataMap: null })).status).toBe(200);
    expect(refusal(await u.post('a list', { messageDataMap: [1] }))).toBe('400 INVALID_FIELD messageDataMap: expected an object of string values');
  });

  it('an agent post with a value that is not a string: the same 400', async () => {
    const u = await newConsumer(s.url);
    await takeOffer(a, u.engagementId);
    const post = (body: string, map: unknown): Promise<Res> =>
      a.call('postMessage', { body, destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT', messageDataMap: map });
    for (const [map, path] of BAD) expect(refusal(await post(`agent map ${path}`, map))).toBe(`400 INVALID_FIELD ${path}: expected a string`);
    expect((await post('agent strings only', { a: 'x' })).status).toBe(200);
    await u.poll();
    expect(u.seen.filter((m) => m.messageName === 'RNEngagementMessagePostedMessage').map((m) => m.body)).toEqual(['agent strings only']);
  });
});

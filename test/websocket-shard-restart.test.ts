// A shard thread restarts (crashed, hung, out of memory) while WebSockets it feeds are open: their
// subscriptions lived in that thread and died with it. Before, the sockets stayed open and silent
// for good — a client had no reason to reconnect and saw nothing more of its chat (found by a
// shard-crash fuzz: 5 of 8 sockets stopped at 87–192 of ~550 messages). Now they are closed with
// 1012 (Service Restart); resuming with ?after=<last sequence seen> misses nothing and repeats
// nothing. Sockets fed by the other shard stay open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, newConsumer, openWs, sleep, until, type Consumer, type WsClient } from './helpers/client.ts';
import { newAgent } from './helpers/agent-client.ts';
import { homeShardOf, shardOfEngagement } from './helpers/shards.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 2, faultInjection: true, longPollMs: 300, concludeGraceMs: 10_000 });
});
afterAll(async () => s?.stop());

const wsPath = (sessionId: string, after = 0): string => `/engagement/api/consumer/demo/v1/ws?pool=1:1&sessionId=${encodeURIComponent(sessionId)}&after=${after}`;
const crash = (shard: number): Promise<unknown> => call(s.url, 'POST', `/admin/v1/shards/${shard}/fault?mode=exit`, { headers: { authorization: 'Bearer test-admin' } });
const RESTART = { code: 1012, reason: 'service restart: reconnect with ?after=<last sequenceNumber>' };
/** How the socket ended, or 'still open' after 5 s (a silent socket is the failure under test). */
const ending = (w: WsClient): Promise<unknown> => Promise.race([w.closed, sleep(5000).then(() => 'still open')]);

/** A customer on the given shard (others made on the way are concluded). */
async function consumerOn(shard: number): Promise<Consumer> {
  for (;;) {
    const c = await newConsumer(s.url);
    if (shardOfEngagement(c.engagementId, 2) === shard) return c;
    await c.conclude();
  }
}

/** Opens a socket from `after`, retrying while the shard is still recovering (503). */
async function resume(c: Consumer, after: number): Promise<WsClient> {
  for (let i = 0; i < 100; i++) {
    const w = openWs(s.url, wsPath(c.sessionId, after));
    if (await w.opened.then(() => true, () => false)) return w;
    await sleep(50);
  }
  throw new Error('the socket never opened again');
}

describe('WebSockets across a shard restart', () => {
  it('closes a consumer socket with 1012 when its shard restarts; resuming from the last number misses nothing', async () => {
    const c = await consumerOn(0);
    const other = await consumerOn(1);
    const w = openWs(s.url, wsPath(c.sessionId));
    const bystander = openWs(s.url, wsPath(other.sessionId));
    await Promise.all([w.opened, bystander.opened]);
    await c.poll();
    expect(await until(() => w.frames.length === c.seen.length && c.seen.length > 0)).toBe(true);

    await crash(0);
    expect({ close: await ending(w), errors: w.errors }).toEqual({ close: RESTART, errors: [] });
    const last = Math.max(...w.seqs());
    const again = await resume(c, last);
    expect((await c.conclude()).status).toBe(200);
    expect((await again.closed).code).toBe(1000);
    await c.poll();
    // the two sockets together: the whole stream, once, in order, as the long poll got it
    const frames = [...w.frames, ...again.frames];
    expect(frames.map((f) => JSON.stringify(f))).toEqual(c.seen.map((m) => JSON.stringify(m)));

    // the other shard's socket was not touched
    const shut = await Promise.race([bystander.closed, sleep(200).then(() => 'open')]);
    expect(shut).toBe('open');
    bystander.ws.close();
  });

  it('closes an agent socket with 1012 when the tenant home shard restarts', async () => {
    const a = await newAgent(s.url, 'agent1');
    const w = a.ws(0);
    await w.opened;
    await crash(homeShardOf('demo', 2));
    expect({ close: await ending(w), errors: w.errors }).toEqual({ close: RESTART, errors: [] });
  });
});

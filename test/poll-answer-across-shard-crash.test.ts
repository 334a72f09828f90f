// A shard thread handles several port messages in one event-loop turn; its answers leave on the
// port's next flush. A batch that crashes the thread must not take the committed answers of the
// batches before it along: a long poll answered there had its cursor committed past the messages
// it carried, so its client got 503, polled again, and never saw those messages (found by a
// shard-crash fuzz: one consumer per run missed an acknowledged agent message). The earlier
// answers now leave before the next batch runs (workers/shard.ts), and the supervisor takes what
// is still in a dead thread's port before it fails the rest of its requests (the crash could be
// acted on first, and the port closed with those answers in it).
//
// Made deterministic with fault-injection bodies: PARLEY-FAULT-STALL keeps the shard busy 300 ms,
// so the poll and the crashing post queue in its port as two messages and run in one turn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, openWs, sleep, until, type Consumer } from './helpers/client.ts';
import { shardOfEngagement } from './helpers/shards.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 1, faultInjection: true, longPollMs: 300 });
});
afterAll(async () => s?.stop());

/** The whole stream of a session as a fresh WebSocket replays it (the shard's own record). */
async function stream(c: Consumer): Promise<number[]> {
  for (let i = 0; i < 100; i++) {
    const w = openWs(s.url, `/engagement/api/consumer/demo/v1/ws?pool=1:1&sessionId=${encodeURIComponent(c.sessionId)}`);
    if (await w.opened.then(() => true, () => false)) {
      await sleep(200);
      w.ws.close();
      return w.seqs();
    }
    await sleep(50);
  }
  throw new Error('no socket');
}

describe('a poll answered just before its shard crashed', () => {
  it('reaches its client, or its messages come with the next poll', async () => {
    const reader = await newConsumer(s.url); // the queue-position messages wait for its first poll
    const staller = await newConsumer(s.url);
    const victim = await newConsumer(s.url);
    expect(new Set([reader, staller, victim].map((c) => shardOfEngagement(c.engagementId, 1)))).toEqual(new Set([0]));
    const waiting = await stream(reader);
    expect(waiting.length).toBeGreaterThan(0);

    const stall = staller.post('PARLEY-FAULT-STALL please hold');
    await sleep(60); // the shard is busy now: what follows queues in its port
    const poll = reader.poll();
    await sleep(60); // a separate port message
    const boom = victim.post('PARLEY-FAULT-THROW');
    const [, first, crashed] = await Promise.all([stall, poll, boom]);
    expect(crashed.status).toBe(500); // the victim, quarantined
    // answered (200, with the messages) or failed with the crash (503): polled again either way
    expect([200, 503]).toContain(first.status);
    expect(await until(async () => (await reader.poll()).status === 200, 10_000)).toBe(true);
    expect(reader.seen.map((m) => Number(m.sequenceNumber))).toEqual(waiting);
  });
});

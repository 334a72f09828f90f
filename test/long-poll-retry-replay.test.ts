// A long-poll answer lost in transit (spec §5): Oracle's API has no acknowledgement, so the server
// replays the last answered batch to a poll that repeats that poll's correlation id within
// PARLEY_POLL_REPLAY_MS (consumer: clientTransactionId; agent: sequenceNumber). From the server's
// side a lost answer is one it wrote and never heard of again, which is what these clients do when
// they drop an answer on the floor and retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, sleep, type Consumer, type Res } from './helpers/client.ts';
import { OFFER, engOf, newAgent, ready, typeOf, type Entry } from './helpers/agent-client.ts';
import { PollReplay } from '../workers/actor/poll-replay.ts';

const REPLAY_MS = 1500;
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 600, pollReplayMs: REPLAY_MS, concludeGraceMs: 30_000 });
});
afterAll(async () => s?.stop());

const pollWith = (c: Consumer, body: Record<string, unknown>): Promise<Res> =>
  call(s.url, 'POST', cpath('demo', 'getMessages'), { body, headers: { SessionId: c.sessionId } });
const seqs = (r: Res): string[] => (r.json.systemMessages as Array<{ sequenceNumberString: string }>).map((m) => m.sequenceNumberString);

/** A consumer whose first messages are queued and not yet polled (concluding queues several). */
async function withQueued(): Promise<Consumer> {
  const c = await newConsumer(s.url);
  expect((await c.conclude()).status).toBe(200);
  return c;
}

describe('consumer getMessages retried with the same clientTransactionId', () => {
  it('gets the lost batch again, same sequence numbers; the next poll with a new id starts after it', async () => {
    const c = await withQueued();
    const lost = await pollWith(c, { clientTransactionId: 41 });
    expect(lost.status).toBe(200);
    expect(seqs(lost).length).toBeGreaterThan(0);
    const retry = await pollWith(c, { clientTransactionId: 41 });
    expect(retry.status).toBe(200);
    expect(seqs(retry)).toEqual(seqs(lost));
    expect(retry.json.clientTransactionIdString).toBe('41');
    const next = await pollWith(c, { clientTransactionId: 42 });
    expect(seqs(next)).toEqual([]);
  });

  it('without a clientTransactionId, or with a new one, a message is delivered once (at-most-once, as before)', async () => {
    const a = await withQueued();
    const first = await pollWith(a, {});
    expect(seqs(first).length).toBeGreaterThan(0);
    expect(seqs(await pollWith(a, {}))).toEqual([]);
    const b = await withQueued();
    expect(seqs(await pollWith(b, { clientTransactionId: 1 })).length).toBeGreaterThan(0);
    expect(seqs(await pollWith(b, { clientTransactionId: 2 }))).toEqual([]);
  });

  it(`replays nothing once PARLEY_POLL_REPLAY_MS (${REPLAY_MS} ms) has passed since the answer`, async () => {
    const c = await withQueued();
    expect(seqs(await pollWith(c, { clientTransactionId: 7 })).length).toBeGreaterThan(0);
    await sleep(REPLAY_MS + 300);
    expect(seqs(await pollWith(c, { clientTransactionId: 7 }))).toEqual([]);
  });

  it('a client that sends one constant id on every poll reads at most one batch twice, and nothing is lost', async () => {
    const c = await newConsumer(s.url);
    const got: string[] = [];
    const poll = async (): Promise<string[]> => {
      const r = await pollWith(c, { clientTransactionId: 5 });
      expect(r.status).toBe(200);
      got.push(...seqs(r));
      return seqs(r);
    };
    const first = await poll(); // what the new engagement queued, or nothing after a hold
    const second = await poll(); // a replay of `first` when it held something
    if (first.length > 0) expect(second).toEqual(first);
    expect((await c.conclude()).status).toBe(200);
    const afterConclude = await poll();
    expect(afterConclude.length).toBeGreaterThan(0);
    expect(await poll()).toEqual([]); // the session now reads as reusing its id: no second replay
    const distinct = [...new Set(got)].map(Number).sort((x, y) => x - y);
    expect(distinct).toEqual(distinct.map((_, i) => i + 1)); // every message, dense from 1
    expect(got.length - distinct.length).toBeLessThanOrEqual(first.length); // one batch repeated at most
  });

  it('a retry after another poll moved on replays nothing (the older batch is not the last)', async () => {
    const c = await withQueued();
    expect(seqs(await pollWith(c, { clientTransactionId: 90 })).length).toBeGreaterThan(0);
    expect(seqs(await pollWith(c, { clientTransactionId: 91 }))).toEqual([]);
    expect(seqs(await pollWith(c, { clientTransactionId: 90 }))).toEqual([]);
  });
});

describe('agent getMessages retried with the same sequenceNumber', () => {
  it('gets the lost entries again; the next poll with a new number starts after them', async () => {
    const a = await newAgent(s.url, 'agent2');
    await ready(a);
    const c = await newConsumer(s.url);
    const poll = (seq: number): Promise<Res> => a.call('getMessages', { sequenceNumber: seq });
    const offerIn = (r: Res): boolean => (r.json.getResponseTypes as Entry[]).some((e) => typeOf(e) === OFFER && engOf(e) === c.engagementId);
    let lost: Res | undefined;
    for (let i = 0; i < 8 && !lost; i++) {
      const r = await poll(100 + i);
      if (offerIn(r)) lost = r;
    }
    expect(lost).toBeDefined();
    const seq = Number(lost!.json.sequenceNumberString);
    const retry = await poll(seq);
    expect(retry.status).toBe(200);
    expect(retry.json.getResponseTypes).toEqual(lost!.json.getResponseTypes);
    expect(retry.json.sequenceNumberString).toBe(String(seq));
    const next = await poll(seq + 1);
    expect(offerIn(next)).toBe(false);
    expect(await a.call('logoff', {})).toMatchObject({ status: 200 });
  });
});

describe('PollReplay', () => {
  it('never replays with a window of 0 (PARLEY_POLL_REPLAY_MS=0)', () => {
    const r = new PollReplay();
    r.answered('3', 0, 4, 0, 1000);
    expect(r.startFor('3', 4, 1001, 0)).toBe(4);
    expect(r.startFor('3', 4, 1001, 5000)).toBe(0);
  });
});

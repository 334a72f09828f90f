// A long-poll answer lost (spec §5): Oracle's API has no acknowledgement. An answer lost in transit
// is one the server wrote and never heard of again — what these clients do when they drop an
// answer on the floor and retry: the server replays the last answered batch to a poll repeating
// that poll's correlation id within PARLEY_POLL_REPLAY_MS (consumer: clientTransactionId; agent:
// sequenceNumber). An answer the HTTP thread could not write (the client went away while it was
// on its way) is known lost: the next poll gets it, whatever its id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, sleep, until, type Consumer, type Res } from './helpers/client.ts';
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

describe('a poll answer dropped because its client went away while it was on its way', () => {
  it('is given to the next poll, whatever its id (no replay window needed: it was never written)', async () => {
    // PARLEY-FAULT-STALL keeps the one shard busy 300 ms: the conclusion (which answers the parked
    // poll) and then the poll's cancel queue in its port in that order, so the answer is made
    // before the shard hears of the abort and the HTTP thread drops it on arrival
    const f = await startTestServer({ shards: 1, faultInjection: true, longPollMs: 5000, pollReplayMs: 0, concludeGraceMs: 30_000 });
    try {
      const reader = await newConsumer(f.url);
      const staller = await newConsumer(f.url);
      const p = (body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> =>
        fetch(f.url + cpath('demo', 'getMessages'), { method: 'POST', body: JSON.stringify(body), headers: { SessionId: reader.sessionId, 'content-type': 'application/json' }, ...(signal ? { signal } : {}) });
      const numbers = async (r: Promise<Response>): Promise<string[]> =>
        ((await (await r).json()) as { systemMessages: Array<{ sequenceNumberString: string }> }).systemMessages.map((m) => m.sequenceNumberString);
      const seen = await numbers(p({ clientTransactionId: 1 }));
      const ac = new AbortController();
      const parked = p({ clientTransactionId: 2 }, ac.signal).catch(() => 'aborted');
      await sleep(150); // parked on the shard
      const stall = staller.post('PARLEY-FAULT-STALL please hold');
      await sleep(60);
      const conclude = call(f.url, 'POST', cpath('demo', 'concludeEngagement'), { body: {}, headers: { SessionId: reader.sessionId } });
      await sleep(60);
      ac.abort();
      expect(await parked).toBe('aborted');
      expect((await conclude).status).toBe(200);
      await stall;
      let next: string[] = [];
      expect(await until(async () => {
        next = await numbers(p({ clientTransactionId: 3 }));
        return next.length > 0;
      }, 8000)).toBe(true);
      const all = [...seen, ...next].map(Number);
      expect(all).toEqual(all.map((_, i) => i + 1)); // dense: nothing skipped, nothing twice
    } finally {
      await f.stop();
    }
  });
});

describe('PollReplay', () => {
  it('never replays with a window of 0 (PARLEY_POLL_REPLAY_MS=0)', () => {
    const r = new PollReplay();
    r.answered(1, '3', 0, 4, 0, 1000);
    expect(r.startFor('3', 4, 1001, 0)).toBe(4);
    expect(r.startFor('3', 4, 1001, 5000)).toBe(0);
  });

  it('resends a known-lost answer once, to any poll, and only the last answer', () => {
    const r = new PollReplay();
    r.answered(1, undefined, 0, 4, 0, 1000);
    r.answered(2, undefined, 4, 6, 4, 1001);
    r.undelivered(1); // an older answer: the client had it or it is history
    expect(r.startFor(undefined, 6, 1002, 0)).toBe(6);
    r.undelivered(2);
    expect(r.startFor('9', 6, 99_999, 0)).toBe(4);
    r.answered(3, '9', 4, 6, 6, 100_000);
    // a resend is not a retry replay: the same id once more is a retry of it, not evidence of reuse
    expect(r.startFor('9', 6, 100_001, 5000)).toBe(4);
  });
});

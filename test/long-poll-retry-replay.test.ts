// A long-poll answer lost (spec §5): Oracle's API has no acknowledgement. An answer lost in transit
// is one the server wrote and never heard of again — what these clients do when they drop an
// answer on the floor and retry: the server replays the last answered batch to a consumer poll
// repeating that poll's clientTransactionId within PARLEY_POLL_REPLAY_MS, once, for a session seen
// to send a fresh id per request (two polls in a row, no other call between, with different ids).
// Agents get no such replay (their sequenceNumber may count their actions). An answer the HTTP
// thread could not write (the client went away while it was on its way) is known lost: the next
// poll gets it, whatever its id, on both APIs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, metric, newConsumer, sleep, until, type Consumer, type Res } from './helpers/client.ts';
import { OFFER, engOf, newAgent, ready, typeOf, type Entry } from './helpers/agent-client.ts';

const REPLAY_MS = 1500;
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 600, pollReplayMs: REPLAY_MS, concludeGraceMs: 30_000 });
});
afterAll(async () => s?.stop());

const pollWith = (c: Consumer, body: Record<string, unknown>): Promise<Res> =>
  call(s.url, 'POST', cpath('demo', 'getMessages'), { body, headers: { SessionId: c.sessionId } });
const seqs = (r: Res): string[] => (r.json.systemMessages as Array<{ sequenceNumberString: string }>).map((m) => m.sequenceNumberString);

/**
 * A consumer that has polled twice in a row (ids `first` - 1, `first`; no other call between), so
 * it has shown it sends a fresh id per request, and whose conclusion messages now wait for its
 * next poll.
 */
async function withQueued(first: number): Promise<Consumer> {
  const c = await newConsumer(s.url);
  expect((await pollWith(c, { clientTransactionId: first - 1 })).status).toBe(200);
  expect((await pollWith(c, { clientTransactionId: first })).status).toBe(200);
  expect((await c.conclude()).status).toBe(200);
  return c;
}

describe('consumer getMessages retried with the same clientTransactionId', () => {
  it('gets the lost batch again, same sequence numbers, once; the next poll with a new id starts after it', async () => {
    const c = await withQueued(40);
    const lost = await pollWith(c, { clientTransactionId: 41 });
    expect(lost.status).toBe(200);
    expect(seqs(lost).length).toBeGreaterThan(0);
    const retry = await pollWith(c, { clientTransactionId: 41 });
    expect(retry.status).toBe(200);
    expect(seqs(retry)).toEqual(seqs(lost));
    expect(retry.json.clientTransactionIdString).toBe('41');
    expect(seqs(await pollWith(c, { clientTransactionId: 41 }))).toEqual([]); // once in a row at most
    const next = await pollWith(c, { clientTransactionId: 42 });
    expect(seqs(next)).toEqual([]);
    // counted for operators (the shards report once a second)
    expect(await until(async () => (await metric(s.url, 'parley_poll_replays_total{api="consumer",reason="retry"}')) >= 1, 5000)).toBe(true);
  });

  it('without a clientTransactionId, or with a new one, a message is delivered once (at-most-once, as before)', async () => {
    const a = await newConsumer(s.url);
    await pollWith(a, {});
    expect((await a.conclude()).status).toBe(200);
    expect(seqs(await pollWith(a, {})).length).toBeGreaterThan(0);
    expect(seqs(await pollWith(a, {}))).toEqual([]);
    const b = await withQueued(2);
    expect(seqs(await pollWith(b, { clientTransactionId: 3 })).length).toBeGreaterThan(0);
    expect(seqs(await pollWith(b, { clientTransactionId: 4 }))).toEqual([]);
  });

  it(`replays nothing once PARLEY_POLL_REPLAY_MS (${REPLAY_MS} ms) has passed since the answer`, async () => {
    const c = await withQueued(6);
    expect(seqs(await pollWith(c, { clientTransactionId: 7 })).length).toBeGreaterThan(0);
    await sleep(REPLAY_MS + 300);
    expect(seqs(await pollWith(c, { clientTransactionId: 7 }))).toEqual([]);
  });

  it('a client that sends one constant id on every poll is never replayed to: each message once', async () => {
    const c = await newConsumer(s.url);
    const got: string[] = [];
    const poll = async (): Promise<string[]> => {
      const r = await pollWith(c, { clientTransactionId: 5 });
      expect(r.status).toBe(200);
      got.push(...seqs(r));
      return seqs(r);
    };
    await poll(); // what the new engagement queued, or nothing after a hold
    expect((await c.conclude()).status).toBe(200);
    expect((await poll()).length).toBeGreaterThan(0);
    expect(await poll()).toEqual([]);
    expect(got).toEqual(got.map((_, i) => String(i + 1))); // every message once, dense from 1
  });

  it('a client whose id changed only across its own call (a post, a conclude) is not replayed to: each message once', async () => {
    const c = await newConsumer(s.url);
    expect((await pollWith(c, { clientTransactionId: 1 })).status).toBe(200);
    expect((await c.conclude()).status).toBe(200); // its action bumps its id
    const got = seqs(await pollWith(c, { clientTransactionId: 2 }));
    expect(got.length).toBeGreaterThan(0);
    expect(seqs(await pollWith(c, { clientTransactionId: 2 }))).toEqual([]);
  });

  it('a retry after another poll moved on replays nothing (the older batch is not the last)', async () => {
    const c = await withQueued(89);
    expect(seqs(await pollWith(c, { clientTransactionId: 90 })).length).toBeGreaterThan(0);
    expect(seqs(await pollWith(c, { clientTransactionId: 91 }))).toEqual([]);
    expect(seqs(await pollWith(c, { clientTransactionId: 90 }))).toEqual([]);
  });
});

describe('agent getMessages repeating its sequenceNumber', () => {
  it('is not taken for a retry: each entry once, as from Oracle (a bot may count its actions in it)', async () => {
    const a = await newAgent(s.url, 'agent2');
    await ready(a);
    const poll = (seq: number): Promise<Res> => a.call('getMessages', { sequenceNumber: seq });
    expect((await poll(99)).status).toBe(200); // fresh ids per poll, no call between: a consumer would be replayed to
    const c = await newConsumer(s.url);
    const offerIn = (r: Res): boolean => (r.json.getResponseTypes as Entry[]).some((e) => typeOf(e) === OFFER && engOf(e) === c.engagementId);
    let got: Res | undefined;
    for (let i = 0; i < 8 && !got; i++) {
      const r = await poll(100 + i);
      if (offerIn(r)) got = r;
    }
    expect(got).toBeDefined();
    const seq = Number(got!.json.sequenceNumberString);
    const again = await poll(seq);
    expect(again.status).toBe(200);
    expect(offerIn(again)).toBe(false);
    expect(again.json.sequenceNumberString).toBe(String(seq));
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
      expect(await until(async () => (await metric(f.url, 'parley_poll_replays_total{api="consumer",reason="undelivered"}')) === 1, 5000)).toBe(true);
    } finally {
      await f.stop();
    }
  });
});


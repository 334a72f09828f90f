// getMessages long-poll contract (spec §5) with a short PARLEY_LONG_POLL_MS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, sleep } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 1200, concludeGraceMs: 500 });
});
afterAll(async () => s?.stop());

describe('getMessages long poll', () => {
  it('holds an empty poll for about PARLEY_LONG_POLL_MS, then answers 200 with an empty array', async () => {
    const c = await newConsumer(s.url);
    await c.poll(); // drain anything queued at start
    const t0 = Date.now();
    const r = await c.poll();
    const held = Date.now() - t0;
    expect(r.status).toBe(200);
    expect(r.json.systemMessages).toEqual([]);
    expect(r.json.errorMessages).toEqual([]);
    expect(held).toBeGreaterThanOrEqual(1100);
    expect(held).toBeLessThan(4000);
  });

  it('answers at once when a message arrives for a parked poll', async () => {
    const c = await newConsumer(s.url);
    await c.poll();
    const t0 = Date.now();
    const pending = c.poll();
    await sleep(150);
    await c.conclude(); // produces RNEngagementConcludedMessage for the consumer
    const r = await pending;
    expect(Date.now() - t0).toBeLessThan(1100);
    expect(r.json.systemMessages.map((m: { messageName: string }) => m.messageName)).toContain('RNEngagementConcludedMessage');
  });

  it('answers immediately when messages are already queued', async () => {
    const c = await newConsumer(s.url);
    await c.conclude();
    const t0 = Date.now();
    const r = await c.poll();
    expect(Date.now() - t0).toBeLessThan(500);
    expect(r.json.systemMessages.length).toBeGreaterThan(0);
  });

  it('releases the older poll at once, empty, when a second poll arrives for the same session', async () => {
    const c = await newConsumer(s.url);
    await c.poll();
    const t0 = Date.now();
    let firstDone = 0;
    const first = c.poll().then((r) => {
      firstDone = Date.now() - t0;
      return r;
    });
    await sleep(200);
    const second = c.poll();
    const r1 = await first;
    expect(r1.status).toBe(200);
    expect(r1.json.systemMessages).toEqual([]);
    expect(firstDone).toBeLessThan(900);
    const r2 = await second;
    expect(r2.status).toBe(200);
  });

  it('delivers each message to exactly one poll, in sequence order, with dense sequence numbers', async () => {
    const c = await newConsumer(s.url);
    await c.conclude();
    await c.poll();
    const seqs = c.seen.map((m) => Number(m.sequenceNumber));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const again = await c.poll();
    expect(again.json.systemMessages).toEqual([]);
  });
});

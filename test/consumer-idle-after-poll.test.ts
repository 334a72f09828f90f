// PARLEY_CONSUMER_IDLE_MS counts from the consumer's last contact, and a parked long poll is
// contact until it is answered. The idle sweep saw a parked poll only at its ticks, so the limit
// ran from the last tick during the park (or from the poll's start): a consumer silent for less
// than the limit after its poll's answer could find the chat concluded (explorer: 12 of 12 runs
// concluded 2.07–2.81 s after the answer with a 3 s limit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, sleep } from './helpers/client.ts';

const IDLE_MS = 3000;
const GRACE_MS = 2000; // the sweep runs every min(grace, idle) / 2 = 1 s: ticks during each park
const LONG_POLL_MS = 2000;
const SILENT_AFTER_ANSWER_MS = 2600; // under the limit, with room for a busy machine

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 1, consumerIdleMs: IDLE_MS, longPollMs: LONG_POLL_MS, concludeGraceMs: GRACE_MS });
});
afterAll(async () => s?.stop());

describe('idle expiry after a parked poll', () => {
  it('counts the limit from the poll’s answer, whatever the sweep’s phase', async () => {
    // six consumers a sixth of a sweep apart, so their polls end at every phase of the sweep
    const posts = await Promise.all([0, 1, 2, 3, 4, 5].map(async (k) => {
      await sleep(k * 170);
      const u = await newConsumer(s.url);
      await u.poll(); // the queue's wait information: answered at once
      const t0 = Date.now();
      const p = await u.poll(); // parked, answered empty after LONG_POLL_MS
      expect(p.status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThan(LONG_POLL_MS / 2); // it was parked
      await sleep(SILENT_AFTER_ANSWER_MS);
      return u.post(`still here, customer ${k}`);
    }));
    expect(posts.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });
});

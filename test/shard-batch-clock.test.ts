// The shard reads the clock once per mailbox batch for the per-post path (ShardState.beginBatch):
// a post's time and its reply's serviceFinishTime are that batch's reading — never one left over
// from an earlier batch, never before the HTTP thread received the request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, sleep } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.stop());

describe('per-batch clock', () => {
  it('each post is timed by its own batch: finish times move on with the wall clock and never precede the start', async () => {
    const c = await newConsumer(s.url);
    const finishes: string[] = [];
    for (const body of ['first question', 'second question', 'third question']) {
      const r = await c.post(body);
      expect(r.status).toBe(200);
      const start = r.json.serviceStartTime as string;
      const finish = r.json.serviceFinishTime as string;
      expect(finish).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(finish >= start).toBe(true);
      finishes.push(finish);
      await sleep(1100); // the times have seconds precision
    }
    expect(new Set(finishes).size).toBe(3);
    expect([...finishes].sort()).toEqual(finishes);
  });
});

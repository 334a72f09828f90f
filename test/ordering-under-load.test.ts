// Messages of one engagement keep their order under concurrent load from many engagements on
// every shard: same key → same shard → one mailbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, transcript } from './helpers/client.ts';
import { shardOfEngagement } from './helpers/shards.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 2 });
});
afterAll(async () => s?.stop());

const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

describe('per-engagement order', () => {
  it('keeps 80 engagements × 8 concurrent posts in order across all shards', async () => {
    const cs = await Promise.all(Array.from({ length: 80 }, () => newConsumer(s.url)));
    const shardsUsed = new Set(cs.map((c) => shardOfEngagement(c.engagementId, 2)));
    expect(shardsUsed.size).toBe(2);
    const statuses = await Promise.all(
      cs.map(async (c, i) => {
        const st: number[] = [];
        for (let k = 0; k < words.length; k++) st.push((await c.post(`engagement ${i} says ${words[k]} now`)).status);
        return st;
      }),
    );
    expect(statuses.flat().filter((x) => x !== 200)).toEqual([]);
    for (let i = 0; i < cs.length; i++) {
      const t = await transcript(s.url, cs[i]!.engagementId);
      const bodies = t.json.messages.map((m: { body: string }) => m.body);
      expect(bodies).toEqual(words.map((w) => `engagement ${i} says ${w} now`));
      expect(t.json.messages.map((m: { sequenceNumber: number }) => m.sequenceNumber)).toEqual(words.map((_, k) => k + 1));
    }
  });
});

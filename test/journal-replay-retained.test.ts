// A restart replays the journal but builds only what is still needed: an engagement concluded
// before the eviction horizon (grace + 5 s) is dropped at its conclusion without being rebuilt,
// one created before the horizon and still open is rebuilt once the replay knows it stays, one
// created after it as its events come (shard-state.ts recover()). Each must come back as it was:
// the open ones keep their messages, sequence and Tier-1 strikes; the dropped one stays readable
// from the journal.
import { describe, expect, it } from 'vitest';
import { startTestServer } from './helpers/server.ts';
import { call, cpath, metric, newConsumer, sleep, transcript, until, type Consumer, type Res } from './helpers/client.ts';

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
// the consumers were made against the first process; their sessions go to the restarted one
const postTo = (base: string, c: Consumer, body: string): Promise<Res> => call(base, 'POST', cpath('demo', 'postMessage'), { body: { body }, headers: { SessionId: c.sessionId } });
const bodies = (t: { json: { messages: Array<{ kind: string; body: string }> } }): string[] =>
  t.json.messages.filter((m) => m.kind === 'message').map((m) => m.body);

describe('journal replay on restart', () => {
  it('rebuilds the open engagements, strikes included, and leaves the long-concluded one in the journal only', async () => {
    const opts = { shards: 1, concludeGraceMs: 0, longPollMs: 500 };
    const first = await startTestServer(opts);
    const done = await newConsumer(first.url);
    expect((await done.post('a question answered long ago')).status).toBe(200);
    expect((await done.conclude()).status).toBe(200);
    const older = await newConsumer(first.url);
    expect((await older.post('still waiting for my parcel')).status).toBe(200);
    // two blocked posts: two strikes for this sender, journaled
    expect((await older.post(`one ${CANARY}`)).status).toBe(200);
    expect((await older.post(`two ${CANARY}`)).status).toBe(200);
    await sleep(5_500); // both now before the replay's horizon (grace 0 + 5 s)
    const newer = await newConsumer(first.url);
    expect((await newer.post('just arrived with a question')).status).toBe(200);
    await first.stop();

    const s = await startTestServer({ ...opts, dataDir: first.dataDir, configDir: first.configDir });
    try {
      expect(await until(async () => (await metric(s.url, 'parley_engagements_in_memory{shard="0"}')) === 2, 5000)).toBe(true);
      expect(bodies(await transcript(s.url, done.engagementId))).toEqual(['a question answered long ago']);

      expect((await postTo(s.url, older, 'any news about it?')).status).toBe(200);
      expect(bodies(await transcript(s.url, older.engagementId))).toEqual(['still waiting for my parcel', 'any news about it?']);
      // the third strike within 10 minutes terminates: the two before the restart were restored
      const third = await postTo(s.url, older, `three ${CANARY}`);
      expect(third.status).toBe(409);
      expect(third.json.code).toBe('ENGAGEMENT_TERMINATED');

      expect((await postTo(s.url, newer, 'and a follow-up')).status).toBe(200);
      expect(bodies(await transcript(s.url, newer.engagementId))).toEqual(['just arrived with a question', 'and a follow-up']);
      // its stream goes on numbered where the replay left it: 1, 2, … with no gap and no repeat
      // (consumer posts are not echoed to their sender; what it sees here are queue updates)
      const r = await call(s.url, 'POST', cpath('demo', 'getMessages'), { body: {}, headers: { SessionId: newer.sessionId } });
      expect(r.status).toBe(200);
      const seqs = (r.json.systemMessages as Array<Record<string, unknown>>).map((m) => Number(m.sequenceNumber));
      expect(seqs.length).toBeGreaterThan(0);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    } finally {
      await s.stop();
    }
  }, 60_000);
});

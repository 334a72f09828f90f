// Queue positions across a restart. Before: the recovering home shard re-told every waiting
// consumer its position (one journaled RNEngagementWaitInformationChangedMessage each — 100,000 per
// restart with 100,000 waiting). Now the engagement's shard re-announces the position it last
// journaled and only positions that moved are sent, under the usual rule.
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { newConsumer, type Consumer } from './helpers/client.ts';

const WAIT = 'RNEngagementWaitInformationChangedMessage';
let s: TestServer | undefined;
afterAll(async () => s?.stop());

const positions = (c: Consumer): number[] => c.seen.filter((m) => m.messageName === WAIT).map((m) => Number(m.position));

describe('queue positions across a restart', () => {
  it('are not sent again when they did not move, and are sent when they moved', async () => {
    const dataDir = tempDir('qpos');
    const opts = { dataDir, shards: 2, longPollMs: 300 };
    s = await startTestServer(opts);
    const cs: Consumer[] = [];
    for (let i = 0; i < 6; i++) cs.push(await newConsumer(s.url));
    for (const c of cs) await c.poll();
    expect(cs.map((c) => positions(c).at(-1))).toEqual([1, 2, 3, 4, 5, 6]);
    const port = s.port; // the consumers' clients keep their base URL
    await s.stop();

    // each poll below is held 1.5 s for anything new: the recovery's re-tells (before) were sent
    // within milliseconds of the restart
    s = await startTestServer({ ...opts, port, longPollMs: 1500 });
    // the same sessions: nothing moved, so nothing new (before: each one was told its position again)
    const before = cs.map((c) => positions(c).length);
    await Promise.all(cs.map((c) => c.poll()));
    expect(cs.map((c) => positions(c).length)).toEqual(before);

    // the first leaves: the next three move into the last steps and are told (rule: position ≤ 3)
    expect((await cs[0]!.conclude()).status).toBe(200);
    for (const c of cs.slice(1, 4)) for (let i = 0; i < 5 && positions(c).length === before[cs.indexOf(c)]; i++) await c.poll();
    expect(cs.slice(1, 4).map((c) => positions(c).at(-1))).toEqual([1, 2, 3]);
  }, 60_000);
});

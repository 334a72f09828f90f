// Nothing acknowledged is ever lost: drive many engagements with a sequence checker, SIGKILL the
// server at random points several times, restart on the same data dir, and prove zero lost, zero
// duplicated, no gaps — on the transcript, on long poll and on WebSocket — and that sessions survive.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { call, cpath, newConsumer, openWs, sleep, transcript, type Consumer } from './helpers/client.ts';

const dataDir = tempDir('kill9');
let srv: ServerProcess | undefined;
afterAll(() => srv?.child.kill('SIGKILL'));

const env = { PARLEY_DATA_DIR: dataDir, PARLEY_LONG_POLL_MS: '300', PARLEY_CONCLUDE_GRACE_MS: '60000', PARLEY_LOG_LEVEL: 'warn' };
const words = (k: number): string => `${String.fromCharCode(97 + (k % 26))}${String.fromCharCode(97 + Math.floor(k / 26) % 26)}`;
const text = (i: number, k: number): string => `durable ${i} ${words(k)} message zq`;

describe('kill -9 durability', () => {
  it('loses and duplicates nothing acknowledged across three SIGKILLs; sessions, long polls and WebSockets resume', async () => {
    srv = await spawnServer(env);
    let base = srv.url;
    const us: Consumer[] = [];
    const acked: number[][] = [];
    const tried: Array<Set<number>> = [];
    const nextK: number[] = [];
    for (let cycle = 0; cycle < 3; cycle++) {
      for (const c of await Promise.all(Array.from({ length: 16 }, () => newConsumer(base)))) {
        us.push(c);
        acked.push([]);
        tried.push(new Set());
        nextK.push(0);
      }
      let stop = false;
      const loops = us.map(async (u, i) => {
        // 1 post per ~400 ms per sender keeps inside RATE_BURST (10 burst, 1 per 3 s) for a few seconds
        for (let n = 0; !stop && n < 8; n++) {
          const k = nextK[i]!++;
          tried[i]!.add(k);
          let r;
          try {
            r = await call(base, 'POST', cpath('demo', 'postMessage'), { body: { body: text(i, k), messageId: `m-${i}-${k}` }, headers: { SessionId: u.sessionId } });
          } catch {
            return;
          }
          if (r.status === 200) acked[i]!.push(k);
          else if (r.status >= 500) return;
          await sleep(300 + Math.random() * 200);
        }
      });
      await sleep(500 + Math.random() * 1200);
      srv.child.kill('SIGKILL');
      await srv.exited;
      stop = true;
      await Promise.allSettled(loops);
      srv = await spawnServer(env);
      base = srv.url;
    }
    const totalAcked = acked.reduce((a, l) => a + l.length, 0);
    expect(totalAcked).toBeGreaterThan(50);
    // every acknowledged message is there once, in order; unacknowledged ones at most once
    for (let i = 0; i < us.length; i++) {
      const t = await transcript(base, us[i]!.engagementId);
      expect(t.status).toBe(200);
      const bodies: string[] = t.json.messages.map((m: { body: string }) => m.body);
      const seqs: number[] = t.json.messages.map((m: { sequenceNumber: number }) => m.sequenceNumber);
      expect(seqs).toEqual(seqs.map((_, j) => j + 1)); // no gaps
      for (const k of tried[i]!) expect(bodies.filter((b) => b === text(i, k)).length).toBeLessThanOrEqual(1);
      const positions = acked[i]!.map((k) => bodies.indexOf(text(i, k)));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    // the same sessions still work after the restarts
    const probe = us[0]!;
    expect((await call(base, 'POST', cpath('demo', 'postMessage'), { body: { body: 'still here after three crashes' }, headers: { SessionId: probe.sessionId } })).status).toBe(200);
    // a client retry of an acknowledged message (same messageId) is recognised, not stored twice
    const k0 = acked[0]![0]!;
    await call(base, 'POST', cpath('demo', 'postMessage'), { body: { body: text(0, k0), messageId: `m-0-${k0}` }, headers: { SessionId: probe.sessionId } });
    const t0 = await transcript(base, probe.engagementId);
    expect(t0.json.messages.filter((m: { body: string }) => m.body === text(0, k0))).toHaveLength(1);
    // long poll and WebSocket resume after the last sequence seen, across a restart
    const c = us[1]!;
    await call(base, 'POST', cpath('demo', 'concludeEngagement'), { body: {}, headers: { SessionId: c.sessionId } });
    const firstPoll = await call(base, 'POST', cpath('demo', 'getMessages'), { body: {}, headers: { SessionId: c.sessionId } });
    const seen = firstPoll.json.systemMessages.map((m: { sequenceNumber: number }) => m.sequenceNumber);
    expect(seen.length).toBeGreaterThan(0);
    srv.child.kill('SIGKILL');
    await srv.exited;
    srv = await spawnServer(env);
    base = srv.url;
    const again = await call(base, 'POST', cpath('demo', 'getMessages'), { body: {}, headers: { SessionId: c.sessionId } });
    expect(again.status).toBe(200);
    expect(again.json.systemMessages).toEqual([]); // delivered before the crash: not delivered twice
    const w = openWs(base, `/engagement/api/consumer/demo/v1/ws?sessionId=${c.sessionId}&after=0`);
    await w.closed;
    expect(w.seqs()).toEqual(seen);
  }, 180_000);
});

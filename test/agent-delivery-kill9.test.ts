// No acknowledged consumer message is lost on its way to the agent: consumers post while an agent
// polls (and follows its WebSocket), the server is SIGKILLed at random points and restarted on the
// same data dir, and in the end the agent's ChatPostMessage bodies per engagement are exactly the
// acknowledged consumer messages, in order, with no duplicates (the E → H window of a delivery is
// closed by per-engagement agentSeq numbers, re-sent after recovery and dedup'd on the home shard).
//
// The WebSocket (resumed with ?after=<last seq>) is the record of what the inbox holds: a long poll
// answered just before the kill may be lost by the client (its cursor moved), which is the poll's
// contract, not a lost delivery. The polls are checked for duplicates only.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { call, cpath, newConsumer, sleep, until, type Consumer, type WsClient } from './helpers/client.ts';
import { accept, agentFor, engOf, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, word, type Agent, type Entry } from './helpers/agent-client.ts';

let srv: ServerProcess | undefined;
afterAll(() => {
  srv?.child.kill('SIGKILL');
});

const env = (dataDir: string): Record<string, string> => ({
  PARLEY_DATA_DIR: dataDir, PARLEY_LONG_POLL_MS: '300', PARLEY_OFFER_TIMEOUT_MS: '60000', PARLEY_CONCLUDE_GRACE_MS: '60000', PARLEY_LOG_LEVEL: 'warn',
});
const CONSUMERS = 16;
const KILLS = 3;
// distinct words per consumer and per message (Tier-1 masks digits); at most 7 posts per sender
// over the whole test, ≥ 250 ms apart, stays inside RATE_BURST (burst 10, 1 per 3 s)
const text = (i: number, k: number): string => `note ${word(i)} ${word(40 + k)} about my order ${word(90 + i * 8 + k)}`;

interface Post {
  k: number;
  body: string;
  messageId: string;
  /** 'ok': acknowledged; 'unknown': the connection died or the shard was down — retried later */
  state: 'ok' | 'unknown';
}

describe('agent delivery across kill -9', () => {
  it('delivers every acknowledged consumer message to the agent exactly once, in order', async () => {
    const dataDir = tempDir('agent-kill9');
    srv = await spawnServer(env(dataDir));
    let base = srv.url;
    const first = await newAgent(base, 'agent1');
    await ready(first, CONSUMERS);
    const us: Consumer[] = [];
    for (let i = 0; i < CONSUMERS; i++) {
      const u = await newConsumer(base);
      expect(await waitEntry(first, isOfferOf(u.engagementId), 20)).toBeDefined();
      expect((await accept(first, u.engagementId)).status).toBe(200);
      us.push(u);
    }
    const posts: Post[][] = us.map(() => []);
    // everything the WebSocket delivered, by inbox sequence number (resume makes overlaps possible)
    const bySeq = new Map<number, Entry>();
    const polled: Entry[] = [];
    let lastSeq = 0;
    // a kill right as an acknowledgement arrives lands inside the E → H window most often
    let acks = 0;
    let killAt = 0;
    let kill: (() => void) | undefined;

    const post = async (i: number, p: Post): Promise<void> => {
      try {
        const r = await call(base, 'POST', cpath('demo', 'postMessage'), { body: { body: p.body, messageId: p.messageId }, headers: { SessionId: (us[i] as Consumer).sessionId } });
        if (r.status === 200) {
          p.state = 'ok';
          if (++acks === killAt) kill?.();
        }
        else if (r.status < 500) throw new Error(`post ${p.messageId}: ${r.status} ${r.text}`);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('post ')) throw e;
      }
    };
    const follow = (a: Agent): WsClient => {
      const ws = a.ws(lastSeq);
      ws.ws.on('message', (d) => {
        const v = JSON.parse(String(d)) as { getResponseTypes?: Entry[] };
        for (const e of v.getResponseTypes ?? []) {
          const seq = Number(inner(e).sequenceNumber);
          if (!Number.isSafeInteger(seq)) continue;
          const had = bySeq.get(seq);
          if (had) expect(had).toEqual(e); // a resumed socket may repeat a sequence number, never change it
          bySeq.set(seq, e);
          lastSeq = Math.max(lastSeq, seq);
        }
      });
      return ws;
    };

    let agent = first;
    for (let round = 0; round <= KILLS; round++) {
      const ws = follow(agent);
      await ws.opened.catch(() => undefined);
      let stop = false;
      const poller = (async () => {
        while (!stop) {
          try {
            const r = await agent.call('getMessages', {});
            if (r.status === 200) polled.push(...(r.json.getResponseTypes as Entry[]).filter((e) => typeOf(e) !== 'ChatGetTimeout'));
          } catch {
            return;
          }
        }
      })();
      // resolve what the last kill left unknown (same messageId: stored at most once), then post more
      const loops = us.map(async (_u, i) => {
        const mine = posts[i] as Post[];
        for (const p of mine) if (p.state === 'unknown') await post(i, p);
        if (mine.some((p) => p.state === 'unknown')) return;
        for (let n = 0; n < (round === KILLS ? 1 : 2) && !stop; n++) {
          const k = mine.length;
          const p: Post = { k, body: text(i, k), messageId: `kd-${i}-${k}`, state: 'unknown' };
          mine.push(p);
          await post(i, p);
          if (p.state !== 'ok') return;
          await sleep(250 + Math.random() * 200);
        }
      });
      if (round === KILLS) {
        await Promise.all(loops);
        stop = true;
        await poller;
        // every post resolved: the agent must end up with exactly the acknowledged ones
        expect(posts.flat().filter((p) => p.state === 'unknown')).toEqual([]);
        const want = posts.flat().length;
        await until(() => [...bySeq.values()].filter((e) => typeOf(e) === 'ChatPostMessage' && inner(e).senderType === 'END_USER').length >= want, 10_000);
        ws.ws.close();
        break;
      }
      const victim = srv;
      await new Promise<void>((done) => {
        kill = (): void => {
          kill = undefined;
          victim.child.kill('SIGKILL');
          done();
        };
        // every other round: on the k-th acknowledgement; otherwise (and as a fallback) at a random time
        acks = 0;
        killAt = round % 2 === 0 ? 1 + Math.floor(Math.random() * CONSUMERS) : 0;
        setTimeout(() => kill?.(), 150 + Math.random() * 900);
      });
      await victim.exited;
      stop = true;
      await Promise.allSettled([...loops, poller]);
      srv = await spawnServer(env(dataDir));
      base = srv.url;
      agent = agentFor(base, 'demo', first.sessionId, first.accountId, first.clientId);
    }

    const stream = [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
    const acked = posts.flat().filter((p) => p.state === 'ok').length;
    expect(acked).toBeGreaterThan(CONSUMERS * 3);
    for (let i = 0; i < us.length; i++) {
      const u = us[i] as Consumer;
      const got = stream
        .filter((e) => typeOf(e) === 'ChatPostMessage' && engOf(e) === u.engagementId && inner(e).senderType === 'END_USER')
        .map((e) => String(inner(e).body));
      expect(got, `engagement ${u.engagementId}`).toEqual((posts[i] as Post[]).filter((p) => p.state === 'ok').map((p) => p.body));
    }
    // the inbox is dense (no gap a lost delivery would leave) and the polls never saw an entry twice
    const seqs = [...bySeq.keys()].sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, j) => (seqs[0] as number) + j));
    const polledSeqs = polled.map((e) => Number(inner(e).sequenceNumber));
    expect(new Set(polledSeqs).size).toBe(polledSeqs.length);
    for (const e of polled) expect(bySeq.get(Number(inner(e).sequenceNumber))).toEqual(e);
  }, 180_000);
});

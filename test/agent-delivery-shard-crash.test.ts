// No acknowledged consumer message is lost on its way to the agent when only the tenant's home
// shard thread (H) crashes: the process lives, the supervisor restarts H, and the engagements' own
// shard (E ≠ H) never restarts. Deliveries E had sent but H had not committed are re-sent from
// E's live tail when H is ready again; H appends only the next number of each engagement, so the
// agent's ChatPostMessage bodies per engagement are exactly the acknowledged posts, in order, once.
//
// The agent never long-polls during the posts (its cursor stays put, nothing is pruned), and the
// inbox is read at the end through a WebSocket from ?after=0: the inbox as H holds it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, sleep, until, type Consumer } from './helpers/client.ts';
import { accept, engOf, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, word, type Agent, type Entry } from './helpers/agent-client.ts';
import { homeShardOf, shardOfEngagement } from './helpers/shards.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 2, faultInjection: true, longPollMs: 300, offerTimeoutMs: 60_000, concludeGraceMs: 60_000 });
});
afterAll(async () => s?.stop());

const HOME = homeShardOf('demo', 2);
const shardOf = (c: Consumer): number => shardOfEngagement(c.engagementId, 2);
const CONSUMERS = 8;
const CRASHES = 3;
// per sender: 2 posts per round × (CRASHES + 1) rounds = 8 messages over ≥ 6 s, inside RATE_BURST
// (burst 10, 1 token per 3 s); texts differ in words (Tier-1 masks digits)
const PER_ROUND = 2;
const text = (i: number, k: number): string => `note ${word(i)} ${word(40 + k)} about my parcel ${word(90 + i * 8 + k)}`;

interface Post {
  body: string;
  messageId: string;
  state: 'ok' | 'unknown';
}

const fault = (n: number): Promise<unknown> => call(s.url, 'POST', `/admin/v1/shards/${n}/fault?mode=exit`, { headers: { authorization: 'Bearer test-admin' } });

/** Everything the agent's inbox holds, read through a fresh WebSocket from the start. */
async function inbox(a: Agent): Promise<Entry[]> {
  const ws = a.ws(0);
  const got: Entry[] = [];
  ws.ws.on('message', (d) => {
    const v = JSON.parse(String(d)) as { getResponseTypes?: Entry[] };
    got.push(...(v.getResponseTypes ?? []));
  });
  const ok = await ws.opened.then(() => true, () => false);
  if (ok) await sleep(400);
  ws.ws.close();
  return got;
}

describe('agent delivery across a home-shard thread crash', () => {
  it('delivers every acknowledged consumer message exactly once, in order, although H crashed with deliveries in flight', async () => {
    const agent = await newAgent(s.url, 'agent1');
    await ready(agent, CONSUMERS);
    const us: Consumer[] = [];
    while (us.length < CONSUMERS) {
      const u = await newConsumer(s.url);
      // an engagement on H itself is not the case under test: end it so it holds no offer
      if (shardOf(u) === HOME) {
        await u.conclude();
        continue;
      }
      expect(await waitEntry(agent, isOfferOf(u.engagementId), 20)).toBeDefined();
      expect((await accept(agent, u.engagementId)).status).toBe(200);
      us.push(u);
    }
    const posts: Post[][] = us.map(() => []);
    const post = async (i: number, p: Post): Promise<void> => {
      const r = await call(s.url, 'POST', cpath('demo', 'postMessage'), { body: { body: p.body, messageId: p.messageId }, headers: { SessionId: (us[i] as Consumer).sessionId } }).catch(() => undefined);
      if (r?.status === 200) p.state = 'ok';
      else if (r && r.status < 500) throw new Error(`post ${p.messageId}: ${r.status} ${r.text}`);
    };

    for (let round = 0; round <= CRASHES; round++) {
      // every consumer posts at once; H is crashed on the first acknowledgement of the round, so the
      // deliveries of the other acknowledgements are on their way to H (or in its port) as it dies
      let crash: (() => void) | undefined = round < CRASHES ? () => void fault(HOME) : undefined;
      await Promise.all(us.map(async (_u, i) => {
        const mine = posts[i] as Post[];
        for (let n = 0; n < PER_ROUND; n++) {
          const k = mine.length;
          const p: Post = { body: text(i, k), messageId: `sc-${i}-${k}`, state: 'unknown' };
          mine.push(p);
          await post(i, p);
          if (p.state === 'ok' && crash) {
            const c = crash;
            crash = undefined;
            c();
          }
          await sleep(20 + Math.random() * 60);
        }
      }));
      // H back (its agent session answers again) before the next round
      expect(await until(async () => (await agent.call('setActivityStatus', { status: 'AVAILABLE', subTypeId: 0 })).status === 200, 20_000)).toBe(true);
      await sleep(200);
    }
    // a post refused while a shard restarted is retried with its messageId (stored at most once)
    for (let i = 0; i < us.length; i++) for (const p of posts[i] as Post[]) if (p.state === 'unknown') await post(i, p);
    expect(posts.flat().filter((p) => p.state !== 'ok')).toEqual([]);

    const want = us.map((_u, i) => (posts[i] as Post[]).map((p) => p.body));
    const gotOf = (entries: Entry[]): string[][] => us.map((u) => entries
      .filter((e) => typeOf(e) === 'ChatPostMessage' && engOf(e) === u.engagementId && inner(e).senderType === 'END_USER' && inner(e).history !== true)
      .map((e) => String(inner(e).body)));
    // poll until the inbox holds what it should (or stays short: the failure shows the gap)
    let got: string[][] = [];
    await until(async () => {
      got = gotOf(await inbox(agent));
      return JSON.stringify(got) === JSON.stringify(want);
    }, 10_000);
    for (let i = 0; i < us.length; i++) expect(got[i], `engagement ${(us[i] as Consumer).engagementId}`).toEqual(want[i]);
  }, 120_000);
});

// The adversarial scenario keeps its one-in-ten share adversarial, and its report says what the
// screen did. Before, the load rotated over a fixed set of 200 adversarial senders, each starting
// at a different text, so within seconds every one was ended and nearly all adversarial posts were
// 409s for ended engagements (11,522 of ~12,300); and blocks answer 200, mixed with allowed posts,
// so the report could show neither blocks nor terminations.
// Now each sender posts its texts in order, as many as the screen takes to end it (computed with
// the benchadv rules), then a fresh one takes over — in both load clients, checked here against a
// recording server — and the report reads Parley's Tier-1 counters before and after the rounds.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adversarialLife } from '../bench/system/adversarial-senders.ts';
import { describeAdversarial, fetchTier1Counts, readTier1Counts, tier1Delta } from '../bench/system/adversarial.ts';
import { adversarialTexts, consumerPostSession, renderSessionFile, renderTextsFile } from '../bench/system/plan.ts';
import { BENCH_ADV_SITE, BENCH_ADV_TIER1, BENCH_ADV_USER, BENCH_PASS, makeTmpRoot, startParley } from '../bench/system/servers.ts';
import { stopServer } from '../bench/system/proc.ts';
import { Api, consumerPath, newEngagement } from '../bench/system/parley-api.ts';
import { runWrk, wrkVersion } from '../bench/system/wrk.ts';

/** wrk is the bench's load client and a test requirement (.ci/run installs it): its paths are not skipped */
function requireWrk(): void {
  if (wrkVersion() === null) throw new Error('wrk not found: install it (apt-get install -y wrk) to run this test');
}
import { runNodeLoad } from '../bench/system/node-load.ts';
import { renderMarkdown } from '../bench/system/report.ts';
import type { BenchReport, ResultRow } from '../bench/system/types.ts';

const tmp = makeTmpRoot();
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('adversarial senders', () => {
  it('each posts as many texts as the benchadv screen takes to end it', async () => {
    const texts = adversarialTexts();
    const life = await adversarialLife(texts, BENCH_ADV_TIER1);
    expect(life).not.toBeNull();
    expect(life!).toBeGreaterThan(1);
    expect(life!).toBeLessThanOrEqual(texts.length);
    // every rule observed only: nothing ends the sender
    expect(await adversarialLife(texts, { mode: 'observe' })).toBeNull();
  });

  /** one connection, so requests arrive in the order the client makes them */
  async function recorded(run: (url: string, sessions: string, ham: string, adv: string) => Promise<unknown>): Promise<Array<{ session: string; body: string }>> {
    const seen: Array<{ session: string; body: string }> = [];
    const srv = http.createServer((req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ session: String(req.headers.sessionid), body: (JSON.parse(b) as { body: string }).body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const dir = fs.mkdtempSync(path.join(tmp, 'rec-'));
    const sessions = path.join(dir, 's.tsv');
    fs.writeFileSync(sessions, renderSessionFile([
      ...Array.from({ length: 20 }, (_, i) => consumerPostSession('bench', '1:1', `h${i}`)),
      ...Array.from({ length: 4 }, (_, i) => consumerPostSession('bench', '1:1', `a${i}`, 'a')),
    ]));
    fs.writeFileSync(path.join(dir, 'ham.txt'), renderTextsFile(['ham one', 'ham two', 'ham three']));
    fs.writeFileSync(path.join(dir, 'adv.txt'), renderTextsFile(['A0', 'A1', 'A2', 'A3', 'A4']));
    try {
      await run(`http://127.0.0.1:${(srv.address() as { port: number }).port}`, sessions, path.join(dir, 'ham.txt'), path.join(dir, 'adv.txt'));
    } finally {
      await new Promise((r) => srv.close(r));
    }
    return seen;
  }

  function expectSequential(seen: Array<{ session: string; body: string }>): void {
    const adv = seen.filter((s) => s.session.startsWith('a'));
    expect(adv.length).toBeGreaterThan(12);
    // a0 posts A0 A1 A2, then a1 does, …, then a0 again (its engagement would be ended by then)
    adv.slice(0, 12).forEach((s, k) => {
      expect(s.session).toBe(`a${Math.floor(k / 3) % 4}`);
    });
    expect(adv.slice(0, 6).map((s) => s.body)).toEqual(['A0', 'A1', 'A2', 'A0', 'A1', 'A2']);
    // one request in ten
    expect(seen.slice(0, 100).filter((s) => s.session.startsWith('a'))).toHaveLength(10);
  }

  it('wrk: each adversarial session posts its life in order, then the next takes over', async () => {
    requireWrk();
    const seen = await recorded((url, sessionsFile, hamFile, advFile) =>
      runWrk({ url, sessionsFile, hamFile, advFile, advEvery: 10, threads: 1, connections: 1, durationS: 1, countStatuses: true, idNonce: null, advLife: 3 }));
    expectSequential(seen);
  });

  // every run started each ham sender at the same texts, so under the adversarial tenant (duplicate
  // rules on) each round's ham posts repeated the warm-up's and were withheld as duplicates
  it.each([['wrk'], ['node']] as const)('%s: a run told how far its senders got goes on from there, repeating no text', async (client) => {
    if (client === 'wrk') requireWrk();
    const run = (textOffset: number) => recorded((url, sessionsFile, hamFile) => client === 'wrk'
      ? runWrk({ url, sessionsFile, hamFile, advFile: null, advEvery: 0, threads: 1, connections: 1, durationS: 1, countStatuses: false, idNonce: null, textOffset })
      : runNodeLoad({ url, sessionsFile, hamFile, advFile: null, advEvery: 0, processes: 1, connections: 1, durationS: 1, rate: 0, warmupS: 0, idNonce: null, textOffset }));
    const firstOf = (seen: Array<{ session: string; body: string }>) => new Map(seen.reverse().map((s) => [s.session, s.body]));
    const a = firstOf(await run(0));
    const b = firstOf(await run(1));
    // three texts: one step on, every sender starts at the text after the one it started with before
    const next = new Map([['ham one', 'ham two'], ['ham two', 'ham three'], ['ham three', 'ham one']]);
    expect(a.size).toBe(20);
    for (const [session, body] of a) expect(b.get(session)).toBe(next.get(body));
  }, 30_000);

  it('Node client: the same', async () => {
    const seen = await recorded((url, sessionsFile, hamFile, advFile) =>
      runNodeLoad({ url, sessionsFile, hamFile, advFile, advEvery: 10, processes: 1, connections: 1, durationS: 1, rate: 0, warmupS: 0, idNonce: null, advLife: 3 }));
    expectSequential(seen);
  }, 30_000);
});

describe('what Tier-1 did, from Parley\'s counters', () => {
  const page = (screened: number, strikes: number, emoji: number, ended: number): string => [
    '# TYPE parley_tier1_screened_total counter',
    `parley_tier1_screened_total{site="benchadv"} ${screened}`,
    'parley_tier1_screened_total{site="other"} 999',
    `parley_tier1_decisions_total{site="benchadv",code="EMOJI_FLOOD",outcome="block",mode="enforce"} ${emoji}`,
    `parley_tier1_decisions_total{site="benchadv",code="STRIKES",outcome="terminate",mode="enforce"} ${strikes}`,
    'parley_tier1_decisions_total{site="benchadv",code="CAPS",outcome="flag",mode="observe"} 5',
    `parley_engagements_ended_total{cause="tier1"} ${ended}`,
    'parley_engagements_ended_total{cause="consumer"} 3',
  ].join('\n');

  it('reads one tenant\'s enforced decisions and the Tier-1 endings, and takes their difference', () => {
    const before = readTier1Counts(page(100, 1, 2, 1), 'benchadv');
    expect(before).toEqual({ screened: 100, decisions: { 'EMOJI_FLOOD:block': 2, 'STRIKES:terminate': 1 }, terminated: 1 });
    const d = tier1Delta(before, readTier1Counts(page(1100, 51, 52, 51), 'benchadv'));
    expect(d).toEqual({ screened: 1000, decisions: { 'EMOJI_FLOOD:block': 50, 'STRIKES:terminate': 50 }, terminated: 50 });
  });

  it('the report says how the adversarial load went and what the screen did', () => {
    const plan = { every: 10, life: 7, texts: 12, poolPerRound: 2858, rounds: 3 };
    const text = describeAdversarial(plan, 300_000, 1_500, { screened: 298_500, decisions: { 'EMOJI_FLOOD:block': 4_000, 'DUP_EXACT:soft': 8_000, 'STRIKES:terminate': 4_100 }, terminated: 4_100 });
    expect(text).toContain('one request in 10 came from an adversarial sender, ~30,000 posts');
    expect(text).toContain('7 of them — the screen ends it at post 7');
    // 5,600 refused: 4,100 posts that ended their sender, 1,500 after
    const text2 = describeAdversarial(plan, 300_000, 5_600, { screened: 298_500, decisions: {}, terminated: 4_100 });
    expect(text2).toContain('5,600 posts were answered 409/403: 4,100 ended their sender, 1,500 came after their sender had been ended');
    expect(text2).toContain('~28,500 (95 %) of the adversarial posts reached the screen');
    expect(text).toContain('298,500 posts screened, **4,100 engagements ended by Tier-1**; rule decisions block 4,000 (EMOJI_FLOOD 4,000); soft 8,000 (DUP_EXACT 8,000); terminate 4,100 (STRIKES 4,100)');
    expect(describeAdversarial(plan, 300_000, 1_500, null)).toContain('could not be read');
    expect(describeAdversarial(plan, 300_000, 1_500, null)).toContain('1,500 posts were answered 409/403 — the post that ended each sender and any later post of an ended sender — so at least ~28,500 (95 %)');
    const row: ResultRow = {
      scenario: 'adversarial', server: 'parley', mode: 'peak', loadClient: 'wrk', connections: 64, durationS: 12, requests: 300_000, reqPerSec: 25_000,
      p50Ms: 2, p90Ms: 3, p99Ms: 6, p999Ms: 9, maxMs: 40, statusCounts: { '200': 298_500, '409': 1_500 }, socketErrors: 0, targetRate: null, cpuPct: 99,
      cpuUsPerReq: 39, rssPeakMb: 280, wsDelivered: 10, wsDeliveredPerSec: 1, wsReceivers: 200, tier1: { screened: 298_500, decisions: {}, terminated: 4_100 },
    };
    const report = {
      generatedAt: 'x', machine: { cpuModel: 'c', cores: 2, node: 'v20', os: 'Linux', totalMemMb: 1, loadClient: 'wrk', uwsNative: true, handOff: null, placement: null },
      params: {}, notes: [], results: [row], idle: null, unavailable: [], ratios: { parleyVsUws: null, parleyVsNodeHttp: null }, adversarial: plan,
      targets: { parleyVsUws: { target: 0.7, value: null, met: null }, parleyVsNodeHttp: { target: 1.4, value: null, met: null }, p99AtHalfPeakMs: { target: 5, value: null, met: null, rate: null, client: null } },
    } satisfies BenchReport;
    expect(renderMarkdown(report)).toContain('**4,100 engagements ended by Tier-1**');
  });

  it('a real Parley: a benchadv sender posting its life is ended, and the counters show it', async () => {
    const srv = await startParley({ shards: 1, journal: false, logLevel: 'warn', tmpRoot: tmp, cpus: null, entry: null });
    const api = new Api(srv.base, 2);
    try {
      const texts = adversarialTexts();
      const life = (await adversarialLife(texts, BENCH_ADV_TIER1))!;
      const before = await fetchTier1Counts(srv.base, srv.adminToken, BENCH_ADV_SITE);
      const s = await newEngagement(api, BENCH_ADV_SITE, BENCH_ADV_USER, BENCH_PASS, 'adv@example.test');
      const statuses: number[] = [];
      for (const text of texts.slice(0, life + 1)) {
        statuses.push((await api.request('POST', consumerPath(BENCH_ADV_SITE, 'postMessage', s.pool), { body: text }, { SessionId: s.sessionId })).status);
      }
      // every post of its life reached the screen: the last ended it (409 ENGAGEMENT_TERMINATED), as
      // is the next, refused for the ended engagement
      expect(statuses).toEqual([...Array.from({ length: life - 1 }, () => 200), 409, 409]);
      await new Promise((r) => setTimeout(r, 1500)); // the shard reports its counts once a second
      const d = tier1Delta(before, await fetchTier1Counts(srv.base, srv.adminToken, BENCH_ADV_SITE));
      expect(d.terminated).toBe(1);
      expect(d.screened).toBe(life);
      expect(Object.keys(d.decisions).some((k) => k.endsWith(':terminate'))).toBe(true);
      expect(Object.keys(d.decisions).some((k) => k.endsWith(':block'))).toBe(true);
    } finally {
      api.close();
      await stopServer(srv);
    }
  });
});

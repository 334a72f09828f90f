// The four scenarios. Each returns rows (or an unavailable reason) and never invents a figure:
// anything that fails to start or set up is reported as unavailable with the error.
import fs from 'node:fs';
import path from 'node:path';
import { runNodeLoad } from './node-load.ts';
import { backgroundBusyPct, cpuProbeMs, sampleUsage, stopServer, rssBytes } from './proc.ts';
import type { Started } from './proc.ts';
import { consumerPostSession, newIdNonce, renderSessionFile } from './plan.ts';
import type { LoadSession } from './plan.ts';
import { openReceivers } from './ws-receivers.ts';
import type { Receivers } from './ws-receivers.ts';
import { createEngagements } from './setup.ts';
import { BENCH_PASS, BENCH_SITE, BENCH_ADV_SITE, BENCH_ADV_USER, BENCH_USER, startBaseline, startParley } from './servers.ts';
import type { ParleyOptions } from './servers.ts';
import { runFanout } from './fanout.ts';
import { runChat } from './chat.ts';
import { peakLoad, requireAnswers, SenderTexts, toRow } from './measure.ts';
import { mergeSlices, sliceSeconds } from './slices.ts';
import { fetchTier1Counts, tier1Delta, type AdversarialPlan, type Tier1Counts } from './adversarial.ts';
import { advPoolPerRound } from './adversarial-senders.ts';
import type { IdleResult, LoadResult, ResultRow, ServerName, ServerUsage, Unavailable, UsageSample } from './types.ts';

export interface Ctx {
  durationS: number;
  /** fixed-rate (50 % of peak) runs: alternating Parley/uWS slices per server, each durationS/2 long */
  fixedSlices: number;
  /** peak runs: rounds alternating all servers of a scenario, each slice durationS/rounds long */
  rounds: number;
  warmupS: number;
  connections: number;
  engagements: number;
  idleEngagements: number;
  idleTimeoutS: number;
  wsReceivers: number;
  fanoutEngagements: number;
  fanoutCopies: number;
  chatEngagements: number;
  client: 'wrk' | 'node';
  /** every post carries a fresh messageId, as chat fronts send (plan.ts newIdNonce) */
  messageIds: boolean;
  wrkThreads: number;
  clientProcs: number;
  setupProcs: number;
  parley: ParleyOptions;
  hamFile: string;
  advFile: string;
  tmpRoot: string;
  /** adversarial scenario: posts per adversarial sender (adversarial.ts adversarialLife; null: all its texts) */
  adversarial?: { life: number | null; texts: number };
  /** machine-wide CPU busy % measured just before each measured server run */
  background: Array<{ run: string; busyPct: number; probeMs: number }>;
  log: (msg: string) => void;
}

export interface ScenarioOutput {
  rows: ResultRow[];
  unavailable: Unavailable[];
  idle?: IdleResult;
  adversarial?: AdversarialPlan;
}

const SERVERS: ServerName[] = ['uws', 'node-http', 'parley'];
const errMsg = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 4).join(' | ');

/** Sessions for a baseline: same paths and headers as Parley's, with made-up ids. */
function fakeSessions(n: number, site: string, kind: 'h' | 'a'): LoadSession[] {
  return Array.from({ length: n }, (_, i) => consumerPostSession(site, '1:1', `baseline-${kind}${i}`, kind));
}

interface Up {
  server: ServerName;
  srv: Started;
  /** the ham sessions: warm-up, and every round of ham */
  file: string;
  /** adversarial: round r's sessions (ham and that round's adversarial senders) */
  roundFiles: string[];
  adminToken?: string;
  ws?: Receivers;
  /** where its ham senders are in their texts, run after run */
  texts: SenderTexts;
}

/**
 * ham / adversarial: the same load against uws, node-http and Parley. All servers are started
 * first (each idle one uses no CPU); after a warm-up each, the peak runs alternate between them in
 * `ctx.rounds` rounds (the order rotating by one each round), so a change of the machine's speed
 * lands on every server and each ratio can be taken within a round.
 */
export async function postScenario(ctx: Ctx, scenario: 'ham' | 'adversarial'): Promise<ScenarioOutput> {
  const adv = scenario === 'adversarial';
  const site = adv ? BENCH_ADV_SITE : BENCH_SITE;
  const advEvery = adv ? 10 : 0;
  const out: ScenarioOutput = { rows: [], unavailable: [] };
  // ham also runs the hop-only baseline (how much of the gap to bare uWS is the thread hop, how
  // much Parley's work) and, with the journal on, Parley with it off: each cost is a ratio from one run
  const servers: ServerName[] = scenario === 'ham' ? ['parley', 'uws', 'node-http', 'uws-hop', ...(ctx.parley.journal ? (['parley-nojournal'] as const) : [])] : SERVERS;
  const up: Up[] = [];
  const fail = (server: ServerName, e: unknown): void => {
    out.unavailable.push({ scenario, server, reason: errMsg(e) });
    ctx.log(`[${scenario}] ${server}: UNAVAILABLE ${errMsg(e)}`);
  };
  const sliceS = sliceSeconds(ctx.durationS, ctx.rounds).peakRoundS;
  const life = ctx.adversarial?.life ?? null;
  const texts = ctx.adversarial?.texts ?? 1;
  const pool: AdvPool | null = adv ? { perRound: advPoolPerRound(sliceS, life ?? texts), rounds: ctx.rounds } : null;
  if (pool) out.adversarial = { every: advEvery, life, texts, poolPerRound: pool.perRound, rounds: pool.rounds };
  try {
    for (const server of servers) {
      try {
        up.push(await startForLoad(ctx, scenario, server, site, pool));
      } catch (e) {
        fail(server, e);
      }
    }
    // warm-up: JIT, connection setup, caches; ham only so adversarial senders are not spent early.
    // A server whose warm-up fails (or gets no answer) is not measured: unavailable with the reason.
    const warm: Up[] = [];
    for (const u of up) {
      try {
        if (ctx.warmupS > 0) u.texts.after(await peakLoad(ctx, u.srv.base, u.file, 0, false, ctx.warmupS, u.texts.offset));
        warm.push(u);
      } catch (e) {
        fail(u.server, e);
      }
    }
    // blocks answer 200 like allowed posts: what the screen did comes from Parley's own counters,
    // read once the shards have reported the warm-up (they report once a second)
    const counted = adv ? warm.find((u) => u.server === 'parley' && u.adminToken !== undefined) : undefined;
    const tier1Now = async (): Promise<Tier1Counts | null> => {
      if (!counted) return null;
      await new Promise((r) => setTimeout(r, 1500));
      return await fetchTier1Counts(counted.srv.base, counted.adminToken!, site).catch((e: unknown) => {
        ctx.log(`[${scenario}] parley: Tier-1 counters not read (${errMsg(e)})`);
        return null;
      });
    };
    const tier1Before = await tier1Now();
    const acc = new Map(warm.map((u) => [u.server, { slices: new SliceLog(u.srv.pid), ws0: u.ws?.count() ?? 0 }]));
    for (let round = 0; round < ctx.rounds; round++) {
      const bg = await backgroundBusyPct();
      if (bg !== null) ctx.background.push({ run: `${scenario}/round ${round + 1}`, busyPct: bg, probeMs: cpuProbeMs() });
      const order = up.map((_, i) => up[(i + round) % up.length]!);
      for (const u of order) {
        const a = acc.get(u.server);
        if (!a) continue; // failed in an earlier round
        try {
          const load = await a.slices.run(() => peakLoad(ctx, u.srv.base, u.roundFiles[round] ?? u.file, advEvery, adv, sliceS, u.texts.offset));
          u.texts.after(load);
          ctx.log(`[${scenario}] ${u.server} round ${round + 1}/${ctx.rounds}: ${load.reqPerSec} req/s, p99 ${load.latencyMs.p99} ms, statuses ${JSON.stringify(load.statusCounts)}`);
        } catch (e) {
          acc.delete(u.server);
          fail(u.server, e);
        }
      }
    }
    const tier1After = tier1Before === null ? null : await tier1Now();
    for (const u of up) {
      const a = acc.get(u.server);
      if (!a || a.slices.loads.length === 0) continue;
      const { merged, p99SlicesMs, reqPerSecSlices } = mergeSlices(a.slices.loads);
      const wsStat = u.ws ? { delivered: u.ws.count() - a.ws0, receivers: u.ws.opened } : null;
      const tier1 = u === counted ? { tier1: tier1Before && tier1After ? tier1Delta(tier1Before, tier1After) : null } : {};
      out.rows.push({ ...toRow(scenario, u.server, merged, a.slices.usage(), wsStat), p99SlicesMs, reqPerSecSlices, ...tier1 });
    }
    const parley = up.find((u) => u.server === 'parley');
    const peak = out.rows.find((r) => r.server === 'parley');
    if (scenario === 'ham' && parley && peak && peak.reqPerSec > 0) {
      const srvOf = (name: ServerName): Started | undefined => acc.has(name) ? up.find((u) => u.server === name)?.srv : undefined;
      try {
        out.rows.push(...(await halfPeakSlices(ctx, parley, srvOf('uws'), srvOf('uws-hop'), Math.round(peak.reqPerSec / 2))));
      } catch (e) {
        out.unavailable.push({ scenario, server: 'parley', reason: `50 %-of-peak run: ${errMsg(e)}` });
        ctx.log(`[${scenario}] 50 %-of-peak run: UNAVAILABLE ${errMsg(e)}`);
      }
    }
  } finally {
    for (const u of up) {
      u.ws?.close();
      await stopServer(u.srv);
    }
  }
  return out;
}

const mean = (xs: number[]): number | null => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);

/** One server's alternating slices: each load run with the server's CPU and peak RSS sampled around it. */
class SliceLog {
  readonly loads: LoadResult[] = [];
  private readonly samples: UsageSample[] = [];
  constructor(private readonly pid: number) {}

  async run<R extends LoadResult>(load: () => Promise<R>): Promise<R> {
    const usage = sampleUsage(this.pid);
    let r: R;
    try {
      r = await load();
    } catch (e) {
      usage.stop(); // ends its RSS timer
      throw e;
    }
    this.samples.push(usage.stop());
    this.loads.push(r);
    return r;
  }

  /** each figure's mean over the slices that have it, the highest RSS */
  usage(): ServerUsage {
    const of = (k: keyof ServerUsage): number[] => this.samples.flatMap((u) => (u[k] === null ? [] : [u[k]]));
    const rss = of('rssPeakMb');
    return {
      cpuPct: mean(of('cpuPct')),
      mainThreadPct: mean(of('mainThreadPct')),
      machineIdlePct: mean(of('machineIdlePct')),
      mainThreadRunqPct: mean(of('mainThreadRunqPct')),
      mainThreadSlicesPerSec: mean(of('mainThreadSlicesPerSec')),
      rssPeakMb: rss.length ? Math.max(...rss) : null,
    };
  }
}

/** Adversarial senders per round (adversarial.ts), each round's its own: a sender ended in one is not posted as again. */
interface AdvPool {
  perRound: number;
  rounds: number;
}

/**
 * Starts one server and writes its session files: the ham sessions (warm-up, and every round of
 * ham) and, with an adversarial pool, one file per round holding them and that round's adversarial
 * senders. Parley also gets real engagements and WS receivers.
 */
async function startForLoad(ctx: Ctx, scenario: string, server: ServerName, site: string, pool: AdvPool | null): Promise<Up> {
  ctx.log(`[${scenario}] ${server}: starting`);
  let parley: Awaited<ReturnType<typeof startParley>> | null = null;
  let srv: Started;
  if (server === 'parley' || server === 'parley-nojournal') srv = parley = await startParley(server === 'parley' ? ctx.parley : { ...ctx.parley, journal: false });
  else srv = await startBaseline(server, ctx.parley.cpus);
  let ws: Receivers | undefined;
  const advCount = pool ? pool.perRound * pool.rounds : 0;
  try {
    let ham: LoadSession[];
    let advs: LoadSession[];
    if (parley) {
      ctx.log(`[${scenario}] ${server}: creating ${ctx.engagements + advCount} engagements${pool ? ` (${advCount} of them adversarial senders, ${pool.perRound} a round)` : ''}`);
      const made = await createEngagements({ base: srv.base, site, user: pool ? BENCH_ADV_USER : BENCH_USER, pass: BENCH_PASS, count: ctx.engagements + advCount, processes: ctx.setupProcs, concurrency: 32, keepSessions: true, tag: `${scenario}-${server}` });
      if (made.created === 0) throw new Error(`no engagement could be created: ${made.firstError ?? 'unknown error'}`);
      if (made.failed > 0) ctx.log(`[${scenario}] ${server}: ${made.failed} engagements failed (${made.firstError ?? ''})`);
      const all = made.sessions.map((s) => consumerPostSession(site, s.pool, s.sessionId));
      ham = all.slice(0, ctx.engagements);
      advs = all.slice(ctx.engagements).map((s) => ({ ...s, kind: 'a' as const }));
      if (pool && advs.length === 0) throw new Error(`no adversarial sender could be created (${made.created} engagements for ${ctx.engagements} ham senders)`);
      if (server === 'parley') {
        // ham: consumer posts are not echoed to their sender (chat-api §3.4), so receivers mostly
        // see nothing; adversarial: they receive the Tier-1 block and termination notices of a
        // sample of the senders, spread over the rounds
        const watched = pool ? advs : ham;
        const step = Math.max(1, Math.floor(watched.length / Math.max(1, ctx.wsReceivers)));
        const watch = watched.filter((_, i) => i % step === 0).slice(0, ctx.wsReceivers).map((s) => s.headers.SessionId!);
        ws = await openReceivers(srv.base, site, watch);
        if (ws.failed > 0) ctx.log(`[${scenario}] parley: ${ws.failed} WebSocket receivers failed (${ws.firstError ?? ''})`);
      }
    } else {
      ham = fakeSessions(ctx.engagements, site, 'h');
      advs = fakeSessions(advCount, site, 'a');
    }
    const file = path.join(ctx.tmpRoot, `${scenario}-${server}.tsv`);
    fs.writeFileSync(file, renderSessionFile(ham));
    const roundFiles: string[] = [];
    if (pool) {
      const per = Math.ceil(advs.length / pool.rounds);
      for (let r = 0; r < pool.rounds; r++) {
        const f = path.join(ctx.tmpRoot, `${scenario}-${server}-round${r + 1}.tsv`);
        // a round left without senders (too few created) reuses the last ones: their posts are 409s, and the report counts them
        const mine = advs.slice(r * per, (r + 1) * per);
        fs.writeFileSync(f, renderSessionFile([...ham, ...(mine.length ? mine : advs.slice(-per))]));
        roundFiles.push(f);
      }
    }
    return { server, srv, file, roundFiles, texts: new SenderTexts(ham.length), ...(parley ? { adminToken: parley.adminToken } : {}), ...(ws ? { ws } : {}) };
  } catch (e) {
    ws?.close();
    await stopServer(srv);
    throw e;
  }
}

/**
 * 50 % of Parley's measured peak, open loop from the Node client (wrk2 is not available; wrk + Lua
 * delay() would not count queueing delay — coordinated omission), against Parley and against the
 * bare uWS baseline at the same rate: the baseline's p99 is the floor the client and the machine
 * add by themselves. When the scenario has it up, bare uWS with Parley's thread hop and no work too:
 * its p99 is that floor plus what the hop adds (three busy threads on the cores, the wake-ups).
 * Slices alternate P U H P U H … (all servers up, the idle ones using no CPU).
 */
async function halfPeakSlices(ctx: Ctx, parley: Up, uwsUp: Started | undefined, hop: Started | undefined, rate: number): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  let own: Started | undefined;
  try {
    const uws = uwsUp ?? (own = await startBaseline('uws', ctx.parley.cpus));
    const uwsFile = path.join(ctx.tmpRoot, 'ham-uws-fixed.tsv');
    fs.writeFileSync(uwsFile, renderSessionFile(fakeSessions(ctx.engagements, BENCH_SITE, 'h')));
    const sliceS = sliceSeconds(ctx.durationS, ctx.rounds).fixedSliceS;
    const runs: Array<[ServerName, Started, string, SliceLog, SenderTexts]> = [['parley', parley.srv, parley.file, new SliceLog(parley.srv.pid), parley.texts], ['uws', uws, uwsFile, new SliceLog(uws.pid), new SenderTexts(ctx.engagements)]];
    // the baselines take any session id: the hop baseline shares the bare one's file
    if (hop) runs.push(['uws-hop', hop, uwsFile, new SliceLog(hop.pid), new SenderTexts(ctx.engagements)]);
    const w0 = parley.ws?.count() ?? 0;
    for (let i = 0; i < ctx.fixedSlices; i++) {
      for (const [name, srv, file, log, texts] of runs) {
        const r = await log.run(async () => requireAnswers(await runNodeLoad({ url: srv.base, sessionsFile: file, hamFile: ctx.hamFile, advFile: null, advEvery: 0, processes: ctx.clientProcs, connections: ctx.connections, durationS: sliceS, rate, warmupS: 1, idNonce: ctx.messageIds ? newIdNonce() : null, textOffset: texts.offset })));
        texts.after(r, rate); // its 1 s warm-up is not in r.requests
        ctx.log(`[ham] ${name} fixed ${rate}/s slice ${i + 1}/${ctx.fixedSlices}: achieved ${r.reqPerSec} req/s, p99 ${r.latencyMs.p99} ms (backlog ${r.backlog ?? 0})`);
      }
    }
    for (const [name, , , log] of runs) {
      const { merged, p99SlicesMs } = mergeSlices(log.loads);
      const wsStat = name === 'parley' && parley.ws ? { delivered: parley.ws.count() - w0, receivers: parley.ws.opened } : null;
      rows.push({ ...toRow('ham', name, merged, log.usage(), wsStat), p99SlicesMs });
    }
  } finally {
    if (own) await stopServer(own);
  }
  return rows;
}

/** idle: many live engagements in one Parley process; memory per engagement = RSS delta / count. */
async function readyWithin(base: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

export async function idleScenario(ctx: Ctx): Promise<ScenarioOutput> {
  const out: ScenarioOutput = { rows: [], unavailable: [] };
  let srv: (Started & { dir: string }) | undefined;
  try {
    // these consumers never poll: keep their engagements open past the creation budget (the server
    // would conclude them as abandoned after PARLEY_CONSUMER_IDLE_MS, 5 minutes by default)
    srv = await startParley({ ...ctx.parley, consumerIdleMs: Math.max(300_000, (ctx.idleTimeoutS + 120) * 1000) });
    // one engagement first so lazily-initialised structures are not billed to the idle set
    await createEngagements({ base: srv.base, site: BENCH_SITE, user: BENCH_USER, pass: BENCH_PASS, count: 50, processes: 1, concurrency: 8, keepSessions: false, tag: 'idle-warm' });
    await new Promise((r) => setTimeout(r, 1500));
    const before = rssBytes(srv.pid);
    ctx.log(`[idle] creating ${ctx.idleEngagements} engagements with ${ctx.setupProcs} client processes`);
    const made = await createEngagements({ base: srv.base, site: BENCH_SITE, user: BENCH_USER, pass: BENCH_PASS, count: ctx.idleEngagements, processes: ctx.setupProcs, concurrency: 64, keepSessions: false, tag: 'idle', timeoutS: ctx.idleTimeoutS });
    await new Promise((r) => setTimeout(r, 3000));
    const after = rssBytes(srv.pid);
    if (made.created === 0) throw new Error(`no engagement could be created: ${made.firstError ?? 'unknown error'}`);
    if (before === null || after === null) throw new Error('RSS not readable (/proc missing)');
    out.idle = {
      engagements: made.created,
      failed: made.failed,
      setupSeconds: Math.round(made.seconds * 10) / 10,
      createdPerSec: Math.round(made.created / made.seconds),
      rssBeforeMb: before / 1048576,
      rssAfterMb: after / 1048576,
      bytesPerEngagement: Math.round((after - before) / made.created),
      clientProcesses: ctx.setupProcs,
      restartSeconds: null,
    };
    if (made.created < ctx.idleEngagements) {
      out.unavailable.push({ scenario: 'idle', server: 'parley', reason: `target ${ctx.idleEngagements} engagements not reached: ${made.created} created within the ${ctx.idleTimeoutS} s budget (${Math.round(made.created / made.seconds)}/s)${made.firstError ? `; first error: ${made.firstError}` : ''}` });
    }
    ctx.log(`[idle] ${made.created} created (${made.failed} failed${made.firstError ? `: ${made.firstError}` : ''}) in ${made.seconds.toFixed(1)} s; ${out.idle.bytesPerEngagement} B/engagement`);
    // what an operator waits for after a crash with that many chats open: kill -9, start again on
    // the same data dir, time until /readyz says every shard has replayed its journal
    const killed = srv;
    srv = undefined;
    await stopServer(killed, 'SIGKILL');
    const t0 = performance.now();
    srv = await startParley({ ...ctx.parley, consumerIdleMs: Math.max(300_000, (ctx.idleTimeoutS + 120) * 1000), dir: killed.dir });
    if (!(await readyWithin(srv.base, 120_000))) throw new Error('not ready within 120 s of a restart');
    out.idle.restartSeconds = Math.round((performance.now() - t0) / 100) / 10;
    ctx.log(`[idle] restart after kill -9 with ${made.created} open engagements: ready in ${out.idle.restartSeconds} s`);
  } catch (e) {
    out.unavailable.push({ scenario: 'idle', server: 'parley', reason: errMsg(e) });
    ctx.log(`[idle] UNAVAILABLE ${errMsg(e)}`);
  } finally {
    if (srv) await stopServer(srv);
  }
  return out;
}

/** A scenario of one Parley server and one measured run (fanout, chat): its row, or why it could not run. */
async function oneServer(ctx: Ctx, scenario: 'fanout' | 'chat', options: ParleyOptions, run: (ctx: Ctx, srv: Started) => Promise<{ row: ResultRow } | { reason: string }>): Promise<ScenarioOutput> {
  const out: ScenarioOutput = { rows: [], unavailable: [] };
  let srv: Started | undefined;
  try {
    srv = await startParley(options);
    const r = await run(ctx, srv);
    if ('reason' in r) out.unavailable.push({ scenario, server: 'parley', reason: r.reason });
    else out.rows.push(r.row);
  } catch (e) {
    out.unavailable.push({ scenario, server: 'parley', reason: errMsg(e) });
  } finally {
    if (srv) await stopServer(srv);
  }
  for (const u of out.unavailable) ctx.log(`[${scenario}] UNAVAILABLE ${u.reason}`);
  return out;
}

export function fanoutScenario(ctx: Ctx): Promise<ScenarioOutput> {
  // the receivers of one engagement all use its one consumer session: let that many stay connected
  return oneServer(ctx, 'fanout', { ...ctx.parley, wsMaxPerEngagement: Math.max(8, ctx.fanoutCopies) }, runFanout);
}

export function chatScenario(ctx: Ctx): Promise<ScenarioOutput> {
  return oneServer(ctx, 'chat', ctx.parley, runChat);
}

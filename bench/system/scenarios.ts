// The four scenarios. Each returns rows (or an unavailable reason) and never invents a figure:
// anything that fails to start or set up is reported as unavailable with the error.
import fs from 'node:fs';
import path from 'node:path';
import { runNodeLoad } from './node-load.ts';
import { backgroundBusyPct, cpuProbeMs, sampleUsage, stopServer, rssBytes } from './proc.ts';
import type { Started } from './proc.ts';
import { consumerPostSession, renderSessionFile } from './plan.ts';
import type { LoadSession } from './plan.ts';
import { openReceivers } from './ws-receivers.ts';
import type { Receivers } from './ws-receivers.ts';
import { createEngagements } from './setup.ts';
import { BENCH_PASS, BENCH_SITE, BENCH_ADV_SITE, BENCH_ADV_USER, BENCH_USER, startBaseline, startParley } from './servers.ts';
import type { ParleyOptions } from './servers.ts';
import { runFanout } from './fanout.ts';
import { peakLoad, toRow } from './measure.ts';
import { mergeSlices } from './slices.ts';
import type { IdleResult, LoadResult, ResultRow, ServerName, Unavailable } from './types.ts';

export interface Ctx {
  durationS: number;
  /** fixed-rate (50 % of peak) runs: alternating Parley/uWS slices per server, each durationS/2 long */
  fixedSlices: number;
  warmupS: number;
  connections: number;
  engagements: number;
  idleEngagements: number;
  idleTimeoutS: number;
  wsReceivers: number;
  fanoutEngagements: number;
  fanoutCopies: number;
  client: 'wrk' | 'node';
  wrkThreads: number;
  clientProcs: number;
  setupProcs: number;
  parley: ParleyOptions;
  hamFile: string;
  advFile: string;
  tmpRoot: string;
  /** machine-wide CPU busy % measured just before each measured server run */
  background: Array<{ run: string; busyPct: number; probeMs: number }>;
  log: (msg: string) => void;
}

export interface ScenarioOutput {
  rows: ResultRow[];
  unavailable: Unavailable[];
  idle?: IdleResult;
}

const SERVERS: ServerName[] = ['uws', 'node-http', 'parley'];
const errMsg = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 4).join(' | ');

/** Sessions for a baseline: same paths and headers as Parley's, with made-up ids. */
function fakeSessions(n: number, site: string, advShare: number): LoadSession[] {
  return Array.from({ length: n }, (_, i) => consumerPostSession(site, '1:1', `baseline-${i}`, advShare > 0 && i % Math.round(1 / advShare) === 0 ? 'a' : 'h'));
}

/** ham / adversarial: the same load against uws, node-http and Parley, one server process at a time. */
export async function postScenario(ctx: Ctx, scenario: 'ham' | 'adversarial'): Promise<ScenarioOutput> {
  const adv = scenario === 'adversarial';
  const site = adv ? BENCH_ADV_SITE : BENCH_SITE;
  const advEvery = adv ? 10 : 0;
  const out: ScenarioOutput = { rows: [], unavailable: [] };
  // ham with the journal on also runs Parley with it off, so its cost is a ratio from one run.
  // Parley goes first in ham so the bare uWS baseline can also be driven at Parley's half-peak
  // rate by the same open-loop client: its p99 there is the floor the client itself adds.
  const servers: ServerName[] = scenario === 'ham' ? ['parley', 'uws', 'node-http', ...(ctx.parley.journal ? (['parley-nojournal'] as const) : [])] : SERVERS;
  let halfPeak = 0;
  for (const server of servers) {
    const isParley = server === 'parley' || server === 'parley-nojournal';
    let srv: Started | undefined;
    let ws: Receivers | undefined;
    try {
      const bg = await backgroundBusyPct();
      if (bg !== null) ctx.background.push({ run: `${scenario}/${server}`, busyPct: bg, probeMs: cpuProbeMs() });
      ctx.log(`[${scenario}] ${server}: starting (machine CPU busy before start: ${bg ?? '?'} %)`);
      srv = server === 'parley' ? await startParley(ctx.parley) : server === 'parley-nojournal' ? await startParley({ ...ctx.parley, journal: false }) : await startBaseline(server);
      let sessions: LoadSession[];
      if (isParley) {
        ctx.log(`[${scenario}] parley: creating ${ctx.engagements} engagements`);
        const made = await createEngagements({ base: srv.base, site, user: adv ? BENCH_ADV_USER : BENCH_USER, pass: BENCH_PASS, count: ctx.engagements, processes: ctx.setupProcs, concurrency: 32, keepSessions: true, tag: scenario });
        if (made.created === 0) throw new Error(`no engagement could be created: ${made.firstError ?? 'unknown error'}`);
        if (made.failed > 0) ctx.log(`[${scenario}] parley: ${made.failed} engagements failed (${made.firstError ?? ''})`);
        // adversarial senders are every 10th engagement, so they are spread over all shards
        sessions = made.sessions.map((s, i) => consumerPostSession(site, s.pool, s.sessionId, adv && i % 10 === 0 ? 'a' : 'h'));
        // ham: consumer posts are not echoed to their sender (chat-api §3.4), so receivers mostly
        // see nothing; adversarial: they receive the Tier-1 block and termination notices
        const watch = made.sessions.filter((_, i) => !adv || i % 10 === 0).slice(0, ctx.wsReceivers).map((s) => s.sessionId);
        ws = await openReceivers(srv.base, site, watch);
        if (ws.failed > 0) ctx.log(`[${scenario}] parley: ${ws.failed} WebSocket receivers failed (${ws.firstError ?? ''})`);
      } else sessions = fakeSessions(ctx.engagements, site, adv ? 0.1 : 0);
      const file = path.join(ctx.tmpRoot, `${scenario}-${server}.tsv`);
      fs.writeFileSync(file, renderSessionFile(sessions));
      // warm-up: JIT, connection setup, caches; ham only so adversarial senders are not spent early
      if (ctx.warmupS > 0) await peakLoad(ctx, srv.base, file, 0, false, ctx.warmupS);
      const ws0 = ws?.count() ?? 0;
      const usage = sampleUsage(srv.pid);
      const load = await peakLoad(ctx, srv.base, file, advEvery, adv, ctx.durationS);
      const u = usage.stop();
      const wsStat = ws ? { delivered: ws.count() - ws0, receivers: ws.opened } : null;
      out.rows.push(toRow(scenario, server, load, u, wsStat));
      ctx.log(`[${scenario}] ${server}: ${load.reqPerSec} req/s, p99 ${load.latencyMs.p99} ms, statuses ${JSON.stringify(load.statusCounts)}`);
      if (server === 'parley' && scenario === 'ham' && load.reqPerSec > 0) {
        halfPeak = Math.round(load.reqPerSec / 2);
        out.rows.push(...(await halfPeakSlices(ctx, srv, file, ws, halfPeak)));
      }
    } catch (e) {
      out.unavailable.push({ scenario, server, reason: errMsg(e) });
      ctx.log(`[${scenario}] ${server}: UNAVAILABLE ${errMsg(e)}`);
    } finally {
      ws?.close();
      if (srv) await stopServer(srv);
    }
  }
  return out;
}

/**
 * 50 % of Parley's measured peak, open loop from the Node client (wrk2 is not available; wrk + Lua
 * delay() would not count queueing delay — coordinated omission), against Parley and against the
 * bare uWS baseline at the same rate: the baseline's p99 is the floor the client and the machine
 * add by themselves. Slices alternate P U P U … (the baseline is started beside the idle Parley).
 */
async function halfPeakSlices(ctx: Ctx, parley: Started, parleyFile: string, ws: Receivers | undefined, rate: number): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  let uws: Started | undefined;
  try {
    uws = await startBaseline('uws');
    const uwsFile = path.join(ctx.tmpRoot, 'ham-uws-fixed.tsv');
    fs.writeFileSync(uwsFile, renderSessionFile(fakeSessions(ctx.engagements, BENCH_SITE, 0)));
    const sliceS = Math.max(3, Math.ceil(ctx.durationS / 2));
    const runs = { parley: [] as LoadResult[], uws: [] as LoadResult[] };
    const cpu = { parley: [] as number[], uws: [] as number[] };
    const rss = { parley: [] as number[], uws: [] as number[] };
    const w0 = ws?.count() ?? 0;
    for (let i = 0; i < ctx.fixedSlices; i++) {
      for (const [name, srv, file] of [['parley', parley, parleyFile], ['uws', uws, uwsFile]] as const) {
        const usage = sampleUsage(srv.pid);
        const r = await runNodeLoad({ url: srv.base, sessionsFile: file, hamFile: ctx.hamFile, advFile: null, advEvery: 0, processes: ctx.clientProcs, connections: ctx.connections, durationS: sliceS, rate, warmupS: 1 });
        const u = usage.stop();
        runs[name].push(r);
        if (u.cpuPct !== null) cpu[name].push(u.cpuPct);
        if (u.rssPeakMb !== null) rss[name].push(u.rssPeakMb);
        ctx.log(`[ham] ${name} fixed ${rate}/s slice ${i + 1}/${ctx.fixedSlices}: achieved ${r.reqPerSec} req/s, p99 ${r.latencyMs.p99} ms (backlog ${r.backlog ?? 0})`);
      }
    }
    for (const name of ['parley', 'uws'] as const) {
      const { merged, p99SlicesMs } = mergeSlices(runs[name]);
      const usage = { cpuPct: cpu[name].length ? Math.round((cpu[name].reduce((a, b) => a + b, 0) / cpu[name].length) * 10) / 10 : null, rssPeakMb: rss[name].length ? Math.max(...rss[name]) : null };
      const wsStat = name === 'parley' && ws ? { delivered: ws.count() - w0, receivers: ws.opened } : null;
      rows.push({ ...toRow('ham', name, merged, usage, wsStat), p99SlicesMs });
    }
  } finally {
    if (uws) await stopServer(uws);
  }
  return rows;
}

/** idle: many live engagements in one Parley process; memory per engagement = RSS delta / count. */
export async function idleScenario(ctx: Ctx): Promise<ScenarioOutput> {
  const out: ScenarioOutput = { rows: [], unavailable: [] };
  let srv: Started | undefined;
  try {
    srv = await startParley(ctx.parley);
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
    };
    if (made.created < ctx.idleEngagements) {
      out.unavailable.push({ scenario: 'idle', server: 'parley', reason: `target ${ctx.idleEngagements} engagements not reached: ${made.created} created within the ${ctx.idleTimeoutS} s budget (${Math.round(made.created / made.seconds)}/s)${made.firstError ? `; first error: ${made.firstError}` : ''}` });
    }
    ctx.log(`[idle] ${made.created} created (${made.failed} failed${made.firstError ? `: ${made.firstError}` : ''}) in ${made.seconds.toFixed(1)} s; ${out.idle.bytesPerEngagement} B/engagement`);
  } catch (e) {
    out.unavailable.push({ scenario: 'idle', server: 'parley', reason: errMsg(e) });
    ctx.log(`[idle] UNAVAILABLE ${errMsg(e)}`);
  } finally {
    if (srv) await stopServer(srv);
  }
  return out;
}

export async function fanoutScenario(ctx: Ctx): Promise<ScenarioOutput> {
  const out: ScenarioOutput = { rows: [], unavailable: [] };
  let srv: Started | undefined;
  try {
    srv = await startParley(ctx.parley);
    const r = await runFanout(ctx, srv);
    if ('reason' in r) out.unavailable.push({ scenario: 'fanout', server: 'parley', reason: r.reason });
    else out.rows.push(r.row);
  } catch (e) {
    out.unavailable.push({ scenario: 'fanout', server: 'parley', reason: errMsg(e) });
  } finally {
    if (srv) await stopServer(srv);
  }
  for (const u of out.unavailable) ctx.log(`[fanout] UNAVAILABLE ${u.reason}`);
  return out;
}

// The two measurement primitives every scenario uses: a peak (closed-loop) load run with the
// configured client, and turning a load result plus server usage into a report row.
import { runWrk } from './wrk.ts';
import { runNodeLoad } from './node-load.ts';
import { newIdNonce } from './plan.ts';
import type { Ctx } from './scenarios.ts';
import type { LoadResult, ResultRow, ServerName, ServerUsage } from './types.ts';

/** `textOffset`: texts each ham session posted in earlier runs against this server (see SenderTexts) */
export async function peakLoad(ctx: Ctx, base: string, sessionsFile: string, advEvery: number, countStatuses: boolean, durationS: number, textOffset = 0): Promise<LoadResult> {
  const idNonce = ctx.messageIds ? newIdNonce() : null;
  if (ctx.client === 'wrk') {
    return requireAnswers(await runWrk({ url: base, sessionsFile, hamFile: ctx.hamFile, advFile: ctx.advFile, advEvery, threads: ctx.wrkThreads, connections: ctx.connections, durationS, countStatuses, idNonce, advLife: ctx.adversarial?.life ?? 0, textOffset }));
  }
  return requireAnswers(await runNodeLoad({ url: base, sessionsFile, hamFile: ctx.hamFile, advFile: ctx.advFile, advEvery, processes: ctx.clientProcs, connections: ctx.connections, durationS, rate: 0, warmupS: 0, idNonce, advLife: ctx.adversarial?.life ?? 0, textOffset }));
}

/**
 * Where each ham sender of one server is in its texts. Every load run starts the senders at the
 * same texts unless told otherwise, so each round repeated the texts of the warm-up and of the
 * rounds before: where the duplicate rules are on (the adversarial scenario's tenant), nearly every
 * ham post was withheld as a duplicate (9,184 DUP_EXACT soft decisions in a round of ~9,000 ham
 * posts). After each run the senders go on from where they were, with a margin for the requests
 * still in flight when it ended.
 */
export class SenderTexts {
  offset = 0;
  constructor(private readonly hamSenders: number) {}

  /** `unrecorded`: requests the run sent but did not count (the Node client's warm-up second) */
  after(load: LoadResult, unrecorded = 0): void {
    this.offset += Math.ceil((load.requests + unrecorded) / Math.max(1, this.hamSenders)) + 2;
  }
}

/**
 * A load run in which no request was answered measured nothing: its zeros (0 req/s, p50 … max
 * 0.00 ms) are not figures. Throws the reason, which the scenario reports as unavailable — e.g.
 * wrk with --connections 20000 could not open them and exited 0 with `requests: 0`.
 */
export function requireAnswers<L extends LoadResult>(load: L): L {
  if (load.requests > 0) return load;
  const statuses = Object.entries(load.statusCounts).filter(([, n]) => n > 0).map(([k, n]) => `${k}: ${n}`);
  throw new Error(
    `no request was answered in ${load.durationS} s over ${load.connections} connection(s) (${load.client} client` +
      `${load.socketErrors > 0 ? `, ${load.socketErrors} socket errors: connect, read, write or timeout` : ', no socket error'}` +
      `${statuses.length ? `; statuses ${statuses.join(', ')}` : ''})`,
  );
}

/** CPU % (100 = one core) → µs per answered request; wrk runs only (see toRow) */
function perReq(pct: number | null, load: LoadResult): number | null {
  return pct === null || load.reqPerSec <= 0 || load.client !== 'wrk' ? null : Math.round(((pct * 1e4) / load.reqPerSec) * 10) / 10;
}

export function toRow(scenario: string, server: ServerName, load: LoadResult, usage: ServerUsage, ws: { delivered: number; receivers: number } | null): ResultRow {
  return {
    scenario,
    server,
    mode: load.mode,
    loadClient: load.client === 'wrk' ? 'wrk' : 'node',
    connections: load.connections,
    durationS: load.durationS,
    requests: load.requests,
    reqPerSec: load.reqPerSec,
    p50Ms: load.latencyMs.p50,
    p90Ms: load.latencyMs.p90,
    p99Ms: load.latencyMs.p99,
    p999Ms: load.latencyMs.p999,
    maxMs: load.latencyMs.max,
    statusCounts: load.statusCounts,
    socketErrors: load.socketErrors,
    targetRate: load.targetRate ?? null,
    cpuPct: usage.cpuPct,
    // only for wrk runs: there the CPU sampling window is the load window; the Node client's process
    // start-up would sit inside it and dilute the figure
    cpuUsPerReq: perReq(usage.cpuPct, load),
    mainThreadUsPerReq: perReq(usage.mainThreadPct, load),
    clientUsPerReq: load.clientCpuUs === undefined || load.requests <= 0 ? null : Math.round((load.clientCpuUs / load.requests) * 10) / 10,
    machineIdlePct: usage.machineIdlePct,
    mainThreadRunqPct: usage.mainThreadRunqPct,
    mainThreadSlicesPerSec: usage.mainThreadSlicesPerSec,
    rssPeakMb: usage.rssPeakMb,
    wsDelivered: ws ? ws.delivered : null,
    wsDeliveredPerSec: ws && load.durationS > 0 ? Math.round(ws.delivered / load.durationS) : null,
    wsReceivers: ws ? ws.receivers : null,
  };
}


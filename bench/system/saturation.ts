// Whether a baseline was the bottleneck of its own peak run. Both baselines are one thread: a
// server that used well under one core at peak was waiting on something else — the load client,
// or other processes holding the cores — and its req/s is that limit, not the server's. A ratio
// against it then flatters Parley (measured: with the Node client here bare uWS used 74 % of a
// core and Parley ÷ uWS read 0.75×; with wrk it uses ~97 % and the ratio reads 0.5×), so the
// report says so, names what the run itself measured of the likely causes, and makes no verdict.
import type { ResultRow } from './types.ts';

/** A single-threaded server below this share of one core at peak did not set its own rate. */
export const SATURATED_PCT = 90;

/** Other processes' CPU (100 % = one core, measured before each round) above this depresses every figure of a run. */
export const OTHER_LOAD_PCT = 15;

/** What drove the run, for advice that fits it. */
export interface LoadSetup {
  client: 'wrk' | 'node';
  wrkInstalled: boolean;
  wrkThreads: number;
  clientProcs: number;
  /** `--client-cores`: 0 when the client shared every core with the servers */
  clientCores: number;
  /** the highest other-load reading before a round of this scenario's peak runs; null: not measured */
  otherLoadPct: number | null;
}

function clientAdvice(s: LoadSetup): string {
  if (s.client === 'wrk') {
    return `more --wrk-threads (${s.wrkThreads} now)${s.clientCores > 0 ? ' or more --client-cores' : ' or --client-cores'} on a machine with cores to spare`;
  }
  return `${s.wrkInstalled ? '--client wrk' : 'wrk (apt-get install wrk)'}, more --client-procs (${s.clientProcs} now), or --client-cores on a machine with spare cores`;
}

/** null: the baseline's peak row shows it saturated (or there is nothing to judge); else why the ratio is not a verdict. */
export function baselineCaveat(row: ResultRow | undefined, label: string, s: LoadSetup): string | null {
  if (row === undefined || row.cpuPct === null || row.cpuPct >= SATURATED_PCT) return null;
  // wrk reports its own CPU: near a full core per thread, it was the limit; well below, it was
  // waiting too, and the cores were held elsewhere
  const clientPct = row.clientUsPerReq == null ? null : Math.round((row.clientUsPerReq * row.reqPerSec) / 1e3) / 10;
  const clientShort = s.client === 'wrk' && clientPct !== null && clientPct < SATURATED_PCT * s.wrkThreads;
  const client =
    s.client === 'wrk'
      ? `the load client (wrk, ${s.wrkThreads} thread(s)${clientPct === null ? '' : `, ${clientPct.toFixed(1)} % of a core`})`
      : `the load client (Node, ${s.clientProcs} process(es))`;
  const busy = s.otherLoadPct !== null && s.otherLoadPct > OTHER_LOAD_PCT;
  const other = `other load on the machine (up to ${s.otherLoadPct} % of a core busy right before a round of these peak runs): rerun on a quiet machine`;
  return (
    `${label} used ${row.cpuPct.toFixed(1)} % of its one core at peak: something other than the server set its rate, so the ratio flatters Parley — ` +
    (clientShort
      ? `${client} was short of its core(s) too, so the cores were held elsewhere${busy ? ` — ${other}` : ''}`
      : `${client}: measure with ${clientAdvice(s)}${busy ? `; or ${other}` : ''}`)
  );
}

// Whether a baseline was the bottleneck of its own peak run. Both baselines are one thread: a
// server that used well under one core at peak was waiting on something else — the load client —
// and its req/s is the client's limit, not the server's. A ratio against it then flatters Parley
// (measured: with the Node client here bare uWS used 74 % of a core and Parley ÷ uWS read 0.75×;
// with wrk it uses ~97 % and the ratio reads 0.5×), so the report says so and makes no verdict.
import type { ResultRow } from './types.ts';

/** A single-threaded server below this share of one core at peak did not set its own rate. */
export const SATURATED_PCT = 90;

/** null: the baseline's peak row shows it saturated (or there is nothing to judge); else why the ratio is not a verdict. */
export function baselineCaveat(row: ResultRow | undefined, label: string): string | null {
  if (row === undefined || row.cpuPct === null || row.cpuPct >= SATURATED_PCT) return null;
  return `${label} used ${row.cpuPct.toFixed(1)} % of its one core at peak: the load client, not the server, set its rate, so the ratio flatters Parley — measure with wrk (apt-get install wrk), more --client-procs, or --client-cores on a machine with spare cores`;
}

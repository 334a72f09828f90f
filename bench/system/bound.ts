// What the machine allows at all. With the load client on the same cores as the server, every
// request costs the server's CPU and the client's: no server can answer more than
// cores ÷ (server µs + client µs per request) a second, however well its threads overlap. Measured
// on the 2-core dev VM: wrk ~14 µs per request, Parley ~32, so Parley's ceiling sits near
// 2 ÷ 46 µs ≈ 43k req/s — about 0.7× of a bare uWS server's ~62k before any idle time, ~1.2× of
// node:http's ~35k — and the report says so, with the CPU per request a ratio target would need,
// instead of leaving a missed target to read as the overlap of Parley's threads alone.
import type { ResultRow } from './types.ts';

export interface MachineBound {
  cores: number;
  serverUsPerReq: number;
  clientUsPerReq: number;
  /** cores ÷ (server + client CPU per request): the rate with no core ever idle */
  maxReqPerSec: number;
  /** maxReqPerSec ÷ the baseline's measured rate */
  maxVsBaseline: number;
  /** the server CPU per request at which `target` × the baseline's rate would just fit, µs */
  neededUsPerReq: number;
}

/** null when the client has cores of its own (--client-cores) or a figure is missing. */
export function machineBound(server: ResultRow | undefined, baseline: ResultRow | undefined, cores: number, clientHasOwnCores: boolean, target: number): MachineBound | null {
  if (clientHasOwnCores || !server || !baseline || cores <= 0) return null;
  const s = server.cpuUsPerReq;
  const c = server.clientUsPerReq;
  if (s == null || c == null || s <= 0 || baseline.reqPerSec <= 0) return null;
  const maxReqPerSec = Math.round((cores * 1e6) / (s + c));
  return {
    cores,
    serverUsPerReq: s,
    clientUsPerReq: c,
    maxReqPerSec,
    maxVsBaseline: Math.round((maxReqPerSec / baseline.reqPerSec) * 100) / 100,
    neededUsPerReq: Math.round(((cores * 1e6) / (target * baseline.reqPerSec) - c) * 10) / 10,
  };
}

// Runs are measured in slices that alternate between the servers (peak: rounds of P U N …; fixed
// rate: P U P U P U), so a burst of load from elsewhere on a shared machine, or a change of the
// host's speed, lands on every server instead of deciding one server's figure. One slice's p99 on
// this 2-core VM moved between 15 and 195 ms for the same build and rate, and the host's speed
// by up to 2× between runs minutes apart; the median over slices is the figure reported, every
// slice's figure is kept beside it so a reader sees the spread, and a ratio between two servers
// is the median of the per-round ratios (each round measures both within seconds).
import type { LatencyMs, LoadResult } from './types.ts';

export interface SlicedResult {
  /** the slices merged: counts summed, each latency percentile the median over slices, max the max */
  merged: LoadResult;
  p99SlicesMs: number[];
  reqPerSecSlices: number[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function mergeSlices(slices: readonly LoadResult[]): SlicedResult {
  const first = slices[0];
  if (first === undefined) throw new Error('mergeSlices: no slices');
  const pick = (k: keyof LatencyMs): number => median(slices.map((s) => s.latencyMs[k]));
  const durationS = slices.reduce((a, s) => a + s.durationS, 0);
  const requests = slices.reduce((a, s) => a + s.requests, 0);
  const statusCounts: Record<string, number> = {};
  for (const s of slices) for (const [k, v] of Object.entries(s.statusCounts)) statusCounts[k] = (statusCounts[k] ?? 0) + v;
  const merged: LoadResult = {
    ...first,
    durationS,
    requests,
    reqPerSec: durationS > 0 ? Math.round(requests / durationS) : 0,
    latencyMs: { p50: pick('p50'), p90: pick('p90'), p99: pick('p99'), p999: pick('p999'), max: Math.max(...slices.map((s) => s.latencyMs.max)), mean: pick('mean') },
    statusCounts,
    socketErrors: slices.reduce((a, s) => a + s.socketErrors, 0),
  };
  if (slices.every((s) => s.clientCpuUs !== undefined)) merged.clientCpuUs = slices.reduce((a, s) => a + (s.clientCpuUs ?? 0), 0);
  else delete merged.clientCpuUs;
  return { merged, p99SlicesMs: slices.map((s) => s.latencyMs.p99), reqPerSecSlices: slices.map((s) => s.reqPerSec) };
}

/** a ÷ b per round (both measured in the same round), then the median; null when not comparable. */
export function pairedRatio(a: readonly number[] | undefined, b: readonly number[] | undefined): { ratio: number; rounds: number[] } | null {
  if (!a || !b || a.length === 0 || a.length !== b.length || b.some((x) => x <= 0)) return null;
  const rounds = a.map((x, i) => Math.round((x / b[i]!) * 1000) / 1000);
  return { ratio: Math.round(median(rounds) * 1000) / 1000, rounds };
}

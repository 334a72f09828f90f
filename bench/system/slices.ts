// Fixed-rate runs are measured in slices that alternate between Parley and the bare uWS baseline
// (P U P U P U), so a burst of load from elsewhere on a shared machine lands on both servers instead
// of deciding one server's tail. One slice's p99 on this 2-core VM moved between 15 and 195 ms for
// the same build and rate; the median over slices is the figure reported, and every slice's p99 is
// kept beside it so a reader sees the spread.
import type { LatencyMs, LoadResult } from './types.ts';

export interface SlicedResult {
  /** the slices merged: counts summed, each latency percentile the median over slices, max the max */
  merged: LoadResult;
  p99SlicesMs: number[];
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
  return { merged, p99SlicesMs: slices.map((s) => s.latencyMs.p99) };
}

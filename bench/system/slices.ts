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

/** a peak round shorter than this is mostly wrk's start-up and ramp */
export const MIN_ROUND_S = 2;
/** a 50 %-of-peak slice shorter than this (after its 1 s warm-up) has too few requests for a p99 */
export const MIN_FIXED_SLICE_S = 3;

/**
 * `--duration` split: each of the `rounds` peak rounds gets duration ÷ rounds (rounded up), each
 * 50 %-of-peak slice duration ÷ 2 — each at least its minimum. `raised` says, in words, where a
 * minimum made the run longer than asked, so it is printed rather than applied silently.
 */
export function sliceSeconds(
  durationS: number,
  rounds: number,
  /** which of the two the run has (ham: both; adversarial: peak rounds only; the others: neither), so `raised` names only those */
  has: { peak: boolean; halfPeak: boolean } = { peak: true, halfPeak: true },
): { peakRoundS: number; fixedSliceS: number; raised: string | null } {
  const peakRoundS = Math.max(MIN_ROUND_S, Math.ceil(durationS / rounds));
  const fixedSliceS = Math.max(MIN_FIXED_SLICE_S, Math.ceil(durationS / 2));
  const notes: string[] = [];
  if (has.peak && peakRoundS * rounds > durationS && Math.ceil(durationS / rounds) < MIN_ROUND_S) {
    notes.push(`each of the ${rounds} peak round(s) runs the minimum ${MIN_ROUND_S} s (${peakRoundS * rounds} s of peak load per server)`);
  }
  if (has.halfPeak && Math.ceil(durationS / 2) < MIN_FIXED_SLICE_S) notes.push(`each 50 %-of-peak slice runs the minimum ${MIN_FIXED_SLICE_S} s`);
  return { peakRoundS, fixedSliceS, raised: notes.length ? `--duration ${durationS}: ${notes.join('; ')}` : null };
}

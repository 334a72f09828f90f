// Outcome ranking and the strike ladder: 3 strikes in 10 min or 5 in 24 h (defaults) terminate.
// Strikes decay by falling out of the sliding windows; only the newest longCount are kept.
import type { ResolvedTier1Config } from '../../src/config/tier1.ts';
import type { SenderState } from './state.ts';
import { countSince } from './state.ts';

export type Outcome = 'allow' | 'flag' | 'soft' | 'block' | 'terminate';
export const RANK: Readonly<Record<Outcome, number>> = { allow: 0, flag: 1, soft: 2, block: 3, terminate: 4 };

export function worse(a: Outcome, b: Outcome): Outcome {
  return RANK[b] > RANK[a] ? b : a;
}

/** Insert a strike (journal replays may arrive out of order) and keep the ring bounded. */
export function recordStrike(s: SenderState, atMs: number, cfg: ResolvedTier1Config['strikes']): void {
  const a = s.strikes;
  let i = a.length;
  while (i > 0 && (a[i - 1] ?? 0) > atMs) i--;
  a.splice(i, 0, atMs);
  while (a.length > cfg.longCount) a.shift();
}

/** True when the sender's strikes at nowMs reach either limit. */
export function strikeLimitReached(s: SenderState, nowMs: number, cfg: ResolvedTier1Config['strikes']): boolean {
  return countSince(s.strikes, nowMs - cfg.shortWindowMs) >= cfg.shortCount || countSince(s.strikes, nowMs - cfg.longWindowMs) >= cfg.longCount;
}

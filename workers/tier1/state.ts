// Bounded per-sender and per-(sender, engagement) state. Everything is a fixed-size ring or a
// few numbers, so memory per engagement is constant; forgetEngagement drops the pair states.
import type { FpRing } from './fpRing.ts';

export class SenderState {
  msgs = 0; // messages screened (the "new sender" rules look at the first few)
  strikes: number[] = []; // timestamps, newest last, at most longCount kept
  urlTimes: number[] = []; // timestamps of recent URLs (one entry per URL), bounded
  lastSeenMs = 0;
  engagements = new Set<string>();
}

export class PairState {
  /** false once forgetEngagement dropped it: a caller's slot holding it must look the pair up again */
  live = true;
  tokens: number;
  refillAtMs: number;
  lastMsgMs = -Infinity;
  softTimes: number[] = []; // RATE_BURST soft blocks, for the strike-after-3 rule
  /** DUP_EXACT: the last N messages' times and key fingerprints (made at its first check) */
  exact: FpRing | null = null;
  /** DUP_NEAR: the last N times, masked-key fingerprints and key fingerprints (exact repeats are DUP_EXACT's) */
  near: FpRing | null = null;
  constructor(
    burst: number,
    nowMs: number,
    /** the pair's sender and engagement: a slot (engine.ts ScreenSlot) is checked against them */
    readonly sender: SenderState,
    readonly senderKey: string,
    readonly engagementId: string,
  ) {
    this.tokens = burst;
    this.refillAtMs = nowMs;
  }
}

/** Push onto a bounded ring (oldest first). */
export function pushRing<T>(ring: T[], v: T, max: number): void {
  ring.push(v);
  if (ring.length > max) ring.shift();
}

/** Count entries of `times` newer than `sinceMs`. */
export function countSince(times: readonly number[], sinceMs: number): number {
  let n = 0;
  for (let i = times.length - 1; i >= 0; i--) {
    if ((times[i] ?? 0) > sinceMs) n++;
    else break;
  }
  return n;
}

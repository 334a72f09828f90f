// RATE_BURST: token bucket per (sender, engagement). An empty bucket is a soft block with a
// retry-after; every third soft block within a minute earns a strike.
import type { Detector } from './detector.ts';
import { countSince, pushRing } from './state.ts';

export const rateBurst: Detector = {
  name: 'posting too fast', code: 'RATE_BURST',
  check(_v, { rules: { RATE_BURST: r }, pair, nowMs }) {
    if (nowMs > pair.refillAtMs) {
      const add = Math.floor((nowMs - pair.refillAtMs) / r.refillMs);
      if (add > 0) {
        pair.tokens = Math.min(r.burst, pair.tokens + add);
        pair.refillAtMs = pair.tokens >= r.burst ? nowMs : pair.refillAtMs + add * r.refillMs;
      }
    }
    if (pair.tokens >= 1) {
      pair.tokens -= 1;
      return null;
    }
    pushRing(pair.softTimes, nowMs, r.strikeAfter);
    const recent = countSince(pair.softTimes, nowMs - r.strikeWindowMs);
    const retryAfterS = Math.max(1, Math.ceil((pair.refillAtMs + r.refillMs - nowMs) / 1000));
    const strike = recent >= r.strikeAfter;
    // one strike per `strikeAfter` soft blocks (tier1.md: "3 soft blocks within 1 min gets a
    // strike"), not one for every soft block after the third: with the default strike limit that
    // ended a chat at its 5th soft block, a few seconds of impatient typing
    if (strike) pair.softTimes.length = 0;
    return { action: r.action, observed: recent, threshold: r.strikeAfter, strike, notice: 'slowDown', retryAfterS };
  },
};

// DUP_EXACT: the same normalized text again from the same sender in the same engagement.
// A repeat within 30 s, or the 3rd/4th copy within 10 min, is a soft block ("you already sent
// that"); only the 5th copy in 10 min blocks with a strike — so a waiting customer repeating
// "Hello, is anyone there?" is never terminated.
import type { Detector } from './detector.ts';
import { pushRing } from './state.ts';

export const dupExact: Detector = {
  name: 'repeated message', code: 'DUP_EXACT',
  check(v, { rules: { DUP_EXACT: r }, pair, fpKey, nowMs }) {
    if (v.key.length < r.minLength) return null;
    let copies = 1;
    let lastAt = -Infinity;
    for (let i = 0; i < pair.ringFp.length; i++) {
      const at = pair.ringAt[i] ?? 0;
      if (pair.ringFp[i] === fpKey && nowMs - at <= r.windowMs) {
        copies++;
        if (at > lastAt) lastAt = at;
      }
    }
    pushRing(pair.ringFp, fpKey, r.ring);
    pushRing(pair.ringAt, nowMs, r.ring);
    if (copies >= r.blockFrom) return { action: r.action, observed: copies, threshold: r.blockFrom };
    if (copies >= r.softFrom || nowMs - lastAt <= r.softWithinMs) return { action: 'soft', observed: copies, threshold: r.softFrom, notice: 'duplicate' };
    return null;
  },
};

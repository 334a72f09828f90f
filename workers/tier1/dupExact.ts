// DUP_EXACT: the same normalized text again from the same sender in the same engagement.
// A repeat within 30 s, or the 3rd/4th copy within 10 min, is a soft block ("you already sent
// that"); only the 5th copy in 10 min blocks with a strike — so a waiting customer repeating
// "Hello, is anyone there?" is never terminated.
import type { Detector } from './detector.ts';
import { FpRing, split } from './fpRing.ts';

export const dupExact: Detector = {
  name: 'repeated message', code: 'DUP_EXACT',
  check(v, ctx) {
    const { rules: { DUP_EXACT: r }, pair, fpKey, nowMs } = ctx;
    if (v.key.length < r.minLength) return null;
    const ring = (pair.exact ??= new FpRing(r.ring, 3));
    ring.resize(r.ring);
    const h = split(fpKey);
    const k0 = h[0]!;
    const k1 = h[1]!;
    const d = ring.data;
    const cap = ring.cap;
    let copies = 1;
    let lastAt = -Infinity;
    // order does not matter here: slots 0 … n−1 are the held entries
    for (let s = 0; s < ring.n; s++) {
      if (d[cap + s] !== k0 || d[2 * cap + s] !== k1) continue;
      const at = d[s]!;
      if (nowMs - at <= r.windowMs) {
        copies++;
        if (at > lastAt) lastAt = at;
      }
    }
    ring.push(nowMs, k0, k1);
    ctx.pushedExact = true;
    if (copies >= r.blockFrom) return { action: r.action, observed: copies, threshold: r.blockFrom };
    if (copies >= r.softFrom || nowMs - lastAt <= r.softWithinMs) return { action: 'soft', observed: copies, threshold: r.softFrom, notice: 'duplicate' };
    return null;
  },
};

// DUP_NEAR: same masked key (numbers, links, handles, emoji and punctuation noise removed).
// Copies that are also exact repeats are left to DUP_EXACT and its gentler ladder; otherwise a
// customer typing "Hello, is anyone there?" three times would be blocked with strikes.
import type { Detector } from './detector.ts';
import { FpRing, split } from './fpRing.ts';

export const dupNear: Detector = {
  name: 'near-duplicate message', code: 'DUP_NEAR',
  check(v, ctx) {
    const { rules: { DUP_NEAR: r, DUP_EXACT: e }, pair, fpMasked, fpKey, nowMs } = ctx;
    if (v.masked.length < r.minLength) return null;
    const ring = (pair.near ??= new FpRing(e.ring, 5));
    ring.resize(e.ring);
    let h = split(fpMasked);
    const m0 = h[0]!;
    const m1 = h[1]!;
    h = split(fpKey);
    const k0 = h[0]!;
    const k1 = h[1]!;
    const d = ring.data;
    const cap = ring.cap;
    let copies = 1;
    // order does not matter here: slots 0 … n−1 are the held entries
    for (let s = 0; s < ring.n; s++) {
      if (d[cap + s] !== m0 || d[2 * cap + s] !== m1 || (d[3 * cap + s] === k0 && d[4 * cap + s] === k1)) continue;
      if (nowMs - d[s]! <= r.windowMs) copies++;
    }
    ring.push(nowMs, m0, m1, k0, k1);
    ctx.pushedNear = true;
    if (copies < 2) return null;
    return copies >= r.blockFrom ? { action: r.action, observed: copies, threshold: r.blockFrom } : { action: 'flag', observed: copies, threshold: 2 };
  },
};

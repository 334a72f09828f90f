// DUP_NEAR: same masked key (numbers, links, handles, emoji and punctuation noise removed).
// Copies that are also exact repeats are left to DUP_EXACT and its gentler ladder; otherwise a
// customer typing "Hello, is anyone there?" three times would be blocked with strikes.
import type { Detector } from './detector.ts';
import { pushRing } from './state.ts';

export const dupNear: Detector = {
  name: 'near-duplicate message', code: 'DUP_NEAR',
  check(v, { rules: { DUP_NEAR: r, DUP_EXACT: e }, pair, fpMasked, fpKey, nowMs }) {
    if (v.masked.length < r.minLength) return null;
    let copies = 1;
    for (let i = 0; i < pair.nearFp.length; i++) {
      if (pair.nearFp[i] === fpMasked && pair.nearKey[i] !== fpKey && nowMs - (pair.nearAt[i] ?? 0) <= r.windowMs) copies++;
    }
    pushRing(pair.nearFp, fpMasked, e.ring);
    pushRing(pair.nearAt, nowMs, e.ring);
    pushRing(pair.nearKey, fpKey, e.ring);
    if (copies < 2) return null;
    return copies >= r.blockFrom ? { action: r.action, observed: copies, threshold: r.blockFrom } : { action: 'flag', observed: copies, threshold: 2 };
  },
};

// URL_RATE: URLs per sender over a sliding window (all of a sender's engagements are here).
import type { Detector } from './detector.ts';
import { countSince, pushRing } from './state.ts';

export const urlRate: Detector = {
  name: 'links per minute', code: 'URL_RATE',
  check(v, { rules: { URL_RATE: r }, sender, nowMs }) {
    if (v.strongUrls === 0) return null; // weak hits (word-suffix run-ons, see url.ts) don't count
    for (let i = 0; i < v.strongUrls && i <= r.max; i++) pushRing(sender.urlTimes, nowMs, r.max + 1);
    const n = countSince(sender.urlTimes, nowMs - r.windowMs);
    return n > r.max ? { action: r.action, observed: n, threshold: r.max } : null;
  },
};

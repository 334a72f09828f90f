// URL_RATE: URLs per sender over a sliding window (all of a sender's engagements are here). Links
// to the tenant's allow-listed hosts do not count (allowedLinks.ts).
import type { Detector } from './detector.ts';
import { outsideLinks } from './allowedLinks.ts';
import { countSince, pushRing } from './state.ts';

export const urlRate: Detector = {
  name: 'links per minute', code: 'URL_RATE',
  check(v, { rules: { URL_RATE: r }, sender, nowMs, compiled }) {
    if (v.strongUrls === 0) return null; // weak hits (word-suffix run-ons, see url.ts) don't count
    const n = outsideLinks(v, compiled.allow);
    if (n === 0) return null;
    for (let i = 0; i < n && i <= r.max; i++) pushRing(sender.urlTimes, nowMs, r.max + 1);
    const c = countSince(sender.urlTimes, nowMs - r.windowMs);
    return c > r.max ? { action: r.action, observed: c, threshold: r.max } : null;
  },
};

// CAPS: shouting. About 2 % of real chat is all caps, so this only ever flags.
import type { Detector } from './detector.ts';

export const caps: Detector = {
  name: 'capitals', code: 'CAPS',
  check(v, { rules: { CAPS: r } }) {
    const cased = v.upper + v.lower;
    if (cased < r.minCased || v.upper < r.share * cased) return null;
    return { action: r.action === 'block' ? 'flag' : r.action, observed: v.upper / cased, threshold: r.share };
  },
};

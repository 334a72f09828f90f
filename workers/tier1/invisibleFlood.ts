// INVISIBLE_FLOOD: default-ignorable code points outside emoji sequences; any bidi control flags.
import type { Detector } from './detector.ts';

export const invisibleFlood: Detector = {
  name: 'invisible characters', code: 'INVISIBLE_FLOOD',
  check(v, { rules: { INVISIBLE_FLOOD: r } }) {
    const n = v.invisibles;
    if (n > r.block) return { action: r.action, observed: n, threshold: r.block };
    if (n > 0 && v.cp > 0 && n > r.blockShare * v.cp && n >= 3) return { action: r.action, observed: n / v.cp, threshold: r.blockShare };
    if (r.flagBidi && v.bidi > 0) return { action: 'flag', observed: v.bidi, threshold: 1 };
    return null;
  },
};

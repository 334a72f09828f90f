// ZALGO: nonspacing marks stacked on one base. Real scripts stack 2–3 at most, so this counts
// per base and never as a share of all code points (Hindi is ~16 % Mn).
import type { Detector } from './detector.ts';

export const zalgo: Detector = {
  name: 'stacked marks', code: 'ZALGO',
  check(v, { rules: { ZALGO: r } }) {
    if (v.maxMarks <= r.flag) return null;
    if (v.maxMarks > r.block) return { action: r.action, observed: v.maxMarks, threshold: r.block };
    if (v.basesOver3 >= r.bases) return { action: r.action, observed: v.basesOver3, threshold: r.bases };
    return { action: 'flag', observed: v.maxMarks, threshold: r.flag };
  },
};

// ZALGO: nonspacing marks stacked on one base. Real scripts stack 2–3 at most, so this counts
// per base and never as a share of all code points (Hindi is ~16 % Mn). Its two block levels — one
// base over `block`, `bases` bases over `perBase` — do not wait for the flag level.
import type { Detector } from './detector.ts';

export const zalgo: Detector = {
  name: 'stacked marks', code: 'ZALGO',
  check(v, { rules: { ZALGO: r } }) {
    if (v.maxMarks <= r.flag && v.basesOverPerBase < r.bases) return null;
    if (v.maxMarks > r.block) return { action: r.action, observed: v.maxMarks, threshold: r.block };
    if (v.basesOverPerBase >= r.bases) return { action: r.action, observed: v.basesOverPerBase, threshold: r.bases };
    return { action: 'flag', observed: v.maxMarks, threshold: r.flag };
  },
};

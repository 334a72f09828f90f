// LEN_MAX: code points after NFC. Over extremeAt (10× the cap) terminates on first hit.
import type { Detector } from './detector.ts';

export const lenMax: Detector = {
  name: 'message length', code: 'LEN_MAX',
  check(v, { rules: { LEN_MAX: r } }) {
    if (v.cp > r.extremeAt) return { action: 'block', observed: v.cp, threshold: r.extremeAt, extreme: true };
    if (v.cp > r.block) return { action: r.action, observed: v.cp, threshold: r.block };
    if (v.cp > r.flag) return { action: 'flag', observed: v.cp, threshold: r.flag };
    return null;
  },
};

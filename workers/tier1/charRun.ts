// CHAR_RUN: one grapheme repeated in a row. The share block (one run of most of a message) does
// not wait for the flag level: a run of blockShare × shareMin graphemes can reach it.
import type { Detector } from './detector.ts';

export const charRun: Detector = {
  name: 'repeated character', code: 'CHAR_RUN',
  check(v, { rules: { CHAR_RUN: r } }) {
    const n = v.maxRun;
    if (n < r.flag && n < r.blockShare * r.shareMin) return null;
    if (n >= r.block) return { action: r.action, observed: n, threshold: r.block };
    if (v.graphemes >= r.shareMin && n >= r.blockShare * v.graphemes) return { action: r.action, observed: n / v.graphemes, threshold: r.blockShare };
    return n >= r.flag ? { action: 'flag', observed: n, threshold: r.flag } : null;
  },
};

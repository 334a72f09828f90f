// SYMBOL_FLOOD: share of non-space graphemes that are neither letters, digits nor emoji.
import type { Detector } from './detector.ts';

export const symbolFlood: Detector = {
  name: 'symbol flood', code: 'SYMBOL_FLOOD',
  check(v, { rules: { SYMBOL_FLOOD: r } }) {
    const n = v.nonSpace;
    if (n < r.flagMin && n < r.blockMin) return null;
    const share = v.symbols / n;
    if (n >= r.blockMin && share >= r.blockShare) return { action: r.action, observed: share, threshold: r.blockShare };
    if (n >= r.flagMin && share >= r.flagShare) return { action: 'flag', observed: share, threshold: r.flagShare };
    return null;
  },
};

// MIXED_SCRIPT: words that mix Latin with Cyrillic/Greek/math letters (homoglyph spoofing).
// Whole words in one foreign script never count: Russian stays Russian.
import type { Detector } from './detector.ts';

export const mixedScript: Detector = {
  name: 'mixed-script words', code: 'MIXED_SCRIPT',
  check(v, { rules: { MIXED_SCRIPT: r } }) {
    if (v.mixedWords < r.words) return null;
    return { action: r.action, observed: v.mixedWords, threshold: r.words, strike: r.strike };
  },
};

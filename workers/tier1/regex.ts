// REGEX: tenant RE2 patterns as one RE2.Set over the normalized key (linear time).
import type { Detector } from './detector.ts';

export const regex: Detector = {
  name: 'pattern', code: 'REGEX',
  check(v, { compiled, rules: { REGEX: r } }) {
    const set = compiled.regex;
    if (set === null) return null;
    const hits = set.match(v.key);
    return hits.length > 0 ? { action: r.action, observed: hits.join(','), threshold: 'pattern' } : null;
  },
};

// KEYWORD: tenant phrases on the leet-mapped key, one RE2 alternation; allow phrases win.
import type { Detector } from './detector.ts';
import { leet } from './normalize.ts';

export const keyword: Detector = {
  name: 'keyword', code: 'KEYWORD',
  check(v, { compiled, rules: { KEYWORD: r } }) {
    const re = compiled.keyword;
    if (re === null || v.key.length === 0) return null;
    const k = leet(v.key);
    re.lastIndex = 0;
    for (let m = re.exec(k); m !== null; m = re.exec(k)) {
      // observed: the tenant's phrase, never m[2] — the user's words (in the log only as `text`,
      // with audit.logText)
      if (m[2] !== undefined) return { action: r.action, observed: compiled.phrases?.name(m[2]) ?? 'phrase', threshold: 'phrase' };
      // An allow phrase consumed this span; keep looking after it (minus the boundary char).
      if (re.lastIndex > 0) re.lastIndex--;
    }
    return null;
  },
};

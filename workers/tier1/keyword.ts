// KEYWORD: tenant phrases on the leet-mapped key, one RE2 alternation; allow phrases win. Words
// spelled out letter by letter (View.joined, rare) are also searched for the phrases with their
// spaces removed (patterns.ts joinedKeywordRegex).
import type RE2 from 're2';
import type { Detector } from './detector.ts';
import { leet } from './normalize.ts';

/** The first keyword (group 2) of re in k that no allow phrase (group 1) covers, or null. */
function firstKeyword(re: RE2, k: string, bounded: boolean): string | null {
  re.lastIndex = 0;
  for (let m = re.exec(k); m !== null; m = re.exec(k)) {
    if (m[2] !== undefined) return m[2];
    // An allow phrase consumed this span; keep looking after it (minus the boundary char).
    if (bounded && re.lastIndex > 0) re.lastIndex--;
  }
  return null;
}

export const keyword: Detector = {
  name: 'keyword', code: 'KEYWORD',
  check(v, { compiled, rules: { KEYWORD: r } }) {
    const re = compiled.keyword;
    if (re === null || v.key.length === 0) return null;
    // observed: the tenant's phrase, never the span it matched — the user's words (in the log only
    // as `text`, with audit.logText)
    const span = firstKeyword(re, leet(v.key), true);
    if (span !== null) return { action: r.action, observed: compiled.phrases?.name(span) ?? 'phrase', threshold: 'phrase' };
    if (v.joined.length === 0 || compiled.keywordJoined === null) return null;
    const joined = firstKeyword(compiled.keywordJoined, leet(v.joined), false);
    return joined === null ? null : { action: r.action, observed: compiled.phrasesJoined?.name(joined) ?? 'phrase', threshold: 'phrase' };
  },
};

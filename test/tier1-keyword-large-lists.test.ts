// KEYWORD lists up to the documented limits (1000 phrases and 1000 allow phrases of 60 characters)
// compile as the one RE2 alternation every shard builds. Each wildcard phrase used to carry its own
// copy of the Unicode word class, so 500 phrases like `xyz special offer now*` went over RE2's
// memory budget: the config validated, and every shard then ran that tenant without KEYWORD (an
// error log, "pattern too large"). Wildcard phrases now share one class per side.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1 } from '../workers/tier1/index.ts';
import { keywordRegex } from '../workers/tier1/patterns.ts';
import { resolveTier1 } from '../src/config/tier1.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);

const word = (i: number): string => {
  let s = '';
  for (let n = i + 1000; n; n = Math.floor(n / 26)) s += String.fromCharCode(97 + (n % 26));
  return s;
};

describe('large KEYWORD lists', () => {
  it('1000 wildcard phrases compile, and each wildcard side still matches', () => {
    const phrases = Array.from({ length: 1000 }, (_, i) => [`${word(i)} special offer now*`, `*${word(i)} jackpot`, `*${word(i)} bonus*`, `${word(i)} casino`][i % 4] as string);
    expect(resolveTier1({ rules: { KEYWORD: { phrases } } }).ok).toBe(true);
    expect(() => keywordRegex(phrases, [])).not.toThrow();
    const h = harness(cfg({ rules: { KEYWORD: { phrases } } }));
    const out = (text: string, k: number): string => h.screen(text, { senderKey: `s${k}`, engagementId: `e${k}` }).outcome;
    expect(out(`hi ${word(4)} special offer nowadays`, 1)).toBe('block'); // post wildcard
    expect(out(`a mega${word(5)} jackpot today`, 2)).toBe('block'); // pre wildcard
    expect(out(`super${word(6)} bonuses inside`, 3)).toBe('block'); // both
    expect(out(`the ${word(7)} casino`, 4)).toBe('block'); // none
    expect(out(`the ${word(7)} casinos`, 5)).toBe('allow'); // no wildcard: a whole word only
    expect(out(`xx${word(4)} special offer now`, 6)).toBe('allow'); // post-only: no prefix
    expect(out('my order has not arrived yet', 7)).toBe('allow');
  });

  it('compiles at the limits: 1000 phrases and 1000 allow phrases of 60 characters, wildcards or not', () => {
    for (const [pre, post] of [['', ''], ['*', '*'], ['*', ''], ['', '*']]) {
      const list = (from: number): string[] => Array.from({ length: 1000 }, (_, i) => `${pre}${`${word(from + i)} `.repeat(14).slice(0, 58).trim()}${post}`);
      expect(() => keywordRegex(list(0), list(5000))).not.toThrow();
    }
  });
});

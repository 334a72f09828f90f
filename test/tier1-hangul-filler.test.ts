// tier1.md §3 step 3: U+3164 HANGUL FILLER is a space, not an invisible character to strip — and so
// are its halfwidth form U+FFA0 and the conjoining fillers U+115F / U+1160 when they stand alone
// (NFKC turns U+3164 and U+FFA0 into U+1160 before the strip step could see them). A filler that
// completes a syllable block of old Hangul stays part of it, and real Korean is untouched.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
const kw = () => cfg({ rules: { KEYWORD: { action: 'block', phrases: ['free crypto'] } } });

describe('Hangul fillers between words are spaces', () => {
  const fillers: [string, string][] = [['U+3164', '\u3164'], ['U+FFA0', '\uffa0'], ['U+1160', '\u1160'], ['U+115F', '\u115f'], ['U+115F U+1160', '\u115f\u1160']];
  for (const [name, f] of fillers) {
    it(`${name} between two words separates them, alone or next to a compatibility character`, () => {
      expect(analyze(`get free${f}crypto now`).key).toMatch(/^get free +crypto now$/);
      // a fullwidth letter elsewhere sends the text through NFKC first
      expect(analyze(`ｇet free${f}crypto now`).key).toMatch(/^get free +crypto now$/);
      for (const text of [`get free${f}crypto now`, `ｇｅｔ free${f}crypto now`, `get free${f}crypto`]) {
        const h = harness(kw());
        expect(h.screen(text).outcome, JSON.stringify(text)).toBe('block');
        expect(h.codes()).toContain('KEYWORD');
      }
    });
  }

  it('a message of fillers only is empty (not a strike)', () => {
    for (const text of ['\u3164\uffa0', '\uffa0', '\u115f\u1160', '\u1160 \u3164']) {
      const r = harness().screen(text);
      expect(r.reject, JSON.stringify(text)).toBe('EMPTY_MESSAGE');
      expect(r.strike).toBe(false);
    }
  });
});

describe('real Korean is untouched', () => {
  const korean = [
    '안녕하세요, 주문한 상품이 아직 도착하지 않았습니다. 언제 받을 수 있나요?',
    '배송 조회를 해 보니 물류 센터에 사흘째 머물러 있다고 나옵니다. 확인 부탁드립니다.',
    '감사합니다! 좋은 하루 보내세요 ㅎㅎ ㅋㅋㅋ',
  ];
  for (const text of korean) {
    it(`${text.slice(0, 12)}… keeps its words and is delivered`, () => {
      const v = analyze(text);
      expect(v.key.split(' ')).toHaveLength(text.split(' ').length);
      expect(v.key).not.toMatch(/ {2}|^ | $/);
      const h = harness(kw());
      expect(h.screen(text).outcome).toBe('allow');
      expect(h.codes()).toEqual([]);
    });
  }

  it('a filler that completes an old-Hangul syllable block stays inside the word', () => {
    // U+1100 U+1160: initial ㄱ with the vowel filler; U+115F U+1161: the initial filler with ㅏ
    expect(analyze('\u1100\u1160\u1102\u1161').key).not.toContain(' ');
    expect(analyze('\u115f\u1161\u11a8 \u1100\u1160').key.split(' ')).toHaveLength(2);
  });
});

// tier1.md §4 "spaced or dotted letters": a word spelled out letter by letter is read as the word
// whatever the separator (`. - _ * / , •` …, one kind per word) and with the ordinary punctuation
// around it (`v.i.a.g.r.a!`, `(v i a g r a)`), leet digits included (`v.1.a.g.r.a`). Spelled-out
// letters lose the spaces between words, so a phrase also matches them with its spaces removed
// (`f r e e c r y p t o`). Ordinary abbreviations and initials stay as they are.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
const kw = () => cfg({ rules: { KEYWORD: { action: 'block', phrases: ['viagra', 'free crypto'], allow: ['scunthorpe'] } } });

describe('spelled-out keywords are caught', () => {
  const caught = [
    'buy viagra now', 'buy v.i.a.g.r.a now', 'buy v i a g r a now', 'get f r e e crypto now',
    // trailing and surrounding punctuation
    'buy v.i.a.g.r.a!', 'buy v.i.a.g.r.a.', 'buy v.i.a.g.r.a', 'buy v i a g r a.', 'buy v i a g r a!!', 'buy v-i-a-g-r-a?',
    'buy (v.i.a.g.r.a)', 'buy (v i a g r a)', 'buy “v i a g r a”', '"v.i.a.g.r.a", he said',
    // other separators, one kind per word
    'buy v/i/a/g/r/a', 'buy v,i,a,g,r,a now', 'buy v•i•a•g•r•a now', 'buy v·i·a·g·r·a now', 'buy v|i|a|g|r|a now', 'buy v–i–a–g–r–a now',
    'buy v_i_a_g_r_a', 'buy v*i*a*g*r*a', 'buy v:i:a:g:r:a now',
    // leet digits between the separators
    'buy v.1.a.g.r.a now', 'get f.r.3.3 crypto now',
    // a phrase spelled out as a whole, or run into the words around it
    'get f r e e c r y p t o now', 'get f.r.e.e.c.r.y.p.t.o now', 'b u y v i a g r a', 'g e t f r e e c r y p t o n o w!',
  ];
  for (const text of caught) {
    it(`KEYWORD blocks ${JSON.stringify(text)}`, () => {
      const h = harness(kw());
      expect(h.screen(text).outcome).toBe('block');
      expect(h.codes()).toContain('KEYWORD');
    });
  }

  it('the allow list still wins over a spelled-out match', () => {
    const h = harness(cfg({ rules: { KEYWORD: { phrases: ['*cunt*'], allow: ['scunthorpe'] } } }));
    expect(h.screen('I live in S c u n t h o r p e').outcome).toBe('allow');
    expect(h.screen('you c u n t', { senderKey: 'bob' }).outcome).toBe('block');
  });
});

describe('ordinary text is not spelled out', () => {
  const texts: [string, string][] = [
    ['a/b testing', 'a/b testing'],
    ['Q&A at 5', 'q&a at 5'],
    ['e.g. this one', 'e.g. this one'],
    ['i.e. that one', 'i.e. that one'],
    ['J. R. R. Tolkien wrote it', 'j. r. r. tolkien wrote it'],
    ['Ph.D. student', 'ph.d. student'],
    ['version 1.2.3 or 2.5.1', 'version 1.2.3 or 2.5.1'],
    ['call 555-123-4567', 'call 555-123-4567'],
    ['see a/b/c/file.txt', 'see a/b/c/file.txt'],
    ['plan A or B.', 'plan a or b.'],
    ['x, y and z.', 'x, y and z.'],
  ];
  for (const [text, key] of texts) {
    it(`${JSON.stringify(text)} keeps its key and is delivered`, () => {
      expect(analyze(text).key).toBe(key);
      expect(analyze(text).joined).toBe('');
      const h = harness(kw());
      expect(h.screen(text).outcome).toBe('allow');
      expect(h.codes()).toEqual([]);
    });
  }

  it('vowel signs between letters are no separators (सामान is not स-म-न spelled out)', () => {
    for (const text of ['सामान नाराज़ है, कालाकाला', 'नमस्ते, मेरा ऑर्डर अभी तक नहीं आया है।', 'কাকা বাবা মামা']) {
      const v = analyze(text);
      expect(v.joined, text).toBe('');
      expect(v.key.split(' ')).toHaveLength(text.split(' ').length);
    }
  });

  it('the spelled-out words are listed apart for KEYWORD', () => {
    expect(analyze('b u y v i a g r a now').joined).toBe('buyviagra');
    expect(analyze('(v.i.a.g.r.a)! and f r e e.').joined.split(' ').sort()).toEqual(['(viagra)!', 'free.']);
    expect(analyze('nothing spelled here').joined).toBe('');
  });

  it('dotted initials read as one word, the full stop kept (U.S.A already was usa)', () => {
    expect(analyze('made in the U.S.A.').key).toBe('made in the usa.');
    expect(analyze('made in the U.S.A').key).toBe('made in the usa');
    expect(analyze('J.R.R. Tolkien').key).toBe('jrr. tolkien');
    expect(harness(kw()).screen('J.R.R. Tolkien, made in the U.S.A.').outcome).toBe('allow');
  });

  it('masked key, contact and phone digits are what the spelled-out letters gave before', () => {
    // the masked key drops separators anyway; the digits of a word are counted the same
    expect(analyze('buy v.1.a.g.r.a!').masked).toBe('buy v<num>agra');
    expect(analyze('a.b.c.1.2.3.4').contact).toBe(false);
    expect(analyze('call 1.2.3.4.5.6.7').contact).toBe(true);
  });
});

// Most chat is ASCII, and Tier-1 reads it through a one-loop fast path (workers/tier1/asciiFast.ts)
// that must give exactly the view the general path gives (asciiStats + normalizeText): key,
// masked key, links, contact, every count. A difference is a rule that sees another text than the
// one it was tuned on — an evasion or a false positive that only shows on one path.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { smsRows } from '../bench/sms-dataset.ts';
import { initTier1 } from '../workers/tier1/index.ts';
import { analyzeNfc, blankView } from '../workers/tier1/analysis.ts';
import { analyzeAscii } from '../workers/tier1/asciiFast.ts';

await initTier1();

/** Both paths over one text; whether the fast path took it (it hands rare shapes to the general one). */
function bothPaths(text: string, urlCap: number): { fast: boolean } {
  const handled = analyzeAscii(blankView(), text, urlCap);
  // analyzeNfc takes the fast path when given no NFC form; given one (an ASCII text is its own), never
  expect(analyzeNfc(text, urlCap, null), JSON.stringify(text)).toEqual(analyzeNfc(text, urlCap, text));
  return { fast: handled };
}

// Pieces that reach each branch of the fast loop: letter runs, case, repeats, the characters it
// looks at twice (p, '.', '@', brackets), de-obfuscation shapes it hands over, links, handles,
// addresses, phone-like and digit tokens, control characters and whitespace of every kind.
const PIECES = [
  'a', 'b', 'p', 'P', 'x', 'h', 'hxxp', 'http://', 'https://', 'www.', '.com', '.', ' . ', '@', 'dot', '[.]', '(.)', '{dot}', '( dot )',
  '(', ')', '[', ']', '{', '}', ' ', '  ', '\n', '\r\n', '\t', '\f', '0', '1', '555', '-', '+', '/', ':', '_', '*', '!', '?', ',',
  'aaa', 'AAAA', 'Free', 'f r e e', 'e', 'example', 'x.y', 'co', '.uk', '#', '$', '%', '&', '~', '\u0001', '\u007f', 'bit.ly/x',
  'me@x.io', '@user', '1-800-555-0199', '(555) 123 4567', 'zz', 'Q', '..', '--', 'WWW.SHOP.COM', 'a.b.c.d', '.-_*x',
];
const asciiText = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 }).map((s) => s.replace(/[^\x00-\x7f]/g, 'a'))), { maxLength: 30 })
  .map((xs) => xs.join(''));

describe('Tier-1 ASCII fast path', () => {
  it('gives the general path\'s view for every ASCII message of the SMS dataset, ham and spam', () => {
    let fast = 0;
    let all = 0;
    for (const t of [...smsRows('ham'), ...smsRows('spam')]) {
      if (/[^\x00-\x7f]/.test(t)) continue;
      all++;
      if (bothPaths(t, Infinity).fast) fast++;
    }
    expect(all).toBeGreaterThan(4000);
    // the comparison means something only if the fast path took most of them
    expect(fast / all).toBeGreaterThan(0.9);
  });

  it('gives the general path\'s view for generated ASCII text, with and without a cap on links', () => {
    let fast = 0;
    let all = 0;
    fc.assert(
      fc.property(asciiText, fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 5 })), (t, cap) => {
        all++;
        if (bothPaths(t, cap).fast) fast++;
      }),
      { numRuns: 4000 },
    );
    expect(fast / all).toBeGreaterThan(0.5);
  });
});

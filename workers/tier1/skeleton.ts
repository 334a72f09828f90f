// UTS #39-style confusable folding, built once from the `confusables` package. ASCII keys are
// dropped (the package maps `|`→`l` and `1`→`1`, which would rewrite code and numbers).
import { confusablesMap } from 'confusables';

// Cyrillic and Greek get a curated table instead of the package's: it maps real Russian letters
// to digits and unrelated capitals (з→3, д→A), which would garble Cyrillic-only text into noise.
// Lower-case forms of capital look-alikes (в→b, н→h) are kept because case-fold runs first.
const CURATED: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ү: 'y', ɡ: 'g', ꜰ: 'f', ꜱ: 's', ꞯ: 'q', ɪ: 'i', ʏ: 'y', ʀ: 'r', ɴ: 'n', ʜ: 'h', ʟ: 'l', ɢ: 'g', ʙ: 'b',
  α: 'a', β: 'b', γ: 'y', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
};

const map = new Map<number, string>();
for (const [from, to] of Object.entries(CURATED)) map.set(from.codePointAt(0) ?? 0, to);
for (const [from, to] of confusablesMap) {
  const cp = from.codePointAt(0);
  if (cp === undefined || cp < 0x80 || from.length !== String.fromCodePoint(cp).length) continue;
  if ((cp >= 0x370 && cp <= 0x52f) || map.has(cp)) continue;
  const folded = to.toLowerCase();
  if (folded !== from) map.set(cp, folded);
}

// Which code points have a mapping at all (every key is below 0x20000): the per-code-point loops
// test this byte before paying for a Map lookup.
const has = new Uint8Array(0x20000);
for (const cp of map.keys()) if (cp < has.length) has[cp] = 1;

/** Folded replacement of one (already lower-cased) code point, or undefined if it stays. */
export function skeletonOf(cp: number): string | undefined {
  return cp < 0x20000 && has[cp] === 0 ? undefined : map.get(cp);
}

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

// Steps 5–6 in one table: the lower-case of one code point (String#toLowerCase's root-locale
// mapping, which depends on context only for a capital sigma: callers fall back to toLowerCase
// when U+03A3 is present), each resulting code point then folded by skeletonOf. Built per
// 256-code-point block, looking at single code points only where a block changes at all.
export const CAPITAL_SIGMA = 0x3a3;
const FOLD_SIZE = 0x20000;
const foldIndex = new Uint16Array(FOLD_SIZE); // 0 = unchanged, else 1 + position in FOLD
const FOLD: string[] = [];
const foldBig = new Map<number, string>(); // code points ≥ FOLD_SIZE that change

function foldOne(cp: number): string | undefined {
  const s = String.fromCodePoint(cp);
  const lower = s.toLowerCase();
  let out = '';
  let changed = lower !== s;
  for (const ch of lower) {
    const c = ch.codePointAt(0) ?? 0;
    const sk = c >= 0x80 ? skeletonOf(c) : undefined;
    if (sk !== undefined) { out += sk; changed = true; } else out += ch;
  }
  return changed ? out : undefined;
}

/** Does the block [base, base + 256) hold a code point with a skeleton or a lower-case change? */
function blockChanges(base: number): boolean {
  const cps: number[] = [];
  for (let cp = base; cp < base + 256; cp++) {
    if (cp >= 0x80 && has[cp] === 1) return true;
    cps.push(cp);
  }
  const block = String.fromCodePoint(...cps);
  return block.toLowerCase() !== block;
}

// No code point from U+20000 up changes under toLowerCase (cased scripts all lie in planes 0–1),
// so above FOLD_SIZE only skeleton keys fold.
function buildFold(): void {
  for (let base = 0; base < FOLD_SIZE; base += 256) {
    if ((base >= 0xd800 && base < 0xe000) || !blockChanges(base)) continue;
    for (let cp = base; cp < base + 256; cp++) {
      const f = foldOne(cp);
      if (f === undefined) continue;
      FOLD.push(f);
      foldIndex[cp] = FOLD.length;
    }
  }
  if (FOLD.length >= 0xffff) throw new Error('skeleton: too many folds for a 16-bit index');
  for (const cp of map.keys()) {
    if (cp < FOLD_SIZE) continue;
    const f = foldOne(cp);
    if (f !== undefined) foldBig.set(cp, f);
  }
}
buildFold();

// The replacements that are one UTF-16 unit (most: capitals, homoglyphs, regional indicators),
// so the fold loop can store the unit without reading a string.
const foldUnit = new Uint16Array(FOLD_SIZE);
for (let cp = 0; cp < FOLD_SIZE; cp++) {
  const k = foldIndex[cp] ?? 0;
  const f = k === 0 ? '' : (FOLD[k - 1] ?? '');
  if (f.length === 1) foldUnit[cp] = f.charCodeAt(0);
  else if (k !== 0) foldUnit[cp] = 1; // U+0001 is no fold's output
}

/**
 * lowerSkeletonOf(cp) when that is one unit (> 1); 0 when cp is unchanged; 1 when only
 * lowerSkeletonOf can tell (a longer replacement, or cp from U+20000 up).
 */
export function lowerSkeletonUnit(cp: number): number {
  return cp < FOLD_SIZE ? (foldUnit[cp] ?? 0) : 1;
}

/** Lower-cased and skeleton-folded replacement of one code point (not U+03A3), or undefined. */
export function lowerSkeletonOf(cp: number): string | undefined {
  if (cp >= FOLD_SIZE) return foldBig.get(cp);
  const k = foldIndex[cp] ?? 0;
  return k === 0 ? undefined : FOLD[k - 1];
}

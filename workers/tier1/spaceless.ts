// Scripts written without spaces between words — Han, Hiragana, Katakana, Thai, Lao, Khmer,
// Myanmar — and Hangul, whose particles are written onto the word before them. Text in them runs
// straight into a Latin host (`请访问spam.com`, `spam.comです`, `spam.com에서`, `ดูที่spam.comครับ`):
// url.ts reads such text as the space a reader sees there, and the fold (normalize.ts) keeps
// their letters that look like Latin ones (下 → t, ค → a) as written inside their own text, where
// folded they would stick Latin letters onto the host (`以tspam.com`, `spam.comaรับ`).
import { C_L, C_MN, C_N, cls } from './unicode.ts';
import { lowerSkeletonUnit } from './skeleton.ts';

/** cp belongs to one of those scripts (their letters, marks, digits and CJK punctuation). */
export function spaceless(cp: number): boolean {
  if (cp < 0x3000) {
    return (cp >= 0x0e00 && cp <= 0x0eff) || (cp >= 0x1000 && cp <= 0x11ff && (cp <= 0x109f || cp >= 0x1100))
      || (cp >= 0x1780 && cp <= 0x17ff) || (cp >= 0x2e80 && cp <= 0x2fdf);
  }
  if (cp <= 0x31ff) return true;
  if (cp < 0xa960) return cp >= 0x3400 && cp <= 0x9fff;
  return cp <= 0xa97f || (cp >= 0xac00 && cp <= 0xd7ff) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff61 && cp <= 0xffdc)
    || (cp >= 0x1b000 && cp <= 0x1b16f) || (cp >= 0x20000 && cp <= 0x3ffff);
}

// Per BMP code point (no look-alike lies above it): 1 = a letter of those scripts that the
// skeleton folds to a Latin letter or digit (下 → t, ค → a, ん → h), 2 = a letter, mark or digit of
// theirs that folds to nothing else. A table: Thai has a look-alike in every few letters.
const LOOKALIKE = 1;
const OWN = 2;
const kind = new Uint8Array(0x10000);
for (let c = 0x0e00; c < 0x10000; c++) {
  if (!spaceless(c)) continue;
  const f = lowerSkeletonUnit(c);
  if (f > 1 && f < 0x80) kind[c] = LOOKALIKE;
  else if (f === 0 && (cls(c) & (C_L | C_MN | C_N)) !== 0) kind[c] = OWN;
}

/** cp is a letter of those scripts that the skeleton folds to a Latin letter or digit. */
export function lookalike(cp: number): boolean {
  return cp < 0x10000 && kind[cp] === LOOKALIKE;
}

/**
 * For the look-alike letter at r[i] that starts a run of them (r: the units of a text of n units,
 * BMP look-alikes only): the run's end, negated when the run is to be folded. It is kept as written
 * when it touches another letter of its scripts (`以下`, `ไทย`, `สมัคร`, `さん`): there it is that
 * text, not a Latin word spelled in look-alikes (`乃ㄩㄚ`, `fr乇乇`), which still folds.
 */
export function lookalikeRun(r: Uint16Array, i: number, n: number): number {
  let e = i + 1;
  while (e < n && kind[r[e] ?? 0] === LOOKALIKE) e++;
  return (i > 0 && kind[r[i - 1] ?? 0] === OWN) || (e < n && kind[r[e] ?? 0] === OWN) ? e : -e;
}

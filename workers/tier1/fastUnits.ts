// What the fast pass (asciiFast.ts) takes beyond ASCII: the Latin letters U+00C0–U+017F and the
// emoji and skin tones it takes — both read from the general path's own answers, so the two passes
// cannot drift apart for them — and the bytes that stand in its key for what does not fit one
// (combining marks, typographic quotes, emoji), with unmark() to swap them back. Only the loop's
// set-up and rare branches use these: what it reads per character stays in its own module
// (imported bindings measured ~7 % slower in the ASCII loop).
import { C_EP, C_L, C_LO, C_UP, cls, info, N_MARKISH, stripInfo } from './unicode.ts';
import { normalize } from './normalize.ts';
import { units, unitsString } from './units.ts';

// The marks a Latin letter's fold may carry, by marker byte: Latin-1's first (1–7), then those the
// other letters carry, added as LATIN_LETTERS finds them (below; at most MAX_MARKER: a marker byte
// must stay under the space that separates tokens in the key).
const MARKS = [0, 0x300, 0x301, 0x302, 0x303, 0x308, 0x30a, 0x327];
const MAX_MARKER = 31;

// The typographic dashes and quotes phones type for - ' " (– — ‘ ’ “ ”) are symbols to both passes
// and stay in the key as they are: each is read as a byte 0x80–0x85 (bytes no text unit taken here
// has: the Latin-1 units below À are left to the general path), swapped back with the marks.
export const PUNCT_FIRST = 0x2013;
export const PUNCT_UNITS = [0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d];
// Emoji from the supplementary planes (most of what chat sends: 😊 👍 🙏 😂 🎉) are taken too when the
// general path sees each as one grapheme and keeps it in the key as it is: an Extended_Pictographic
// code point that is not a modifier, a component or a regional indicator, and that no fold,
// skeleton, NFKC or strip step changes — with one skin tone after it or none (👍🏽: the same grapheme
// there). One is counted as an emoji grapheme, is a symbol to the token rules (it is left out of
// the masked key) and is the byte 0x86 to the loop's tables and in the key, swapped back at the end
// for the entries of the fast pass's EMOJI_KEPT, in order: a code point, or a toned emoji as its code point plus
// the tone's number × 2^20. The loop's tables then never see a unit past their end (an out-of-range
// load made the whole ASCII loop ~9 % slower once emoji had been seen), and the loop tells one
// emoji from another by the identity it keeps aside. What else may join one into a longer grapheme
// (a second tone, ZWJ, a variation selector, a keycap mark) is none of the units taken here, so
// such text goes the general way at that unit (simpleEmoji and TONES_KEPT below).
export const EMOJI_BYTE = 0x86;
export const TONE_SHIFT = 2 ** 20;
const EMOJI_FIRST = 0x1f000;
const EMOJI_LAST = 0x1faff;
const EMOJI_OK = new Uint8Array(EMOJI_LAST - EMOJI_FIRST + 1); // 0: not looked at yet, 1: taken, 2: not
// The skin tones U+1F3FB–U+1F3FF (high unit 0xD83C, low 0xDFFB–0xDFFF): Extend to the segmenter,
// no class bits, kept as they are by the fold (checked with the tables at load, like the rest).
export const TONE_FIRST = 0x1f3fb;
export const TONES_KEPT = [0, 1, 2, 3, 4].every((t) => {
  const inf = info(TONE_FIRST + t);
  return (inf & 0xff) === 0 && ((inf >> 8) & 15) === 3 && (stripInfo(TONE_FIRST + t) & ~N_MARKISH) === 0;
});

/** cp is an emoji the fast pass takes (see EMOJI_BYTE in asciiFast.ts); decided once per code point from the general path's tables. */
export function simpleEmoji(cp: number): boolean {
  if (cp < EMOJI_FIRST || cp > EMOJI_LAST) return false;
  let ok = EMOJI_OK[cp - EMOJI_FIRST] ?? 2;
  if (ok === 0) {
    const inf = info(cp);
    // an emoji to unicodeStats, a grapheme of its own there (segmenter category 4: a pictograph,
    // not Extend or Regional_Indicator), and nothing for stripMap or the fold to do; the test
    // compares the two paths on every code point of the range
    ok = (inf & C_EP) !== 0 && ((inf >> 8) & 15) === 4 && stripInfo(cp) === 0 ? 1 : 2;
    EMOJI_OK[cp - EMOJI_FIRST] = ok;
  }
  return ok === 1;
}

export const CTL_UNICODE = /[\0\r\x7f]/;

// Latin letters beyond ASCII (U+00C0–U+024F and U+1E00–U+1EFF: European, Nordic, Turkish,
// Vietnamese chat), taken from what the general path's key makes of each: a letter and up to two
// marks (é → e U+0301, ầ → a U+0302 U+0300), one letter (ł → l, ı → l, ø → o, ß → b by the fold and
// the confusable skeleton), or two letters (æ → ae, œ → oe, ĳ → ij). The de-obfuscation patterns
// run on that folded text, so a letter that folds to a plain d, o, t, h or x could complete `[dot]`
// or `hxxp`: the fast pass's checks for them read each unit through its fold (plainFold). Left to
// the general path: what folds to 'p' with no mark (none here today; 'p' ends `hxxp`) or to
// anything else (ŀ → l·, ŉ → ʼn, ǆ → dž, ÷, IPA letters). × folds to x and is taken (counted as the
// symbol it is).
export interface LatinLetter {
  unit: number;
  /** the key's first letter, and its second for a two-letter fold (0: none) */
  base: number;
  second: number;
  /** indexes into MARKS of the marks after the letter, 0: none */
  mark: number;
  mark2: number;
  upper: boolean;
  lower: boolean;
}

/** The end of the units LATIN_LETTERS may hold (the fast pass's tables cover up to here). */
export const LATIN_END = 0x1f00;

function markIndex(u: number): number {
  if (u < 0x300 || u >= 0x370) return -1;
  let i = MARKS.indexOf(u);
  if (i < 0 && MARKS.length <= MAX_MARKER) i = MARKS.push(u) - 1;
  return i;
}

function findLetters(): LatinLetter[] {
  const out: LatinLetter[] = [];
  const isLetter = (u: number): boolean => u >= 97 && u <= 122;
  for (let c = 0xc0; c < LATIN_END; c++) {
    if (c === 0x250) c = 0x1e00;
    const k = normalize(`x${String.fromCharCode(c)}x`).key.slice(1, -1);
    const base = k.charCodeAt(0);
    if (!isLetter(base) || k.length > 3 || k === 'p') continue;
    const two = k.length === 2 && isLetter(k.charCodeAt(1));
    const mark = k.length >= 2 && !two ? markIndex(k.charCodeAt(1)) : 0;
    const mark2 = k.length === 3 ? markIndex(k.charCodeAt(2)) : 0;
    if (mark < 0 || mark2 < 0) continue;
    const cl = cls(c);
    // a caseless letter (ǀ, ƛ…) counts as neither upper, lower nor symbol, which the pass's counts cannot say
    if (cl & C_L && !(cl & (C_UP | C_LO))) continue;
    out.push({ unit: c, base, second: two ? k.charCodeAt(1) : 0, mark, mark2, upper: (cl & C_UP) !== 0, lower: (cl & C_LO) !== 0 });
  }
  return out;
}

/** The Latin letters the fast pass takes (see above). */
export const LATIN_LETTERS: readonly LatinLetter[] = findLetters();

// The key's stand-in bytes back to what they stand for — marks, typographic quotes, and emoji in
// the order the fast pass kept them — written as UTF-16 units into the shared scratch and made one
// string (a regex replace with a callback per match cost ~40 ns a mark: a Vietnamese line carries
// one on almost every syllable).
const UNIT_OF = new Uint16Array(256);
for (let b = 0; b < 256; b++) UNIT_OF[b] = b;
MARKS.forEach((m, i) => { if (i > 0) UNIT_OF[i] = m; });
PUNCT_UNITS.forEach((u, i) => { UNIT_OF[0x80 + i] = u; });

/** The string of the fast pass's key bytes [0, len), stand-ins swapped back (`kept`: its emoji, in order). */
export function unmarkBytes(b: Uint8Array, len: number, kept: readonly number[]): string {
  // an emoji byte becomes up to four units (a toned emoji: two surrogate pairs)
  const u = units(4 * len);
  let k = 0;
  let e = 0;
  for (let i = 0; i < len; i++) {
    const c = b[i] ?? 0;
    if (c !== EMOJI_BYTE) {
      u[k++] = UNIT_OF[c] ?? c;
      continue;
    }
    const id = kept[e++] ?? 0xfffd;
    const cp = id < TONE_SHIFT ? id : id % TONE_SHIFT;
    k = putCodePoint(u, k, cp);
    if (id >= TONE_SHIFT) k = putCodePoint(u, k, TONE_FIRST - 1 + Math.floor(id / TONE_SHIFT));
  }
  return unitsString(k);
}

function putCodePoint(u: Uint16Array, k: number, cp: number): number {
  if (cp < 0x10000) {
    u[k++] = cp;
    return k;
  }
  u[k++] = 0xd800 + ((cp - 0x10000) >> 10);
  u[k++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
  return k;
}

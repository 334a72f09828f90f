// What the fast pass (asciiFast.ts) takes beyond ASCII and Latin-1: the combining marks and
// typographic quotes that stand in its key as single bytes, the emoji and skin tones it takes, and
// the Latin Extended-A letters it takes — the last two read from the general
// path's own answers so the two passes cannot drift apart for them. Only the loop's set-up and rare
// branches use these: what it reads per character stays in its own module (imported bindings
// measured ~7 % slower in the ASCII loop).
import { C_EP, C_LO, C_UP, cls, info, N_MARKISH, stripInfo } from './unicode.ts';
import { normalize } from './normalize.ts';

// Marks of Latin-1 letters first (1–7), then those only Latin Extended-A letters carry (8–13).
export const MARKS = [0, 0x300, 0x301, 0x302, 0x303, 0x308, 0x30a, 0x327, 0x304, 0x306, 0x307, 0x30b, 0x30c, 0x328];

// The typographic dashes and quotes phones type for - ' " (– — ‘ ’ “ ”) are symbols to both passes
// and stay in the key as they are: each is read as a byte 0x80–0x85 (bytes no text unit taken here
// has: the Latin-1 units below À are left to the general path), swapped back with the marks.
export const PUNCT_FIRST = 0x2013;
export const PUNCT_UNITS = [0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d];
const EMOJI_FIRST = 0x1f000;
const EMOJI_LAST = 0x1faff;
const EMOJI_OK = new Uint8Array(EMOJI_LAST - EMOJI_FIRST + 1); // 0: not looked at yet, 1: taken, 2: not
// Emoji from the supplementary planes that the fast pass takes: see EMOJI_BYTE in asciiFast.ts.
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

// Latin Extended-A letters (Central European, Baltic, Turkish, Maltese…: ą č ę ğ ł ő ś ş ž), taken
// the same way, from what the general path's key makes of each: a base letter and one mark
// (č → c U+030C), or one letter (ł → l, ı → l by the confusable skeleton). Left to it: those that
// fold to two letters (ĳ, œ), a letter and a dot (ŀ) or an apostrophe (ŉ), and those that fold to
// one of d, o, t, h, x, p with no mark (đ, ħ, ŧ: like ð and ø in asciiFast.ts, they could complete a
// de-obfuscation pattern).
/** The Latin Extended-A letters the fast pass takes: each unit's base letter, marker and case. */
export function latinExtA(): { unit: number; base: number; mark: number; upper: boolean; lower: boolean }[] {
  const out: { unit: number; base: number; mark: number; upper: boolean; lower: boolean }[] = [];
  for (let c = 0x100; c <= 0x17f; c++) {
    const k = normalize(`x${String.fromCharCode(c)}x`).key.slice(1, -1);
    const base = k.charCodeAt(0);
    const mark = k.length === 2 ? MARKS.indexOf(k.charCodeAt(1)) : 0;
    if (!(base >= 97 && base <= 122) || k.length > 2 || mark < 0 || (k.length === 1 && 'dothxp'.includes(k))) continue;
    const cl = cls(c);
    out.push({ unit: c, base, mark, upper: (cl & C_UP) !== 0, lower: (cl & C_LO) !== 0 });
  }
  return out;
}

// Words spelled out letter by letter (tier1.md §3 step 7, §4 "spaced or dotted letters"):
// `f r e e`, `v.i.a.g.r.a!`, `(v i a g r a)`, `v•1•a•g•r•a`. The key reads each as the word, its
// punctuation around it kept (so `viagra!` still ends at a word boundary), and the words joined
// this way are listed apart (TokenScan.joined): spelling a phrase out loses the spaces between its
// words and the boundaries around it, so KEYWORD also looks for the phrases, spaces removed,
// anywhere in them. Letters inside ordinary words are never joined: a run needs three letters
// or more, each alone (one letter per token, or one between each pair of the same separator),
// and only punctuation before and after — `e.g.`, `Q&A`, `a/b`, `J. R. R. Tolkien` stay as typed.
import { C_L, C_MN, C_N, C_WS, cls, info } from './unicode.ts';
import type { TokenScan } from './token.ts';

/** A unit of the folded text that is neither letter, digit, mark nor space: punctuation, a symbol, half of an emoji. */
export function isPunctUnit(c: number): boolean {
  if (c < 0x80) return c > 32 && !((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90));
  const v = info(c);
  const g = (v >> 8) & 15;
  return !(v & (C_L | C_N | C_MN | C_WS)) && g !== 3 && g !== 11;
}

/** A mark that belongs to the letter before it: nonspacing, or a grapheme Extend / SpacingMark (Indic vowel signs). */
function isMarkUnit(c: number): boolean {
  if (c < 0x300) return false;
  const v = info(c);
  const g = (v >> 8) & 15;
  return (v & C_MN) !== 0 || g === 3 || g === 11;
}

/** A letter or digit (not a mark, which may belong to the letter before it). */
function isWordUnit(c: number): boolean {
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  return (cls(c) & (C_L | C_N)) !== 0;
}

/** The digits the keyword path's leet map reads as letters (0 1 3 4 5 7). */
function isLeetDigit(c: number): boolean {
  return c === 48 || c === 49 || c === 51 || c === 52 || c === 53 || c === 55;
}

/** The end of one spelled letter at t[i] (a–z, a leet digit, or a BMP letter with its marks), or -1. */
function letterEnd(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c < 0x80) {
    if (!((c >= 97 && c <= 122) || isLeetDigit(c))) return -1;
  } else if (!(cls(c) & C_L)) return -1; // surrogate halves have no class: no letter
  i++;
  while (i < t.length && isMarkUnit(t.charCodeAt(i))) i++;
  return i;
}

/**
 * `f.r.e.e` / `(v-i-a-g-r-a)!` / `v•1•a•g•r•a` → `free` / `(viagra)!` / `v1agra`: three or more
 * letters (two at least not digits) with one separator between each two, the same one — any
 * punctuation or symbol of one BMP code point but '@' (handles) — and only punctuation before and
 * after them. Anything else is returned as it is.
 */
export function undot(t: string): string {
  const n = t.length;
  if (n < 5 || (isWordUnit(t.charCodeAt(0)) && isWordUnit(t.charCodeAt(1)))) return t; // most words
  let s = 0;
  while (s < n && isPunctUnit(t.charCodeAt(s))) s++;
  if (n - s < 5) return t;
  let e = letterEnd(t, s);
  if (e < 0) return t;
  const sep = t.charCodeAt(e);
  if (sep === 64 || (sep >= 0xd800 && sep <= 0xdfff) || !isPunctUnit(sep)) return t;
  let letters = t.slice(s, e);
  let count = 1;
  let digits = t.charCodeAt(s) < 58 ? 1 : 0;
  while (e < n && t.charCodeAt(e) === sep) {
    const f = letterEnd(t, e + 1);
    if (f < 0) break;
    count++;
    if (t.charCodeAt(e + 1) < 58) digits++;
    letters += t.slice(e + 1, f);
    e = f;
  }
  if (count < 3 || count - digits < 2) return t;
  for (let i = e; i < n; i++) if (!isPunctUnit(t.charCodeAt(i))) return t;
  return s === 0 && e === n ? letters : t.slice(0, s) + letters + t.slice(e);
}

/** One BMP letter alone: a–z or a non-ASCII letter (the key is folded: no capitals). */
function isLetterUnit(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0x80 && (cls(c) & C_L) !== 0);
}

/** t[s, e) is one letter alone. */
export function isSingleLetter(t: string, s = 0, e = t.length): boolean {
  return e - s === 1 && isLetterUnit(t.charCodeAt(s));
}

/** t[s, e) is punctuation, then one letter (`(v`, `“v`): it may open a spelled-out run. */
export function spelledStart(t: string, s: number, e: number): boolean {
  if (e - s < 2 || !isLetterUnit(t.charCodeAt(e - 1))) return false;
  for (let i = s; i < e - 1; i++) if (!isPunctUnit(t.charCodeAt(i))) return false;
  return true;
}

/** The token that ends before the whitespace before t[s] opens a spelled-out run (spelledStart); whitespace is units ≤ U+0020. */
export function spelledBefore(t: string, s: number): boolean {
  let e = s - 1;
  while (e >= 0 && t.charCodeAt(e) <= 32) e--;
  // most tokens before a single letter are words: their last two units are not punctuation + letter
  if (e < 1 || !isLetterUnit(t.charCodeAt(e)) || !isPunctUnit(t.charCodeAt(e - 1))) return false;
  let b = e;
  while (b >= 0 && t.charCodeAt(b) > 32) b--;
  return spelledStart(t, b + 1, e + 1);
}

/** t[s, e) is one letter, then punctuation (`a.`, `a)!`): it may close a spelled-out run. */
export function spelledEnd(t: string, s: number, e: number): boolean {
  if (e - s < 2 || !isLetterUnit(t.charCodeAt(s))) return false;
  for (let i = s + 1; i < e; i++) if (!isPunctUnit(t.charCodeAt(i))) return false;
  return true;
}

/** Where each token of the list joinSpaced last rebuilt came from: its index in toks, -1 for a joined word. */
export const JOIN_SRC: number[] = [];

/**
 * Joins runs of ≥ 3 spelled-out tokens (`f r e e` → `free`, `(v i a g r a).` → `(viagra).`): single
 * letters, the first of them possibly with punctuation before it, the last with punctuation after.
 * Each joined word is added to st.joined. Returns toks itself when nothing was joined.
 */
export function joinSpaced(toks: string[], st: TokenScan): string[] {
  let out: string[] | null = null;
  JOIN_SRC.length = 0;
  for (let i = 0; i < toks.length; ) {
    const t = toks[i] ?? '';
    let j = i;
    if (isSingleLetter(t) || spelledStart(t, 0, t.length)) {
      j = i + 1;
      while (j < toks.length && isSingleLetter(toks[j] ?? '')) j++;
      const last = toks[j] ?? '';
      if (j < toks.length && spelledEnd(last, 0, last.length)) j++;
    }
    if (j - i >= 3) {
      if (out === null) {
        out = toks.slice(0, i);
        for (let k = 0; k < i; k++) JOIN_SRC.push(k);
      }
      const w = toks.slice(i, j).join('');
      out.push(w);
      JOIN_SRC.push(-1);
      st.joined = st.joined.length === 0 ? w : st.joined + ' ' + w;
      i = j;
    } else {
      if (out !== null) { out.push(t); JOIN_SRC.push(i); }
      i++;
    }
  }
  return out ?? toks;
}

// The same questions for the ASCII fast path (asciiFast.ts), which must hand every text the general
// path would join over to it. Its key bytes are the general path's folded units but for
// punctuation and emoji (bytes ≥ 0x80) and a letter's marks (bytes < 0x20).

/** A key byte that is a letter or digit (the key is lower case). */
export function alnumByte(b: number): boolean {
  return (b >= 97 && b <= 122) || (b >= 48 && b <= 57);
}

/** Key bytes [s, e) are all punctuation or symbols (no letter, digit or mark byte), e > s. */
function punctBytes(k: Uint8Array, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) {
    const b = k[i] ?? 0;
    if (b <= 32 || (b >= 97 && b <= 122) || (b >= 48 && b <= 57)) return false;
  }
  return true;
}

/** spelledBefore on key bytes: the token before the one at k[s] (tokens are one space 32 apart; marks are bytes < 32). */
export function spelledBeforeBytes(k: Uint8Array, s: number): boolean {
  const e = s - 1; // the space before the token, or -1
  if (e < 2) return false;
  const last = k[e - 1] ?? 0;
  const before = k[e - 2] ?? 0;
  if (!(last >= 97 && last <= 122) || before <= 32 || (before >= 97 && before <= 122) || (before >= 48 && before <= 57)) return false;
  let b = e - 1;
  while (b >= 0 && k[b] !== 32) b--;
  return punctBytes(k, b + 1, e - 1);
}

/** spelledEnd on key bytes [s, e). */
export function spelledEndBytes(k: Uint8Array, s: number, e: number): boolean {
  const b = k[s] ?? 0;
  return b >= 97 && b <= 122 && punctBytes(k, s + 1, e);
}

/** A letter or digit of the fast path's text: there, every unit but ASCII ones, the typographic
 *  quotes and dashes (U+2013–U+201D) and emoji halves is a Latin letter. */
function fastAlnum(c: number): boolean {
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  return !(c >= 0x2013 && c <= 0x201d) && !(c >= 0xd800 && c <= 0xdfff);
}

/**
 * undot may change the fast path's word text[s, e): after its leading punctuation, a letter, a
 * separator, a letter and the same separator again. Read on the text, where each letter is one
 * unit and punctuation is what the general path's key has.
 */
export function maybeDotted(text: string, s: number, e: number): boolean {
  let p = s;
  while (p < e && !fastAlnum(text.charCodeAt(p))) p++;
  if (e - p < 5) return false;
  const sep = text.charCodeAt(p + 1);
  return !fastAlnum(sep) && fastAlnum(text.charCodeAt(p + 2)) && text.charCodeAt(p + 3) === sep;
}

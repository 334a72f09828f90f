// The whole analysis of an ASCII message (most chat), or one whose only other characters are
// Latin letters (European, Turkish and Vietnamese chat: fastUnits.ts), typographic quotes and
// dashes, or single emoji, in one char-code loop: the counting view, lower-casing,
// run collapsing and the key / masked key, written into reused byte buffers and turned into two
// strings at the end. It gives exactly what the general path (asciiStats or unicodeStats, and
// normalizeText) gives; for the rare inputs whose handling is not inlined here (de-obfuscation
// patterns, letters spelled out one per token, a non-ASCII word with a link-like '.' or an '@',
// emoji sequences, other Unicode) it returns false and the caller takes the general path. Tokens
// that may be links, addresses or dotted words go to the shared classifyToken.
import type { View } from './analysis.ts';
import { fp64nBytes } from './hash.ts';
import { classifyToken, F_AT, F_DOT, F_PCT, F_SCHEME, resetScan, titleMask } from './token.ts';
import { maybeLinkBytes, schemeEndsAt } from './url.ts';
import { alnumByte, maybeDotted, spelledBeforeBytes, spelledEndBytes } from './spelled.ts';
import { CTL_UNICODE, EMOJI_BYTE, LATIN_END, LATIN_LETTERS, PUNCT_FIRST, PUNCT_UNITS, simpleEmoji, TONE_FIRST, TONE_SHIFT, TONES_KEPT, unmarkBytes } from './fastUnits.ts';

// Per-thread scratch, grown on demand (the call is synchronous and not re-entrant).
let KEY = Buffer.allocUnsafe(1024);
let MASK = Buffer.allocUnsafe(3 * 1024 + 16);
// The view last filled here, and the lengths of its key and masked key in KEY and MASK: its
// fingerprints can be taken from those bytes (they are its UTF-8) until the next call.
let last: View | null = null;
let lastKl = 0;
let lastMl = 0;
// Exact-length views of KEY / MASK by length, so hashing them allocates nothing.
let keyViews: Uint8Array[] = [];
let maskViews: Uint8Array[] = [];

function viewOf(views: Uint8Array[], buf: Buffer, len: number): Uint8Array {
  let v = views[len];
  if (v === undefined) { v = buf.subarray(0, len); views[len] = v; }
  return v;
}

/** fp64n(v.key) when v is the view analyzeAscii filled last, else null. */
export function asciiKeyFp(v: View): bigint | null {
  return v === last ? fp64nBytes(viewOf(keyViews, KEY, lastKl)) : null;
}

/** fp64n(v.masked) when v is the view analyzeAscii filled last, else null. */
export function asciiMaskedFp(v: View): bigint | null {
  return v === last ? fp64nBytes(viewOf(maskViews, MASK, lastMl)) : null;
}

// Buffer#latin1Slice is what toString('latin1') ends in; called directly, it skips the encoding dispatch.
type Latin1 = { latin1Slice?: (start: number, end: number) => string };
const hasLatin1Slice = typeof (Buffer.prototype as Latin1).latin1Slice === 'function';
function latin1(b: Buffer, start: number, end: number): string {
  return hasLatin1Slice ? (b as Latin1).latin1Slice!(start, end) : b.toString('latin1', start, end);
}

// One table load per char instead of comparison chains.
const K_LOW = 1; // a–z
const K_UP = 2; // A–Z
const K_DIG = 4; // 0–9
const K_WS = 8; // ≤ U+0020: separates tokens
const K_PHONE = 16; // + - ( ) . / (a token of these and digits is phone-like)
const K_SPECIAL = 32; // @ . [ ( { p P % and ':': need a closer look (handles, links, de-obfuscation)
const K_LAT = 64; // a non-ASCII Latin letter taken (see below); capitals are K_UP as well
// The tables cover ASCII and the Latin letters of fastUnits.ts (up to U+1EFF); the loop looks up
// no other unit (an emoji or a typographic mark is given a byte of its own first).
const TABLE = LATIN_END;
const KIND = new Uint8Array(TABLE);
// the key's unit for each unit: lower case, and for the Latin letters the general path's fold
const LOWER = new Uint8Array(TABLE);
// Counts of the view, packed two per int32 (low/high 15 bits) so counting is one add per char:
// CNT_A = lower | upper << 15, CNT_B = spaces | digits << 15 (with the closing space).
const CNT_A = new Int32Array(TABLE);
const CNT_B = new Int32Array(TABLE);
for (let c = 0; c < 128; c++) {
  let k = 0;
  if (c >= 97 && c <= 122) k |= K_LOW;
  if (c >= 65 && c <= 90) k |= K_UP;
  if (c >= 48 && c <= 57) k |= K_DIG;
  if (c <= 32) k |= K_WS;
  if (c === 43 || c === 45 || c === 40 || c === 41 || c === 46 || c === 47) k |= K_PHONE;
  if (c === 64 || c === 46 || c === 91 || c === 40 || c === 123 || c === 112 || c === 80 || c === 37 || c === 58) k |= K_SPECIAL;
  KIND[c] = k;
  LOWER[c] = k & K_UP ? c | 32 : c;
  CNT_A[c] = k & K_LOW ? 1 : k & K_UP ? 1 << 15 : 0;
  CNT_B[c] = c <= 32 || c === 127 ? 1 : k & K_DIG ? 1 << 15 : 0;
}
// Latin letters beyond ASCII (see LATIN_LETTERS in fastUnits.ts): each is one grapheme, NFC as it
// is, Latin script. The general path's key folds one to a letter and up to two combining marks, to
// one letter, or to two letters. A mark does not fit a byte: it is written as a marker byte 1–31
// (no token holds a unit ≤ U+0020) and swapped for the mark when the strings are made.
// test/tier1-ascii-fast-path.test.ts holds the two paths together.
const MARK = new Uint8Array(TABLE); // the marker byte written after a letter's base, 0: none
const MARK2 = new Uint8Array(TABLE); // and a second one (ầ → a U+0302 U+0300), 0: none
// Typographic quotes and dashes: the bytes 0x80–0x85 (see fastUnits.ts), read as symbols.
const PUNCT = new Uint8Array(11); // by unit − PUNCT_FIRST: its byte, 0: not taken
PUNCT_UNITS.forEach((u, i) => {
  PUNCT[u - PUNCT_FIRST] = 0x80 + i;
  LOWER[0x80 + i] = 0x80 + i;
});
// the second letter of a two-letter fold (æ → ae), 0: none
const LOWER2 = new Uint8Array(TABLE);
for (const l of LATIN_LETTERS) {
  KIND[l.unit] = K_LAT | (l.upper ? K_UP : 0);
  LOWER[l.unit] = l.base;
  LOWER2[l.unit] = l.second;
  MARK[l.unit] = l.mark;
  MARK2[l.unit] = l.mark2;
  CNT_A[l.unit] = l.upper ? 1 << 15 : l.lower ? 1 : 0;
}

/**
 * The letter a text unit is to the de-obfuscation patterns, which the general path matches on the
 * folded text: an ASCII unit lower-cased, a letter taken here that folds to one plain letter that
 * letter (đ → d, ø → o), anything else -1.
 */
function plainFold(c: number): number {
  if (c < 0x80) return c | 32;
  return c < TABLE && (KIND[c] ?? 0) & K_LAT && MARK[c] === 0 && LOWER2[c] === 0 ? (LOWER[c] ?? -1) : -1;
}

// Emoji: the byte EMOJI_BYTE to the tables and in the key, their identity in EMOJI_KEPT (see
// fastUnits.ts, which swaps them back).
let EMOJI_KEPT: number[] = [];
LOWER[EMOJI_BYTE] = EMOJI_BYTE;
const MAX_LEN = (1 << 15) - 2; // longer texts go the general path (see CNT_A)

/** Writes the (ASCII) units of s into b from k; returns the end. Tokens are short: a plain loop
 *  beats Buffer#write's argument handling. */
function putLatin1(b: Buffer, k: number, s: string): number {
  for (let j = 0; j < s.length; j++) b[k++] = s.charCodeAt(j);
  return k;
}

/** `\s` of the de-obfuscation regexes, for ASCII. */
function reSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** OBF_BRACKET of normalize.ts (`\s?[[({]\s?(?:\.|dot)\s?[\])}]\s?`) matches at bracket b. */
function obfBracketAt(t: string, b: number): boolean {
  let j = b + 1;
  if (reSpace(t.charCodeAt(j))) j++;
  if (t.charCodeAt(j) === 46) j++;
  else if (plainFold(t.charCodeAt(j)) === 100 && plainFold(t.charCodeAt(j + 1)) === 111 && plainFold(t.charCodeAt(j + 2)) === 116) j += 3;
  else return false;
  if (reSpace(t.charCodeAt(j))) j++;
  const c = t.charCodeAt(j);
  return c === 41 || c === 93 || c === 125;
}

/** Fills v (which must be freshly zeroed) for ASCII `text`; false when the general path must run. */
export function analyzeAscii(v: View, text: string, urlCap: number): boolean {
  const n = text.length;
  if (n > MAX_LEN) return false;
  last = null;
  // a Latin-1 letter can take two bytes of the key (base and marker)
  if (KEY.length < 2 * n + 16) { KEY = Buffer.allocUnsafe(2 * n + 1024); keyViews = []; }
  // and of the masked key: `1é` is '<num>', 'e' and a marker
  if (MASK.length < 4 * n + 16) { MASK = Buffer.allocUnsafe(4 * n + 1024); maskViews = []; }
  const key = KEY;
  const mask = MASK;
  const st = resetScan();
  // Counting view (the rules of asciiStats in analysis.ts).
  let cntA = 0;
  let cntB = 0;
  let sPrev = -1;
  let sRun = 0;
  let maxRun = 0;
  let crlf = 0;
  // Key and masked key.
  let kl = 0;
  let ml = 0;
  let keySame = true; // key === text (no upper case, single spaces between tokens, nothing cut)
  let maskSame = true; // masked === key
  let lastWs = true;
  let singles = 0;
  let latin = false; // a Latin-1 letter or a typographic mark was seen: not ASCII, KEY / MASK not UTF-8
  let latinTok = false; // ... in the current token
  let marked = false; // a marker byte was written (see MARK)
  let pairs = 0; // emoji taken (two units, one code point, one grapheme each)
  let tones = 0; // skin tones taken with them (two units, one code point, no grapheme)
  let skipTo = -1; // the end of the emoji taken last: its units after the first are skipped
  let emojiId = -1; // the emoji taken last (see EMOJI_BYTE)
  // a fresh array, not `length = 0`: truncating measured ~10 % of an emoji line's pass
  if (EMOJI_KEPT.length > 0) EMOJI_KEPT = [];
  let prevNum = false;
  // Current token.
  let inTok = false;
  let ts = 0; // text offset of the token
  let ks = 0; // key offset of the token
  let ms = 0; // masked offset of the token
  let mBefore = 0; // masked length before its separator
  let plain = true;
  let tokSame = true; // key bytes of the token === text[ts, i)
  let flags = 0;
  let prev = -1;
  let run = 0;
  let letters = false;
  let nums = 0;
  let digits = 0;
  let phoney = true;
  let inNum = false;
  for (let i = 0; i <= n; i++) {
    // One space past the end closes the last token.
    let c = i < n ? text.charCodeAt(i) : 32;
    if (c >= 0x80) {
      if (c > 0xff) {
        if (c < TABLE) {
          if (!((KIND[c] ?? 0) & K_LAT)) return false;
        } else if (c >= 0xd800 && c <= 0xdfff) {
          // an emoji (see EMOJI_BYTE): the rest of this iteration reads its code point, the next
          // one skips its second unit
          if (i < skipTo) continue;
          const lo = text.charCodeAt(i + 1);
          if (c > 0xdbff || !(lo >= 0xdc00 && lo <= 0xdfff)) return false;
          c = ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
          if (!simpleEmoji(c)) return false;
          skipTo = i + 2;
          pairs++;
          let id = c;
          const t = text.charCodeAt(i + 3) - 0xdffb;
          if (text.charCodeAt(i + 2) === 0xd83c && t >= 0 && t <= 4 && TONES_KEPT) {
            id += (t + 1) * TONE_SHIFT;
            skipTo = i + 4;
            tones++;
          }
          // The runs below compare bytes: one emoji after another is a run only when they are the
          // same grapheme (maxRun), and in the key only when they are the same code point and the
          // one before has no tone (a tone ends a run of code points).
          if (sPrev === EMOJI_BYTE && emojiId !== id) sPrev = -2;
          if (prev === EMOJI_BYTE && emojiId !== c) prev = -2;
          EMOJI_KEPT.push(id);
          emojiId = id;
          c = EMOJI_BYTE;
          marked = true;
        } else {
          // from here on a typographic mark is its byte (see PUNCT)
          c = c >= PUNCT_FIRST && c < PUNCT_FIRST + 11 ? (PUNCT[c - PUNCT_FIRST] ?? 0) : 0;
          if (c === 0) return false;
          marked = true;
        }
      } else if (!((KIND[c] ?? 0) & K_LAT)) return false;
      // The general path counts a non-ASCII text with unicodeStats, which differs from the ASCII
      // counts here on NUL and DEL (symbols there) and CR LF (one grapheme there): such texts go
      // there (checked once, at the first Latin-1 letter).
      if (!latin && CTL_UNICODE.test(text)) return false;
      latin = true;
      latinTok = true;
    }
    const k = KIND[c] ?? 0;
    if (!(k & K_WS)) {
      lastWs = false;
      if (!inTok) {
        inTok = true;
        ts = i;
        if (kl > 0) key[kl++] = 32;
        ks = kl;
        mBefore = ml;
        if (ml > 0) mask[ml++] = 32;
        ms = ml;
        plain = true;
        tokSame = true;
        latinTok = c >= 0x80;
        flags = 0;
        prev = -1;
        run = 0;
        letters = false;
        nums = 0;
        digits = 0;
        phoney = true;
        inNum = false;
      }
      if (k & K_LOW && c !== 112 && c !== sPrev && c !== prev) {
        // Most of a chat message is lower-case letters, each unlike the one before: copy such a
        // run in a tight loop that only stores (no run to track, nothing special, nothing else
        // to count or decide). 'p' is left to the general path: it may end 'hxxp'.
        if (maxRun === 0) maxRun = 1;
        letters = true;
        phoney = false;
        inNum = false;
        key[kl++] = c;
        mask[ml++] = c;
        let p = c;
        let j = i + 1;
        for (; j < n; j++) {
          const d = text.charCodeAt(j);
          if (d < 97 || d > 122 || d === p || d === 112) break;
          key[kl++] = d;
          mask[ml++] = d;
          p = d;
        }
        cntA += j - i;
        sPrev = p;
        sRun = 1;
        prev = p;
        run = 0;
        i = j - 1;
        continue;
      }
    }
    if (c === sPrev) {
      if (i < n && ++sRun > maxRun) maxRun = sRun;
    } else if (i < n) {
      sRun = 1;
      if (maxRun === 0) maxRun = 1;
      if (c === 10 && sPrev === 13) crlf++;
      sPrev = c;
    }
    cntA += CNT_A[c] ?? 0;
    cntB += CNT_B[c] ?? 0;
    if (k & K_WS) {
      if (i < n) {
        if (c !== 32 || lastWs) keySame = false;
        lastWs = true;
      }
      if (!inTok) continue;
      inTok = false;
      // Close the token text[ts, i), key bytes [ks, kl). Letters spelled out one per token (`f r e e`,
      // also opened by `(v` and closed by `a.`) go to normalizeSlow.
      if (i - ts === 1 && prev >= 97 && prev <= 122) {
        if (singles === 0 && spelledBeforeBytes(key, ks)) singles = 1;
        if (++singles >= 3) return false;
      } else if (singles >= 2 && !plain && spelledEndBytes(key, ks, kl)) return false;
      else singles = 0;
      if (plain) {
        // Letters only: key and masked both take it as it is (a cut run changes neither rule).
        st.phoneDigits = 0;
        prevNum = false;
        continue;
      }
      // '@', '%2', a scheme's ':' or a '.' before the end, in a word with a Latin-1 letter: the general
      // path may read an address or a link in it (àà.com is aa.com there), which the byte checks below
      // cannot see past a marker. Dots that end the word (`ändern.`, `voilà...`) make neither.
      if (latinTok && flags !== 0) {
        if (flags & (F_AT | F_PCT | F_SCHEME)) return false;
        for (let j = text.indexOf('.', ts); j < i; j++) if (text.charCodeAt(j) !== 46) return false;
      }
      if (flags & (F_AT | F_SCHEME) || (flags & (F_DOT | F_PCT) && maybeLinkBytes(key, ks, kl, (flags & F_PCT) !== 0)) || ((latinTok || !alnumByte(key[ks] ?? 0) || !alnumByte(key[ks + 1] ?? 0)) && maybeDotted(text, ts, i))) {
        // Handle, address, link or dotted word (which never starts with two ASCII letters or digits):
        // the shared classifier decides (for ASCII words only: it takes the word's text, not key bytes).
        if (latinTok) return false;
        // Its text as typed when that is already lower case and uncut (a JS slice is much cheaper
        // than a string made from the bytes); titleMask reads its labels' letter case in the text.
        const t0 = tokSame ? text.slice(ts, i) : latin1(key, ks, kl);
        const m = classifyToken(st, t0, flags, urlCap, !tokSame && flags & F_SCHEME ? text.slice(ts, i).toLowerCase() : t0, !tokSame && flags & F_DOT ? titleMask(text, ts, i) : 0);
        const t = st.t;
        if (t !== t0) {
          keySame = false;
          kl = putLatin1(key, ks, t);
        }
        ml = ms;
        if (m !== t) maskSame = false;
        if (m.length === 0 || (m === '<num>' && prevNum)) { ml = mBefore; maskSame = false; continue; }
        prevNum = m === '<num>';
        ml = putLatin1(mask, ms, m);
        continue;
      }
      // Ordinary word with digits or symbols: its mask was written as it went (see maskWord).
      maskSame = false;
      if (digits >= 7) st.contact = true;
      if (phoney && digits > 0) {
        st.phoneDigits += digits;
        if (st.phoneDigits >= 7) st.contact = true;
      } else st.phoneDigits = 0;
      if (!letters && (nums === 0 || (nums === 1 && prevNum))) { ml = mBefore; continue; }
      prevNum = !letters && nums === 1;
      continue;
    }
    if (k & K_SPECIAL) {
      // The de-obfuscation patterns of normalize.ts: rare, so the general path handles them.
      if (c === 46) {
        flags |= F_DOT;
        if (text.charCodeAt(i - 1) === 32 && text.charCodeAt(i + 1) === 32) return false; // ' . '
      } else if (c === 64) flags |= F_AT;
      else if (c === 112 || c === 80) {
        if (plainFold(text.charCodeAt(i - 1)) === 120 && plainFold(text.charCodeAt(i - 2)) === 120 && plainFold(text.charCodeAt(i - 3)) === 104) return false; // hxxp
      } else if (c === 37) {
        // '%2': maybe maybeLink's encoded dot '%2e' (the general path folds what follows first)
        if (text.charCodeAt(i + 1) === 50) flags |= F_PCT;
      } else if (c === 58) {
        // a web scheme's ':' (it ends in p or s): a link with no dot may follow (an IP host)
        const b = plainFold(text.charCodeAt(i - 1));
        if ((b === 112 || b === 115) && schemeEndsAt(text, i, plainFold)) flags |= F_SCHEME;
      } else if (obfBracketAt(text, i)) return false;
    }
    const lc = LOWER[c] ?? c;
    if (lc === prev) {
      if (++run >= 3) {
        // runs longer than 3 collapse to 3 — a letter's marks, or a two-letter fold's second
        // letter, stay (they are not part of the run). Those writes are repeated in the letter
        // branch below on purpose: folding the two through a `cut` flag cost the ASCII pass 2–3 %
        // (in-process, three alternating runs).
        keySame = false;
        tokSame = false;
        if (c === EMOJI_BYTE) {
          // an emoji cut from a run leaves the key; a toned one's tone stays in it and ends the run
          const id = EMOJI_KEPT.pop() ?? 0;
          if (id >= TONE_SHIFT) {
            key[kl++] = EMOJI_BYTE;
            EMOJI_KEPT.push(TONE_FIRST - 1 + Math.floor(id / TONE_SHIFT));
            prev = -2;
            run = 0;
          }
          continue;
        }
        const m = MARK[c] ?? 0;
        if (m !== 0) {
          key[kl++] = m;
          mask[ml++] = m;
          prev = 0x300 | m;
          run = 0;
          marked = true;
          const m2 = MARK2[c] ?? 0;
          if (m2 !== 0) {
            key[kl++] = m2;
            mask[ml++] = m2;
            prev = 0x300 | m2;
          }
        } else if ((LOWER2[c] ?? 0) !== 0) {
          // and a two-letter fold's second letter (æ → ae) stays: it is not part of the run
          const l2 = LOWER2[c] ?? 0;
          key[kl++] = l2;
          mask[ml++] = l2;
          prev = l2;
          run = 0;
        }
        continue;
      }
    } else run = 0;
    prev = lc;
    key[kl++] = lc;
    if (k & (K_LOW | K_UP | K_LAT)) {
      if (lc !== c) { keySame = false; tokSame = false; }
      mask[ml++] = lc;
      if (k & K_LAT) {
        const m = MARK[c] ?? 0;
        if (m !== 0) {
          key[kl++] = m;
          mask[ml++] = m;
          prev = 0x300 | m;
          run = 0;
          marked = true;
          const m2 = MARK2[c] ?? 0;
          if (m2 !== 0) {
            key[kl++] = m2;
            mask[ml++] = m2;
            prev = 0x300 | m2;
          }
        } else if ((LOWER2[c] ?? 0) !== 0) {
          const l2 = LOWER2[c] ?? 0;
          key[kl++] = l2;
          mask[ml++] = l2;
          prev = l2;
          run = 0;
        }
      }
      letters = true;
      phoney = false;
      inNum = false;
      continue;
    }
    plain = false;
    if (k & K_DIG) {
      digits++;
      if (!inNum) {
        mask[ml] = 60; mask[ml + 1] = 110; mask[ml + 2] = 117; mask[ml + 3] = 109; mask[ml + 4] = 62; // '<num>'
        ml += 5;
        nums++;
        inNum = true;
      }
    } else if (!(k & K_PHONE)) phoney = false;
  }
  if (n > 0 && lastWs) keySame = false;
  const kk = keySame ? text : marked ? unmarkBytes(key, kl, EMOJI_KEPT) : latin1(key, 0, kl);
  const lower = cntA & 0x7fff;
  const upper = cntA >>> 15;
  const spaces = (cntB & 0x7fff) - 1; // minus the closing space
  const digitCount = cntB >>> 15;
  v.nfc = text;
  v.ascii = !latin;
  v.key = kk;
  v.masked = maskSame ? kk : marked ? unmarkBytes(mask, ml, EMOJI_KEPT) : latin1(mask, 0, ml);
  v.urls = st.urls;
  v.strongUrls = st.strong;
  v.contact = st.contact;
  v.joined = st.joined;
  // an emoji is two units, one code point and grapheme, not a symbol; its tone two more units and
  // a code point of the same grapheme
  v.cp = n - pairs - tones;
  v.graphemes = n - crlf - pairs - 2 * tones;
  v.nonSpace = n - spaces - pairs - 2 * tones;
  v.emoji = pairs;
  v.symbols = n - spaces - lower - upper - digitCount - 2 * pairs - 2 * tones;
  v.maxRun = maxRun;
  v.upper = upper;
  v.lower = lower;
  last = latin ? null : v;
  lastKl = kl;
  lastMl = ml;
  return true;
}

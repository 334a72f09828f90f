// Steps 2–6 of tier1.md §3 for text with non-ASCII code points: NFKC, strip/map, the NFD mark cap,
// case-fold and confusable skeleton, giving the text the token walk (normalize.ts) reads. Besides
// that text it tells what the walk needs from before folding (FOLDED): a `。` between ASCII
// letters (ideoDot.ts), and the text before the case-fold with where each token of the output
// stands in it (typedTitles: the letter case of a host's labels, runOn.ts).
import { C_MN, cls, N_DECOMPOSES, N_HANGUL, N_MARKISH, S_COMPAT, S_DI, S_FOLDS, S_SLASH_DOT, S_WS, stripInfo } from './unicode.ts';
import { CAPITAL_SIGMA, lowerSkeletonOf, lowerSkeletonUnit, skeletonOf } from './skeleton.ts';
import { growUnits, putString, readUnits, units, unitsString } from './units.ts';
import { lookalike, lookalikeRun } from './spaceless.ts';
import { titleMask } from './runOn.ts';

/** What the last foldUnicode call saw besides its output (read right after the call). */
export const FOLDED = {
  ideoDot: false, // a `。`/`｡` stands between two ASCII letters or digits (kept: see ideoDot.ts)
  // the text before the case-fold (null: there was no ASCII capital, or a capital sigma took the
  // toLowerCase way); past a code point that folded to more or fewer units (ß → ss, a Hangul
  // syllable) positions in it and in the output differ, by what SHIFTS records
  typed: null as string | null,
  shifts: 0, // pairs in SHIFTS
};
// Per pair: an output position, and the position in FOLDED.typed it stands for (after a code point
// that folded to another length; from there on the two advance together). Per thread, grown on demand.
let SHIFTS = new Int32Array(64);

function shift(k: number, i: number): void {
  const n = FOLDED.shifts++;
  if (2 * n + 2 > SHIFTS.length) { const g = new Int32Array(2 * SHIFTS.length); g.set(SHIFTS); SHIFTS = g; }
  SHIFTS[2 * n] = k;
  SHIFTS[2 * n + 1] = i;
}

/** titleMask (runOn.ts) of the token [s, e) of foldUnicode's last output, read in the text as typed. */
export function typedTitles(s: number, e: number): number {
  const t = FOLDED.typed;
  return t === null ? 0 : titleMask(t, typedAt(s), typedAt(e));
}

/** The position in FOLDED.typed of output position q (the start or end of a token). */
function typedAt(q: number): number {
  let lo = 0;
  let hi = FOLDED.shifts; // the first pair past q is found in [lo, hi)
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if ((SHIFTS[2 * m] ?? 0) <= q) lo = m + 1;
    else hi = m;
  }
  return lo === 0 ? q : q - (SHIFTS[2 * lo - 2] ?? 0) + (SHIFTS[2 * lo - 1] ?? 0);
}

// What stripMap saw besides its output (read right after the call).
let stripKept = false; // a non-ASCII code point is left
let stripCap = false; // some base may carry more than 2 marks after NFD
let stripNfd = 0; // N_* bits of the kept code points, N_MARKISH only if something was stripped
let stripFolds = false; // a kept code point may change under case-fold + skeleton

/**
 * Step 3 on s (every replacement is one unit for one or two). With `nfcInput`, s is the NFC text
 * and step 2 is skipped: NFKC changes an NFC text only through a code point with a
 * compatibility decomposition, and at the first one this returns null (the caller then runs it
 * on the NFKC) — but for whitespace, which is a space either way (and the Hangul fillers U+3164
 * and U+FFA0 only here: NFKC makes them U+1160, see fillerUnit).
 */
function stripMap(s: string, nfcInput: boolean): string | null {
  const n = s.length;
  const u = units(n);
  // Typed-array loads: several times cheaper per unit than charCodeAt on a long two-byte string.
  const r = readUnits(s);
  let k = 0;
  let changed = false;
  let kept = false;
  // Upper bound of the longest Mn run NFD will produce (marks of consecutive decomposing or Mn
  // code points); when it never exceeds 2 the step-4 cap loop has nothing to cut.
  let blk = 0;
  let cap = false;
  let nfd = 0;
  let stripped = false;
  let upper = false;
  FOLDED.ideoDot = false;
  for (let i = 0; i < n; ) {
    const c0 = r[i]!;
    if (c0 < 0x80) {
      u[k++] = c0;
      if (c0 >= 65 && c0 <= 90) upper = true;
      blk = 0;
      i++;
      continue;
    }
    let cp = c0;
    let w = 1;
    if (c0 >= 0xd800 && c0 <= 0xdbff) {
      const lo = r[i + 1]!;
      if (lo >= 0xdc00 && lo <= 0xdfff) { cp = ((c0 - 0xd800) << 10) + (lo - 0xdc00) + 0x10000; w = 2; }
    }
    const f = stripInfo(cp);
    if (nfcInput && (f & (S_COMPAT | S_WS)) === S_COMPAT) return null;
    let rep = -1; // replacement unit, -2 = strip
    if (f & (S_WS | S_DI | S_SLASH_DOT)) {
      if (f & S_WS) rep = 32;
      else if (f & S_DI) rep = cp === 0x1160 || cp === 0x115f ? fillerUnit(r, i, cp) : -2;
      else if (cp === 0x2044 || cp === 0x2215) rep = 47;
      else if (isAsciiAlnum(s.charCodeAt(i - 1)) && isAsciiAlnum(s.charCodeAt(i + 1))) FOLDED.ideoDot = true;
    }
    if (rep !== -1) {
      changed = true;
      if (rep >= 0) {
        u[k++] = rep;
        blk = 0; // stripped code points leave their neighbours adjacent
      } else stripped = true;
    } else {
      kept = true;
      u[k++] = c0;
      if (w === 2) u[k++] = r[i + 1]!;
      nfd |= f;
      const m = f >> 8;
      if (m === 0) blk = 0;
      else if ((blk += m) > 2) cap = true;
    }
    i += w;
  }
  stripKept = kept;
  stripCap = cap;
  // No unary ~ here: V8 kept deoptimizing this function on its missing type feedback.
  stripFolds = upper || (nfd & S_FOLDS) !== 0;
  stripNfd = nfd & (stripped ? N_DECOMPOSES | N_HANGUL | N_MARKISH : N_DECOMPOSES | N_HANGUL);
  return changed ? unitsString(k) : s;
}

/** Steps 2–6 for text with non-ASCII code points: NFKC, strip/map, NFD mark cap, fold, skeleton. */
export function foldUnicode(nfc: string): string {
  let out = stripMap(nfc, true) ?? stripMap(nfc.normalize('NFKC'), false) ?? '';
  const kept = stripKept;
  const cap = stripCap;
  FOLDED.typed = null;
  FOLDED.shifts = 0;
  if (!kept) {
    // every non-ASCII code point was mapped or stripped: ASCII, lower-cased in place
    FOLDED.typed = out;
    return out.toLowerCase();
  }
  // Step 4: at most 2 combining marks per base (zalgo folds to its letters). The native NFD is
  // skipped when stripMap proved it the identity but for Hangul syllables, which the fold loop
  // below then decomposes itself.
  const nativeNfd = cap || (stripNfd & (N_DECOMPOSES | N_MARKISH)) !== 0;
  const hangul = !nativeNfd && (stripNfd & N_HANGUL) !== 0;
  const d = nativeNfd ? out.normalize('NFD') : out;
  // Nothing for the fold loop to change: no Hangul to decompose, and stripMap saw every code
  // point (NFD added none) with neither a capital nor a case-fold/skeleton entry.
  if (!nativeNfd && !hangul && !stripFolds) return d;
  out = '';
  let seg = 0;
  let marks = 0;
  for (let i = cap ? 0 : d.length; i < d.length; ) {
    const cp = d.codePointAt(i) ?? 0;
    const w = cp > 0xffff ? 2 : 1;
    if (cp >= 0x300 && cls(cp) & C_MN) {
      if (++marks > 2) {
        out += d.slice(seg, i);
        seg = i + w;
      }
    } else marks = 0;
    i += w;
  }
  out += d.slice(seg);
  // Steps 5–6: case-fold, then confusable skeleton, per code point from one table (the
  // replacements may be longer than one unit); a capital sigma needs toLowerCase's context.
  const ln = out.length;
  let u = units(ln);
  const r = readUnits(out);
  let k = 0;
  let changed = false;
  let runEnd = 0; // look-alikes of a spaceless script before runEnd were looked at (spaceless.ts)
  let keep = false; // … and those up to runEnd stay as written
  for (let i = 0; i < ln; ) {
    const c0 = r[i]!;
    if (k + 16 > u.length) u = growUnits(k);
    if (c0 < 0x80) {
      if (c0 >= 65 && c0 <= 90) { u[k++] = c0 | 32; changed = true; } else u[k++] = c0;
      i++;
      continue;
    }
    let cp = c0;
    let w = 1;
    if (c0 >= 0xd800 && c0 <= 0xdbff) {
      const lo = r[i + 1]!;
      if (lo >= 0xdc00 && lo <= 0xdfff) { cp = ((c0 - 0xd800) << 10) + (lo - 0xdc00) + 0x10000; w = 2; }
    }
    if (cp === CAPITAL_SIGMA) return skeletonFold((hangul ? out.normalize('NFD') : out).toLowerCase());
    if (hangul && cp >= 0xac00 && cp <= 0xd7a3) {
      const x = cp - 0xac00;
      const t = x % 28;
      changed = true;
      u[k++] = 0x1100 + ((x / 588) | 0); // an initial before its vowel is Hangul, no look-alike (ᄂ → l)
      k = putJamo(u, k, 0x1161 + (((x % 588) / 28) | 0));
      if (t !== 0) k = putJamo(u, k, 0x11a7 + t);
      i++;
      shift(k, i);
      continue;
    }
    const one = lowerSkeletonUnit(cp);
    if (one > 1) {
      if (i >= runEnd && lookalike(cp)) { const e = lookalikeRun(r, i, ln); runEnd = Math.abs(e); keep = e > 0; }
      changed = true;
      u[k++] = keep && i < runEnd ? c0 : one;
      i += w;
      if (w === 2) shift(k, i);
      continue;
    }
    const f = one === 0 ? undefined : lowerSkeletonOf(cp);
    if (f !== undefined) {
      changed = true;
      if (k + f.length > u.length) u = growUnits(k + f.length);
      k = putString(u, k, f);
      if (f.length !== w) shift(k, i + w);
    } else {
      u[k++] = c0;
      if (w === 2) u[k++] = r[i + 1]!;
    }
    i += w;
  }
  FOLDED.typed = out;
  return changed ? unitsString(k) : out;
}

/** One conjoining jamo through the case-fold + skeleton table, written at u[k] (room for 16 units). */
function putJamo(u: Uint16Array, k: number, j: number): number {
  const f = lowerSkeletonOf(j);
  if (f === undefined) { u[k++] = j; return k; }
  return putString(u, k, f);
}

/** Step 6 alone, on text toLowerCase already folded (the capital-sigma case above). */
function skeletonFold(lower: string): string {
  const ln = lower.length;
  let u = units(ln);
  const r = readUnits(lower); // for lookalikeRun only: the caller is done with its own units
  let k = 0;
  let changed = false;
  let runEnd = 0; // as in foldUnicode
  let keep = false;
  for (let i = 0; i < ln; ) {
    const c0 = lower.charCodeAt(i);
    if (k + 16 > u.length) u = growUnits(k);
    if (c0 < 0x80) {
      u[k++] = c0;
      i++;
      continue;
    }
    let cp = c0;
    let w = 1;
    if (c0 >= 0xd800 && c0 <= 0xdbff) {
      const lo = lower.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) { cp = ((c0 - 0xd800) << 10) + (lo - 0xdc00) + 0x10000; w = 2; }
    }
    const sk = skeletonOf(cp);
    if (sk !== undefined && i >= runEnd && lookalike(cp)) { const e = lookalikeRun(r, i, ln); runEnd = Math.abs(e); keep = e > 0; }
    if (sk !== undefined && !(keep && i < runEnd)) {
      changed = true;
      if (k + sk.length > u.length) u = growUnits(k + sk.length);
      k = putString(u, k, sk);
    } else {
      u[k++] = c0;
      if (w === 2) u[k++] = lower.charCodeAt(i + 1);
    }
    i += w;
  }
  return changed ? unitsString(k) : lower;
}

/**
 * A conjoining Hangul filler at r[i]: stripped inside an old-Hangul syllable block (U+1160 after
 * an initial consonant, U+115F before a vowel), else a space (-2 / 32, as stripMap's `rep`) —
 * alone, it is a blank between words, and what NFKC makes of U+3164 and U+FFA0.
 */
function fillerUnit(r: Uint16Array, i: number, cp: number): number {
  if (cp === 0x1160) {
    const b = i > 0 ? (r[i - 1] ?? 0) : 0;
    return (b >= 0x1100 && b <= 0x115e) || (b >= 0xa960 && b <= 0xa97c) ? -2 : 32;
  }
  const a = r[i + 1] ?? 0;
  return (a >= 0x1161 && a <= 0x11a7) || (a >= 0xd7b0 && a <= 0xd7c6) ? -2 : 32;
}

const isAsciiAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

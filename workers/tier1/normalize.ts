// The §3 pipeline of tier1.md, run once per message. Produces the analysis key (what keyword,
// duplicate and campaign matching see), the masked key, and the URL/contact facts that fall out
// of the same token walk. Stored text stays NFC as sent (`nfc`).
import { C_L, C_MN, C_N, C_WS, cls, N_DECOMPOSES, N_HANGUL, N_MARKISH, S_COMPAT, S_DI, S_FOLDS, S_SLASH_DOT, S_WS, stripInfo } from './unicode.ts';
import { CAPITAL_SIGMA, lowerSkeletonOf, lowerSkeletonUnit, skeletonOf } from './skeleton.ts';
import { growUnits, putString, readUnits, units, unitsString } from './units.ts';
import { schemeLen, type UrlHit } from './url.ts';
import { classifyToken, F_AT, F_DOT, F_PCT, F_SCHEME, NO_URLS, resetScan } from './token.ts';
import { deobfuscate } from './obfuscation.ts';
import { lookalike, lookalikeRun } from './spaceless.ts';
import { JOIN_SRC, joinSpaced, spelledBefore, spelledEnd } from './spelled.ts';

export { NO_URLS };
export { leet } from './obfuscation.ts';

export interface Normalized {
  nfc: string; ascii: boolean;
  key: string; // §3 steps 2–8
  masked: string; // key with URLs → <url>, handles/e-mails → <at>, digit runs → <num>, symbols dropped
  urls: UrlHit[];
  strongUrls: number;
  contact: boolean; // carries a URL, @handle, e-mail or phone number
  joined: string; // the words of the key spelled out letter by letter, space-separated ('' for none)
  ideoDots: boolean; // the key has a `。` between two ASCII letters or digits (urlDeny.ts reads it as a dot)
}

const NON_ASCII = /[^\x00-\x7f]/;

// What stripMap saw besides its output (read right after the call).
let stripKept = false; // a non-ASCII code point is left
let stripCap = false; // some base may carry more than 2 marks after NFD
let stripNfd = 0; // N_* bits of the kept code points, N_MARKISH only if something was stripped
let stripFolds = false; // a kept code point may change under case-fold + skeleton
let stripIdeoDot = false; // a `。`/`｡` stands between two ASCII letters or digits (kept: see ideoDot.ts)

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
  stripIdeoDot = false;
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
      else if (isAsciiAlnum(s.charCodeAt(i - 1)) && isAsciiAlnum(s.charCodeAt(i + 1))) stripIdeoDot = true;
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
function foldUnicode(nfc: string): string {
  let out = stripMap(nfc, true) ?? stripMap(nfc.normalize('NFKC'), false) ?? '';
  const kept = stripKept;
  const cap = stripCap;
  if (!kept) return out.toLowerCase(); // every non-ASCII code point was mapped or stripped
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
      continue;
    }
    const one = lowerSkeletonUnit(cp);
    if (one > 1) {
      if (i >= runEnd && lookalike(cp)) { const e = lookalikeRun(r, i, ln); runEnd = Math.abs(e); keep = e > 0; }
      changed = true;
      u[k++] = keep && i < runEnd ? c0 : one;
      i += w;
      continue;
    }
    const f = one === 0 ? undefined : lowerSkeletonOf(cp);
    if (f !== undefined) {
      changed = true;
      if (k + f.length > u.length) u = growUnits(k + f.length);
      k = putString(u, k, f);
    } else {
      u[k++] = c0;
      if (w === 2) u[k++] = r[i + 1]!;
    }
    i += w;
  }
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

/** `acc` with `s` appended after one space (no leading space on an empty `acc`). */
function spaced(acc: string, s: string): string {
  return acc.length === 0 ? s : acc + ' ' + s;
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
// Per-thread scratch arrays, reused by every call (the walk is synchronous and not re-entrant).
const TOKS: string[] = [];
let TFLAGS = new Uint8Array(1024); // per token of TOKS: F_AT has '@', F_DOT has '.', …
const TYPED = new Map<number, string>(); // by index in TOKS: a token with F_SCHEME before runs were cut from it
let cleanSplit = false; // set by tokenize: p had no extra whitespace and no run was cut

/**
 * Split on whitespace into the shared TOKS array, collapsing runs of one code point longer than 3
 * down to 3 (step 7). Sets `cleanSplit` when `toks.join(' ') === p`, so the key can be p itself.
 */
function tokenize(p: string): string[] {
  const toks = TOKS;
  toks.length = 0; TYPED.clear();
  let clean = true;
  let start = -1;
  let built: string | null = null; // only allocated once a run had to be cut
  let prev = -1;
  let run = 0;
  let lastWs = true; // previous unit was whitespace (or start of text)
  let flags = 0;
  const n = p.length;
  if (TFLAGS.length < (n >> 1) + 2) TFLAGS = new Uint8Array((n >> 1) + 2);
  for (let i = 0; i <= n; ) {
    let cp = i < n ? p.charCodeAt(i) : 32;
    if (cp >= 0xd800 && cp <= 0xdbff) cp = p.codePointAt(i) ?? cp;
    const w = cp > 0xffff ? 2 : 1;
    if (cp <= 32 || (cp >= 0x80 && cls(cp) & C_WS)) {
      if (start >= 0) {
        if (built !== null && flags & F_SCHEME) TYPED.set(toks.length, p.slice(start, i));
        TFLAGS[toks.length] = flags; toks.push(built ?? p.slice(start, i));
      }
      // Only single ASCII spaces between tokens keep the split clean.
      if (i < n && (cp !== 32 || lastWs)) clean = false;
      lastWs = true;
      start = -1;
      built = null;
      prev = -1;
    } else {
      lastWs = false;
      if (start < 0) { start = i; run = 0; flags = 0; }
      if (cp === 64) flags |= F_AT;
      else if (cp === 46) flags |= F_DOT;
      else if (cp === 37) flags |= F_PCT;
      else if (cp === 58 && schemeLen(p, i) > 0) flags |= F_SCHEME;
      if (cp === prev) {
        if (++run >= 3) {
          if (built === null) built = p.slice(start, i);
          clean = false;
          i += w;
          continue;
        }
      } else run = 0;
      if (built !== null) built += String.fromCodePoint(cp);
      prev = cp;
    }
    i += w;
  }
  if (n > 0 && lastWs) clean = false; // trailing whitespace
  cleanSplit = clean;
  return toks;
}

/**
 * `urlCap`: stop link parsing once more than this many strong URLs were seen (the engine passes
 * URL_COUNT.extremeAt when that rule is enforced — the message terminates either way); later
 * link-like tokens are then masked as plain words and not listed in `urls`.
 */
export function normalize(text: string, urlCap = Infinity): Normalized {
  const out: Normalized = { nfc: '', ascii: false, key: '', masked: '', urls: NO_URLS, strongUrls: 0, contact: false, joined: '', ideoDots: false };
  return normalizeText(text, urlCap, !NON_ASCII.test(text), false, out);
}

function fill<T extends Normalized>(out: T, nfc: string, ascii: boolean, key: string, masked: string, urls: UrlHit[], strong: number, contact: boolean, joined: string): T {
  out.nfc = nfc; out.ascii = ascii; out.key = key; out.masked = masked; out.urls = urls; out.strongUrls = strong; out.contact = contact; out.joined = joined;
  return out;
}

/**
 * Steps 7–8 and the masked key in one walk over the folded text (no token array). Key and masked
 * key are assembled from slices of `p`: consecutive tokens that come out unchanged and are
 * separated by one ASCII space in `p` extend one pending slice, so a typical message costs a
 * handful of concatenations instead of one per token. Messages with letters spelled out one per
 * token (`f r e e`, `(v i a g r a)`, rare in real text) take the token-array path (normalizeSlow).
 */
export function normalizeText<T extends Normalized>(text: string, urlCap: number, ascii: boolean, noUpper: boolean, out: T, preNfc: string | null = null): T {
  const nfc = ascii ? text : (preNfc ?? text.normalize('NFC'));
  let p = ascii ? (noUpper ? text : text.toLowerCase()) : foldUnicode(nfc);
  out.ideoDots = !ascii && stripIdeoDot;
  p = deobfuscate(p);
  const n = p.length;
  const r = readUnits(p);
  const st = resetScan();
  let key = '';
  let ks = -1; // pending key slice p[ks, ke)
  let ke = -1;
  let masked = '';
  let ms = -1; // pending masked slice p[ms, me)
  let me = -1;
  let prevNum = false;
  let singles = 0; // consecutive single-letter tokens
  let i = 0;
  while (i < n) {
    let c = r[i]!;
    // Whitespace is BMP only; surrogate units have class 0. `k` is the class of unit c, looked
    // up once and reused below unless c turns out to start a surrogate pair.
    let k = c >= 0x80 ? cls(c) : 0;
    if (c <= 32 || k & C_WS) { i++; continue; }
    // One token [s, i): flags, a–z-only check, runs longer than 3 collapsed into `built`.
    const s = i;
    let plain = true;
    let keep = false; // has something maskWord keeps: a letter, mark or number
    let flags = 0;
    let built: string | null = null;
    let prev = -1;
    let run = 0;
    for (;;) {
      let w = 1;
      if (c >= 0xd800 && c <= 0xdbff) {
        const lo = r[i + 1]!;
        if (lo >= 0xdc00 && lo <= 0xdfff) { c = ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000; w = 2; k = cls(c); }
      }
      if (c < 97 || c > 122) {
        // Non-ASCII letters, marks and numbers mask to themselves too (see maskWord).
        if (c < 0x80 || !(k & (C_L | C_MN | C_N))) {
          plain = false;
          if (c >= 48 && c <= 57) keep = true;
        } else keep = true;
        if (c === 64) flags |= F_AT;
        else if (c === 46) flags |= F_DOT;
        else if (c === 37) flags |= F_PCT;
        else if (c === 58 && schemeLen(p, i) > 0) flags |= F_SCHEME;
      } else keep = true;
      if (c === prev) {
        if (++run >= 3) {
          if (built === null) built = p.slice(s, i);
        } else if (built !== null) built += String.fromCodePoint(c);
      } else {
        run = 0;
        if (built !== null) built += String.fromCodePoint(c);
      }
      prev = c;
      i += w;
      if (i >= n) break;
      c = r[i]!;
      k = c >= 0x80 ? cls(c) : 0;
      if (c <= 32 || k & C_WS) break;
    }
    const e = i;
    // Spelled-out letters (spelled.ts): single-letter tokens (one code unit: a–z or a non-ASCII
    // letter), the first of a run possibly with punctuation before it (`(v`), the last after it.
    if (e - s === 1 && ((prev >= 97 && prev <= 122) || (prev >= 0x80 && (cls(prev) & C_L) !== 0))) {
      if (singles === 0 && spelledBefore(p, s)) singles = 1; // `(v i`
      if (++singles >= 3) return normalizeSlow(nfc, ascii, p, urlCap, out);
    } else if (singles >= 2 && !plain && spelledEnd(p, s, e)) return normalizeSlow(nfc, ascii, p, urlCap, out);
    else singles = 0;
    if (plain && built === null) {
      // Letters only (no '@', '.', digit or symbol): not a handle, link or dotted word, and
      // masks to itself — key and masked key both take the token as it is.
      if (ks >= 0 && s === ke + 1 && r[ke] === 32) ke = e;
      else {
        if (ks >= 0) { const sl = p.slice(ks, ke); key = spaced(key, sl); }
        ks = s; ke = e;
      }
      if (ms >= 0 && s === me + 1 && r[me] === 32) me = e;
      else {
        if (ms >= 0) { const sl = p.slice(ms, me); masked = spaced(masked, sl); }
        ms = s; me = e;
      }
      st.phoneDigits = 0;
      prevNum = false;
      continue;
    }
    const t0 = built ?? p.slice(s, e);
    // Without '@', '.', letters, marks or numbers (emoji, symbols) a token is no contact, link or
    // dotted word and masks to nothing: classifyToken's answer without its per-unit walks.
    let m = '';
    if (flags !== 0 || keep) m = classifyToken(st, t0, flags, urlCap, built !== null && flags & F_SCHEME ? p.slice(s, e) : t0);
    else { st.t = t0; st.phoneDigits = 0; }
    const t = st.t;
    const tSlice = built === null && t === t0; // t === p[s, e)
    const mSlice = tSlice && m === t; // m === p[s, e)
    if (tSlice) {
      if (ks >= 0 && s === ke + 1 && r[ke] === 32) ke = e;
      else {
        if (ks >= 0) { const sl = p.slice(ks, ke); key = spaced(key, sl); }
        ks = s; ke = e;
      }
    } else {
      if (ks >= 0) { const sl = p.slice(ks, ke); key = spaced(key, sl); ks = -1; }
      key = spaced(key, t);
    }
    if (m.length === 0) continue;
    if (m === '<num>' && prevNum) continue;
    prevNum = m === '<num>';
    if (mSlice) {
      if (ms >= 0 && s === me + 1 && r[me] === 32) me = e;
      else {
        if (ms >= 0) { const sl = p.slice(ms, me); masked = spaced(masked, sl); }
        ms = s; me = e;
      }
    } else {
      if (ms >= 0) { const sl = p.slice(ms, me); masked = spaced(masked, sl); ms = -1; }
      masked = spaced(masked, m);
    }
  }
  if (ks >= 0) { const sl = p.slice(ks, ke); key = spaced(key, sl); }
  if (ms >= 0) { const sl = p.slice(ms, me); masked = spaced(masked, sl); }
  return fill(out, nfc, ascii, key, masked, st.urls, st.strong, st.contact, st.joined);
}

/**
 * `urlCap`: stop link parsing once more than this many strong URLs were seen (the engine passes
 * URL_COUNT.extremeAt when that rule is enforced — the message terminates either way); later
 * link-like tokens are then masked as plain words and not listed in `urls`.
 */
function normalizeSlow<T extends Normalized>(nfc: string, ascii: boolean, p: string, urlCap: number, out: T): T {
  const st = resetScan();
  const raw = tokenize(p);
  const toks = joinSpaced(raw, st);
  const flagsValid = toks === raw; // joinSpaced rebuilt the list: fall back to includes()
  if (!flagsValid) cleanSplit = false;
  let masked = '';
  let key = ''; // built as we go unless the split is clean (then it is p itself)
  let changed = false;
  let prevNum = false;
  for (let i = 0; i < toks.length; i++) {
    const t0 = toks[i] ?? '';
    const fl = flagsValid ? (TFLAGS[i] ?? 0) : (t0.includes('@') ? F_AT : 0) | (t0.includes('.') ? F_DOT : 0) | (t0.includes('%') ? F_PCT : 0) | (t0.includes(':') ? F_SCHEME : 0);
    const typed = fl & F_SCHEME ? TYPED.get(flagsValid ? i : (JOIN_SRC[i] ?? -1)) : undefined;
    const m = classifyToken(st, t0, fl, urlCap, typed ?? t0);
    const t = st.t;
    if (t !== t0) { toks[i] = t; changed = true; }
    if (!cleanSplit) key = spaced(key, t);
    if (m.length === 0) continue;
    if (m === '<num>' && prevNum) continue;
    prevNum = m === '<num>';
    masked = spaced(masked, m); // measured faster than parts.join(' ')
  }
  if (cleanSplit) key = changed ? toks.join(' ') : p;
  TOKS.length = 0;
  return fill(out, nfc, ascii, key, masked, st.urls, st.strong, st.contact, st.joined);
}

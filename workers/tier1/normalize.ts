// The §3 pipeline of tier1.md, run once per message. Produces the analysis key (what keyword,
// duplicate and campaign matching see), the masked key, and the URL/contact facts that fall out
// of the same token walk. Stored text stays NFC as sent (`nfc`).
import { C_L, C_MN, C_N, C_WS, cls } from './unicode.ts';
import { readUnits } from './units.ts';
import { schemeLen, type UrlHit } from './url.ts';
import { classifyToken, F_AT, F_DOT, F_PCT, F_SCHEME, NO_URLS, resetScan, titleMask } from './token.ts';
import { deobfuscate } from './obfuscation.ts';
import { FOLDED, foldUnicode, typedTitles } from './fold.ts';
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

/**
 * titleMask (runOn.ts) of the token p[s, e) of normalizeText, read in the text as typed: an ASCII
 * text's p is it lower-cased (`nfc` is the text), another's is fold.ts's output.
 */
function titlesAt(ascii: boolean, nfc: string, s: number, e: number): number {
  return ascii ? titleMask(nfc, s, e) : typedTitles(s, e);
}

/** `acc` with `s` appended after one space (no leading space on an empty `acc`). */
function spaced(acc: string, s: string): string {
  return acc.length === 0 ? s : acc + ' ' + s;
}

// Per-thread scratch arrays, reused by every call (the walk is synchronous and not re-entrant).
const TOKS: string[] = [];
let TFLAGS = new Uint8Array(1024); // per token of TOKS: F_AT has '@', F_DOT has '.', …
let TTITLES = new Int32Array(1024); // per token of TOKS: its titleMask (runOn.ts)
const TYPED = new Map<number, string>(); // by index in TOKS: a token with F_SCHEME before runs were cut from it
let cleanSplit = false; // set by tokenize: p had no extra whitespace and no run was cut

/**
 * Split on whitespace into the shared TOKS array, collapsing runs of one code point longer than 3
 * down to 3 (step 7). Sets `cleanSplit` when `toks.join(' ') === p`, so the key can be p itself.
 */
function tokenize(p: string, cased: boolean, ascii: boolean, nfc: string): string[] {
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
  if (TFLAGS.length < (n >> 1) + 2) { TFLAGS = new Uint8Array((n >> 1) + 2); TTITLES = new Int32Array((n >> 1) + 2); }
  for (let i = 0; i <= n; ) {
    let cp = i < n ? p.charCodeAt(i) : 32;
    if (cp >= 0xd800 && cp <= 0xdbff) cp = p.codePointAt(i) ?? cp;
    const w = cp > 0xffff ? 2 : 1;
    if (cp <= 32 || (cp >= 0x80 && cls(cp) & C_WS)) {
      if (start >= 0) {
        if (built !== null && flags & F_SCHEME) TYPED.set(toks.length, p.slice(start, i));
        TTITLES[toks.length] = flags & F_DOT && cased ? titlesAt(ascii, nfc, start, i) : 0;
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
  out.ideoDots = !ascii && FOLDED.ideoDot;
  // Whether p's text as typed is known, for titlesAt: not after a de-obfuscation moved units (`[.]`).
  let cased = ascii ? !noUpper : FOLDED.typed !== null;
  const n0 = p.length;
  p = deobfuscate(p);
  if (p.length !== n0) cased = false;
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
      if (++singles >= 3) return normalizeSlow(nfc, ascii, p, cased, urlCap, out);
    } else if (singles >= 2 && !plain && spelledEnd(p, s, e)) return normalizeSlow(nfc, ascii, p, cased, urlCap, out);
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
    const titles = flags & F_DOT && cased ? titlesAt(ascii, nfc, s, e) : 0;
    if (flags !== 0 || keep) m = classifyToken(st, t0, flags, urlCap, built !== null && flags & F_SCHEME ? p.slice(s, e) : t0, titles);
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
function normalizeSlow<T extends Normalized>(nfc: string, ascii: boolean, p: string, cased: boolean, urlCap: number, out: T): T {
  const st = resetScan();
  const raw = tokenize(p, cased, ascii, nfc);
  const toks = joinSpaced(raw, st);
  const flagsValid = toks === raw; // joinSpaced rebuilt the list: fall back to includes()
  if (!flagsValid) cleanSplit = false;
  let masked = '';
  let key = ''; // built as we go unless the split is clean (then it is p itself)
  let changed = false;
  let prevNum = false;
  for (let i = 0; i < toks.length; i++) {
    const t0 = toks[i] ?? '';
    const src = flagsValid ? i : (JOIN_SRC[i] ?? -1); // a joined word has no flags of its own
    const fl = flagsValid ? (TFLAGS[i] ?? 0) : (t0.includes('@') ? F_AT : 0) | (t0.includes('.') ? F_DOT : 0) | (t0.includes('%') ? F_PCT : 0) | (t0.includes(':') ? F_SCHEME : 0);
    const typed = fl & F_SCHEME ? TYPED.get(src) : undefined;
    const m = classifyToken(st, t0, fl, urlCap, typed ?? t0, src >= 0 ? (TTITLES[src] ?? 0) : 0);
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

// Classification of one key token (§3 step 8 and the masked key): e-mail/handle → `<at>`, link →
// `<url>` (recorded in the scan), otherwise the dotted-word join and the masked word. Shared by
// the general normalizer and the ASCII fast path so both classify a token the same way.
import { C_L, C_MN, C_N, cls } from './unicode.ts';
import { parseUrlToken, type UrlHit } from './url.ts';
import { undot } from './spelled.ts';

export const NO_URLS: UrlHit[] = [];
export const F_AT = 1; // token has '@'
export const F_DOT = 2; // token has '.'
export const F_PCT = 4; // token has '%' (the ASCII fast pass: '%2e', a percent-encoded dot)
// token may have a web scheme's ':' (schemeLen of scheme.ts): a link needs no dot (`http://3232235777/`)
export const F_SCHEME = 8;
export { titleMask } from './runOn.ts';

function isHandle(t: string): boolean {
  let i = 0;
  while (i < t.length && (t[i] === '(' || t[i] === '"' || t[i] === "'")) i++;
  if (t.charCodeAt(i) !== 64) return false;
  let n = 0;
  for (i++; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95) n++;
    else break;
  }
  return n >= 2;
}

function isEmail(t: string): boolean {
  const at = t.indexOf('@');
  if (at <= 0) return false;
  const dot = t.indexOf('.', at + 2);
  return dot > at + 1 && dot < t.length - 2;
}

/** Masked form of an ordinary token: letters kept, digit runs → <num>, everything else dropped. */
const WORD = { m: '', digits: 0, phoney: false }; // shared result: read it before the next call
function maskWord(t: string): { m: string; digits: number; phoney: boolean } {
  // Fast path: a token of a–z letters only (most chat words) masks to itself.
  let plain = true;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 97 || c > 122) { plain = false; break; }
  }
  WORD.digits = 0;
  WORD.phoney = false;
  if (plain) { WORD.m = t; return WORD; }
  // Letter runs are copied as slices (one per run), not code point by code point.
  let m = '';
  let digits = 0;
  let phoney = true; // only digits and phone punctuation
  let inNum = false;
  let seg = -1; // start of the current run of kept letters
  for (let i = 0; i < t.length; ) {
    let cp = t.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) cp = t.codePointAt(i) ?? cp;
    const w = cp > 0xffff ? 2 : 1;
    const letter = cp < 0x80 ? (cp >= 97 && cp <= 122) : (cls(cp) & (C_L | C_MN | C_N)) !== 0;
    if (letter) {
      if (seg < 0) seg = i;
      phoney = false;
      inNum = false;
    } else {
      if (seg >= 0) { m += t.slice(seg, i); seg = -1; }
      if (cp >= 48 && cp <= 57) {
        digits++;
        if (!inNum) { m += '<num>'; inNum = true; }
      } else if (!(cp === 43 || cp === 45 || cp === 40 || cp === 41 || cp === 46 || cp === 47)) phoney = false;
    }
    i += w;
  }
  if (seg >= 0) m += seg === 0 ? t : t.slice(seg);
  WORD.m = m;
  WORD.digits = digits;
  WORD.phoney = phoney;
  return WORD;
}

/** What classifying the tokens of one message has found so far (one reused object per thread). */
export interface TokenScan {
  urls: UrlHit[];
  strong: number;
  contact: boolean;
  phoneDigits: number;
  /** the token after classification (undotted when it was a dotted word) */
  t: string;
  /** the words spelled out letter by letter so far, joined (spelled.ts), space-separated */
  joined: string;
}
const SCAN: TokenScan = { urls: NO_URLS, strong: 0, contact: false, phoneDigits: 0, t: '', joined: '' };

export function resetScan(): TokenScan {
  SCAN.urls = NO_URLS; SCAN.strong = 0; SCAN.contact = false; SCAN.phoneDigits = 0; SCAN.t = ''; SCAN.joined = '';
  return SCAN;
}

/**
 * One token → its mask (`<at>`, `<url>`, or the masked word); records links and contact payloads.
 * `typed`: with F_SCHEME, the token before runs were cut from it (an IP host is read from that).
 * `titles`: its dots typed before a Title-case label (titleMask of runOn.ts), 0 for none.
 */
export function classifyToken(st: TokenScan, t: string, flags: number, urlCap: number, typed = t, titles = 0): string {
  st.t = t;
  // Links first: `https://foo@evil.com/x` has an address's shape but is a link to evil.com (a
  // scheme-less token with '@' in its host is never a link, so addresses and handles stay those).
  const hits = st.strong <= urlCap && flags & (F_DOT | F_PCT | F_SCHEME) ? parseUrlToken(t, (flags & F_SCHEME) !== 0, typed, titles) : null;
  if (hits !== null) {
    if (st.urls === NO_URLS) st.urls = [];
    for (const hit of hits) {
      st.urls.push(hit);
      if (hit.strong) { st.strong++; st.contact = true; }
    }
    st.phoneDigits = 0;
    return '<url>';
  }
  if (flags & F_AT && (isEmail(t) || isHandle(t))) {
    st.contact = true;
    st.phoneDigits = 0;
    return '<at>';
  }
  const u = undot(t);
  st.t = u;
  if (u !== t) st.joined = st.joined.length === 0 ? u : st.joined + ' ' + u;
  const w = maskWord(u);
  if (w.digits >= 7) st.contact = true;
  if (w.phoney && w.digits > 0) {
    st.phoneDigits += w.digits;
    if (st.phoneDigits >= 7) st.contact = true;
  } else st.phoneDigits = 0;
  return w.m;
}


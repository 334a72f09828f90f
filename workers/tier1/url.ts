// URL recognition on one lower-cased, de-obfuscated key token, which may hold several links (one per
// scheme). Conservative on purpose for bare hosts: code (`com.example.Foo.bar(...)`, `readme.md`)
// must not count as links.
import { parse } from 'tldts';
import { domainToUnicode } from 'node:url';
import { skeletonOf } from './skeleton.ts';
import { endsInNumber, ipv4Host, ipv6Host } from './ipHost.ts';
import { C_L, C_MN, C_N, cls } from './unicode.ts';
import { spaceless } from './spaceless.ts';
import { runOn } from './runOn.ts';
import { hasScheme, schemeLen } from './scheme.ts';

export { schemeEndsAt, schemeLen } from './scheme.ts';

export interface UrlHit {
  host: string; // skeleton of the de-obfuscated host; an IP address as browsers write it (ipHost.ts)
  domain: string; // registrable domain (PSL), or the host when it has none (IP, scheme-only)
  strong: boolean;
}

const SHORTENERS = new Set([
  'bit.ly', 'tinyurl.com', 't.co', 'goo.gl', 'ow.ly', 'is.gd', 'buff.ly', 'cutt.ly', 'rb.gy',
  'shorturl.at', 'tiny.cc', 't.ly', 's.id', 'rebrand.ly', 'bl.ink', 'v.gd', 'lnkd.in', 'soo.gd',
  'trib.al', 'shorte.st', 'adf.ly', 'bitly.com', 'tr.im', 'x.co', 'qr.net', '1url.com', 't.me',
  'wa.me', 'linktr.ee', 'tiny.one', 'u.to', 'clck.ru',
]);
// First labels of reverse-DNS identifiers (Java/Kotlin packages, bundle ids): not hosts.
const REVERSE_DNS = new Set(['com', 'org', 'net', 'edu', 'gov', 'io', 'java', 'javax', 'android', 'kotlin', 'scala', 'sun', 'jdk']);
// Suffixes that are far more often file extensions in pasted code than bare hosts.
const FILE_LIKE = new Set(['py', 'md', 'sh', 'rs', 'pl', 'zip', 'mov', 'so', 'in', 'at', 'it', 'to', 'do', 'is', 'me', 'ps', 'cs', 'cc', 'mk', 'am', 'pm', 'ml', 'rb', 'sc', 'ts']);
// Around a scheme-less token: brackets, quotes and emphasis marks (ASCII, and any non-ASCII
// character that is no letter, mark or number: “ ” « » — 」). `@` `$` `-` `.` `#` `/` stay: `@user.name`
// is a handle, `$scope.app` and `--app.name` are code, `.env.local` a file.
const LEAD = /^(?:[("'<[{*_>=:~|]|[^\x00-\x7f\p{L}\p{M}\p{N}])+/u;
const TRAIL = /(?:[)"'>\]}*_.,;:!?]|[^\x00-\x7f\p{L}\p{M}\p{N}])+$/u;
// A word (ending in a letter: `10:30.ok` is a time) and a symbol that text glues a host to
// (`see:spam.com`, `url=spam.com`, `hi,spam.com`, `go!spam.com`, `see»spam.com`, `see—spam.com`),
// then any LEAD characters (`see:"spam.com"`). Not `( [ { <` (a call, an index, a type:
// `get(user.id)`), `'` (an apostrophe), nor `. - _ @ / \ # % & + $ ^` (a name, a path, an address,
// a query, code): a host after those stays no link.
const GLUED = /^[\p{L}\p{M}\p{N}]*[\p{L}\p{M}](?:[:=,;!?>"*~|]|(?=[^\x00-\x7f])[\p{P}\p{S}])(?:[("'<[{*_>=:~|]|[^\x00-\x7f\p{L}\p{M}\p{N}])*/u;
// Code, not a host: `foo.bar(`, `obj.method(x=1)`, `a.b;c` (looked for in the host part only).
const CODEY = /[()[\]{}=;"`<>\\|]/;
// Characters that end a Markdown link, an HTML attribute or a code span: an `@` after one of them
// may be part of the text around the link, not its userinfo.
const LINK_DELIM = /[()[\]{}<>"'`|^]/;

// A longer host name does not resolve (DNS): no link, and no 4000-character tldts lookup.
const MAX_HOST = 253;

/** `_` is taken in a scheme host's labels (browsers open `https://a_b.example.com`), not in a bare one. */
function validLabel(l: string, underscore: boolean): boolean {
  if (l.length === 0 || l.length > 63 || l.charCodeAt(0) === 45 || l.charCodeAt(l.length - 1) === 45) return false;
  for (let i = 0; i < l.length; i++) {
    const c = l.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c >= 0x80 || (c === 95 && underscore);
    if (!ok) return false;
  }
  return true;
}

function skeletonHost(h: string): string {
  if (h.includes('xn--')) h = domainToUnicode(h) || h;
  if (!/[^\x00-\x7f]/.test(h)) return h;
  let out = '';
  for (const ch of h.normalize('NFKC').toLowerCase()) {
    out += skeletonOf(ch.codePointAt(0) ?? 0) ?? ch;
  }
  return out;
}

// Per-thread memo of token → result. Links repeat (the same shop, the same shortener) and the
// tldts lookup dominates; bounded, oldest insertion evicted first. Hits are frozen: shared. A token
// typed with a Title-case label (`Hola.La`: runOn.ts) has its own, holding which labels were, as its
// answer may differ from the same token's in lower case.
const MEMO_MAX = 1024;
type Hits = readonly UrlHit[] | null;
const memo = new Map<string, Hits>();
const memoTitle = new Map<string, { titles: number; hits: Hits }>();

function linkChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 0x80;
}

/**
 * Cheap pre-check: a link needs an ASCII letter/digit (or non-ASCII) on both sides of some dot
 * (`-` before it too), or of a percent-encoded one (`%2e`, which browsers decode in a host).
 * maybeLinkBytes below is its twin for the ASCII fast pass: keep them in step.
 */
function maybeLink(t: string): boolean {
  for (let i = t.indexOf('.'); i > 0 && i < t.length - 1; i = t.indexOf('.', i + 1)) {
    const a = t.charCodeAt(i - 1);
    if ((linkChar(a) || a === 45) && linkChar(t.charCodeAt(i + 1))) return true;
  }
  for (let i = t.indexOf('%2e'); i > 0 && i < t.length - 3; i = t.indexOf('%2e', i + 1)) {
    if (linkChar(t.charCodeAt(i - 1)) && linkChar(t.charCodeAt(i + 3))) return true;
  }
  return false;
}

/**
 * maybeLink on the ASCII key bytes [s, e) of the fast pass (asciiFast.ts), which hands a token to
 * classifyToken only when this holds: the two must agree on every ASCII token (`pct`: it has '%2').
 */
export function maybeLinkBytes(k: Uint8Array, s: number, e: number, pct: boolean): boolean {
  for (let i = s + 1; i < e - 1; i++) {
    if (k[i] !== 46) continue;
    const a = k[i - 1] ?? 0;
    const b = k[i + 1] ?? 0;
    if (((a >= 97 && a <= 122) || (a >= 48 && a <= 57) || a === 45) && ((b >= 97 && b <= 122) || (b >= 48 && b <= 57))) return true;
  }
  for (let i = s + 1; pct && i < e - 3; i++) {
    if (k[i] !== 37 || k[i + 1] !== 50 || k[i + 2] !== 101) continue;
    const a = k[i - 1] ?? 0;
    const b = k[i + 3] ?? 0;
    if (((a >= 97 && a <= 122) || (a >= 48 && a <= 57)) && ((b >= 97 && b <= 122) || (b >= 48 && b <= 57))) return true;
  }
  return false;
}

/**
 * `tok` is lower-case and space-free. Returns the links in it (usually one), or null when none.
 * `scheme`: it may hold a web scheme's ':' (F_SCHEME of token.ts), so a link without a dot (an IP
 * host). `typed`: the token before runs were cut from it (§3 step 7), where that differs.
 * `titles`: which of its dots were typed before a Title-case label (titleMask of runOn.ts).
 */
export function parseUrlToken(tok: string, scheme = false, typed = tok, titles = 0): Hits {
  if (!maybeLink(tok) && !(scheme && hasScheme(tok))) return null;
  const key = typed === tok ? tok : `${tok} ${typed}`;
  if (titles === 0) {
    const m = memo.get(key);
    if (m !== undefined) return m;
  } else {
    const m = memoTitle.get(key);
    if (m !== undefined && m.titles === titles) return m.hits;
  }
  const hits = schemeHits(tok, typed) ?? bareHits(tok, titles);
  if (hits !== null) {
    for (const h of hits) Object.freeze(h);
    Object.freeze(hits);
  }
  if (titles === 0) remember(memo, key, hits);
  else remember(memoTitle, key, { titles, hits });
  return hits;
}

function remember<V>(map: Map<string, V>, key: string, v: V): void {
  if (map.size >= MEMO_MAX && !map.has(key)) map.delete(map.keys().next().value as string);
  map.set(key, v);
}

/**
 * Every link with a scheme in the token, wherever the scheme starts (`[x](https://…)`,
 * `href="https://…"`, `see:https://…`, several glued together, one inside another's query). After
 * the scheme any number of `/` or `\`; the host follows the last `@` of the authority (userinfo) and
 * ends at the first character a host cannot hold (`)`, a quote, `:` before a port…). When a
 * Markdown/HTML delimiter stands between the scheme and that `@` (`[x](https://a.com)@b.com`), the
 * host right after the scheme may be where the link goes as well: it is kept as a weak hit, matched
 * against URL_DENY but not counted.
 */
function schemeHits(t: string, typed: string): UrlHit[] | null {
  const as = authorities(t);
  // A run cut from the key may have been part of an address (`0x7f000001`, `[::ffff:…]`): an IP
  // host is read from the token as typed, which holds the same links in the same order (a cut
  // run is of one character, and no scheme, `@`, `/` or host boundary is made or lost by it).
  const ts = typed === t ? null : authorities(typed);
  const same = ts !== null && ts.length === as.length;
  let out: UrlHit[] | null = null;
  for (let k = 0; k < as.length; k += 2) {
    const hit = hostHit(as[k] ?? '', true, same ? (ts[k] ?? undefined) : undefined);
    if (hit !== null) (out ??= []).push(hit);
    const b = as[k + 1] ?? null;
    const before = b === null ? null : hostHit(b, false, same ? (ts[k + 1] ?? undefined) : undefined);
    if (before !== null) (out ??= []).push(before);
  }
  return out;
}

/**
 * Per link with a scheme in t: what follows its userinfo, and what stands between the scheme and a
 * delimited `@` (null: none), flattened. An authority ends where the next scheme starts, so each
 * character is looked at once (a 4000-character token of glued schemes stays linear).
 */
function authorities(t: string): Array<string | null> {
  const out: Array<string | null> = [];
  let c = t.indexOf(':');
  while (c > 0 && schemeLen(t, c) === 0) c = t.indexOf(':', c + 1);
  while (c > 0) {
    // the next scheme, which bounds this one's authority
    let next = t.indexOf(':', c + 1);
    let nextLen = 0;
    while (next > 0 && (nextLen = schemeLen(t, next)) === 0) next = t.indexOf(':', next + 1);
    const limit = next > 0 ? next - nextLen : t.length;
    let a = c + 1;
    for (let ch = t.charCodeAt(a); a < limit && (ch === 47 || ch === 92); ch = t.charCodeAt(++a));
    let e = a;
    let at = -1;
    for (; e < limit; e++) {
      const ch = t.charCodeAt(e);
      if (ch === 47 || ch === 92 || ch === 63 || ch === 35) break; // / \ ? #
      if (ch === 64) at = e;
    }
    out.push(t.slice(at < 0 ? a : at + 1, e), at > a && LINK_DELIM.test(t.slice(a, at)) ? t.slice(a, at) : null);
    c = next;
  }
  return out;
}

/** Where the host at the start of s ends: at the first character no host holds, or at text glued after its last label. */
function hostEnd(s: string): number {
  let e = 0;
  for (; e < s.length; e++) {
    const c = s.charCodeAt(e);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 37) continue;
    if (c >= 0x80) {
      const cp = s.codePointAt(e) ?? c;
      if (cls(cp) & (C_L | C_MN | C_N)) { if (cp > 0xffff) e++; continue; }
    }
    break;
  }
  return lastLabelEnd(s, e);
}

/**
 * e, or where text of a script written without spaces (spaceless.ts) starts right after a Latin
 * letter or digit in the last label of s[0, e): no top-level domain mixes the two, so that text
 * was glued after the host (`spam.com请访问`, `例子.com下载`, `spam.comครับ`).
 */
function lastLabelEnd(s: string, e: number): number {
  const d = s.lastIndexOf('.', e - 1);
  for (let i = d + 1; d >= 0 && i < e; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    const a = s.charCodeAt(i - 1);
    return i > d + 1 && ((a >= 97 && a <= 122) || (a >= 48 && a <= 57)) && spaceless(s.codePointAt(i) ?? c) ? i : e;
  }
  return e;
}

/**
 * The host at the start of s as a hit; null when it is none. `typed`: the same text before runs
 * were cut from it, when that differs (an IP address is read from it).
 */
function hostHit(s: string, strong: boolean, typed?: string): UrlHit | null {
  if (s.charCodeAt(0) === 91) {
    // `[…]`: an IPv6 address; its port, or what follows the `]`, is no part of the host
    const v6 = typed ?? s;
    const close = v6.indexOf(']');
    const ip = close > 0 ? ipv6Host(v6.slice(1, close)) : null;
    return ip === null ? null : { host: ip, domain: ip, strong };
  }
  const host = hostName(s.slice(0, hostEnd(s)), true, typed?.slice(0, hostEnd(typed)));
  if (host === null) return null;
  if (NUMERIC_TLD.test(host)) return IPV4.test(host) ? { host, domain: host, strong } : null;
  const p = parse(host, { allowPrivateDomains: false });
  return { host, domain: p.domain !== null && p.isIcann === true ? p.domain : host, strong };
}

const NUMERIC_TLD = /\.\d+$/;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The host hostHit reads after a scheme in `raw`, a host name of [a-z0-9.-] only; null when none. */
export function plainSchemeHost(raw: string): string | null {
  const host = hostName(raw, true);
  return host === null || (NUMERIC_TLD.test(host) && !IPV4.test(host)) ? null : host;
}

/**
 * A host as written, percent-decoded and skeleton-folded; null when it is no host name. After a
 * scheme, one that ends in a number is an IPv4 address in dotted decimal or nothing (ipHost.ts).
 */
function hostName(raw: string, scheme: boolean, typed?: string): string | null {
  if (raw.length > 3 * MAX_HOST) return null;
  const pct = raw.includes('%');
  if (pct) {
    const d = decoded(raw);
    if (d === null) return null;
    raw = d;
  }
  if (scheme && endsInNumber(raw)) {
    const ip = typed === undefined ? raw : decoded(typed);
    return ip === null ? null : ipv4Host(ip);
  }
  // The key cut runs and folded case in the token as typed (§3 steps 5–7), before decoding
  // could make them: without this `%61%61%61%61.com` would not be the `aaaa.com` a deny entry names.
  if (pct) raw = cutRuns(raw);
  if (raw.endsWith('.')) raw = raw.slice(0, -1);
  if (raw.length > MAX_HOST) return null;
  let host = skeletonHost(raw);
  if (pct && host !== raw) host = cutRuns(host); // the skeleton can make a run (`аaaa`, Cyrillic а first)
  const labels = host.split('.');
  if (labels.length < 2) return null;
  for (const l of labels) if (!validLabel(l, scheme)) return null;
  return host;
}

/** s percent-decoded and lower-cased (as browsers decode a host), null when that fails. */
function decoded(s: string): string | null {
  if (!s.includes('%')) return s;
  try { return decodeURIComponent(s).toLowerCase(); } catch { return null; }
}

/** Runs of one code point longer than 3 cut to 3, as tokenize (normalize.ts) cuts them in the key. */
function cutRuns(s: string): string {
  let out: string | null = null; // only allocated once a run had to be cut
  let prev = -1;
  let run = 0;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i) ?? 0;
    const w = cp > 0xffff ? 2 : 1;
    if (cp === prev && ++run >= 3) {
      out ??= s.slice(0, i);
    } else {
      if (cp !== prev) run = 0;
      if (out !== null) out += String.fromCodePoint(cp);
    }
    prev = cp;
    i += w;
  }
  return out ?? s;
}

/**
 * The links of a scheme-less token. In one with text of a script written without spaces
 * (spaceless.ts), that text and any non-ASCII punctuation next to it separate words as a space
 * would, up to a host's path (`请访问spam.com谢谢`, `spam.comです`, `shop.com或spam.com`,
 * `以下:spam.com/下载`), and each part is read as a token of its own. When no part is a link, the
 * token is read whole if that text only ends host labels (a host in those scripts: `例子.com`,
 * `abc例子.com`), but for text glued after its last label (`例子.com请访问`).
 */
function bareHits(tok: string, titles: number): UrlHit[] | null {
  if (!spacelessHost(tok)) {
    const h = bareHit(tok, titles);
    return h === null ? null : [h];
  }
  let out: UrlHit[] | null = null;
  let s = 0; // start of the current part
  let dot = false; // it has a '.': a `/ ? #` starts its host's path, which takes the rest
  let dots = 0; // in tok before i; `titles` of the part from s are those past the dots before s
  let sDots = 0;
  for (let i = 0; i < tok.length; ) {
    const c = tok.charCodeAt(i);
    if (c < 0x80) {
      if (c === 46) { dot = true; dots++; }
      else if (dot && (c === 47 || c === 63 || c === 35)) break;
      i++;
      continue;
    }
    if (!separates(tok, i)) { i = next(tok, i); continue; }
    if (i > s) out = partHits(out, tok.slice(s, i), titles >>> sDots);
    i = separatorEnd(tok, i, tok.length);
    // glued after a word as in GLUED: `网址:spam.com`, `你好？spam.com` (NFKC made `？` a `?`)
    while (i < tok.length && GLUE_AFTER_WORD.includes(tok[i] ?? '')) i++;
    s = i;
    sDots = dots;
    dot = false;
  }
  if (s < tok.length) out = partHits(out, tok.slice(s), titles >>> sDots);
  if (out !== null) return out;
  let hp = 0; // the host part: up to a path, query or fragment
  while (hp < tok.length && tok[hp] !== '/' && tok[hp] !== '?' && tok[hp] !== '#') hp++;
  const cut = lastLabelEnd(tok, hp);
  if (!inLabels(tok, cut)) return null;
  const whole = bareHit(cut < hp ? tok.slice(0, cut) : tok, titles);
  return whole === null ? null : [whole];
}

/**
 * Each run of bareHits' separating text in t[0, end) ends a host label (a dot or `end` follows:
 * `例子.com`, `abc例子.com`, `中文.中国`): it names the host. Not so before a Latin word (`请访问ln.cn`,
 * where `ln.cn` alone is no link): there it is text glued before the word.
 */
function inLabels(t: string, end: number): boolean {
  for (let i = 0; i < end; ) {
    if (t.charCodeAt(i) < 0x80 || !separates(t, i)) { i = next(t, i); continue; }
    i = separatorEnd(t, i, end);
    if (i < end && t.charCodeAt(i) !== 46) return false;
  }
  return true;
}

const GLUE_AFTER_WORD = ':=,;!?>"*~|';

/** t has a character of a spaceless script before a host's path (as bareHits splits it): the parts have none. */
function spacelessHost(t: string): boolean {
  let dot = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 46) dot = true;
    else if (dot && (c === 47 || c === 63 || c === 35)) return false;
    else if (c >= 0xe00 && spaceless(t.codePointAt(i) ?? c)) return true;
  }
  return false;
}

/** out with the links of one part of a bareHits token added, read as a token (memoized: parts repeat). */
function partHits(out: UrlHit[] | null, part: string, titles: number): UrlHit[] | null {
  const hits = parseUrlToken(part, false, part, titles);
  if (hits === null) return out;
  (out ??= []).push(...hits);
  return out;
}

/** The non-ASCII character at t[i] separates words in bareHits: a spaceless script's, or no letter, mark or digit. */
function separates(t: string, i: number): boolean {
  const cp = t.codePointAt(i) ?? 0;
  return spaceless(cp) || (cls(cp) & (C_L | C_MN | C_N)) === 0;
}

/** The end (≤ end) of the run of separating characters at t[i]. */
function separatorEnd(t: string, i: number, end: number): number {
  while (i < end && t.charCodeAt(i) >= 0x80 && separates(t, i)) i = next(t, i);
  return i;
}

/** The index after the code point at t[i]. */
function next(t: string, i: number): number {
  const c = t.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff ? i + 2 : i + 1;
}

/** A scheme-less token: `www.…`, a host with a path, a shortener, or a bare host (conservative). */
function bareHit(tok: string, titles: number): UrlHit | null {
  const t = tok.replace(LEAD, '').replace(TRAIL, '');
  // `url=www.…`, `see:www.…`: a www host glued after a symbol (linkifiers take it)
  const w = t.indexOf('www.');
  if (w > 0 && !linkChar(t.charCodeAt(w - 1))) return hostHitBare(t.slice(w), titles);
  // `see:spam.com`, `url=spam.com`: a host glued after a word, taken by the free-standing rule
  const g = GLUED.exec(t);
  if (g !== null && g[0].length < t.length) {
    const hit = hostHitBare(t.slice(g[0].length), titles);
    if (hit !== null) return hit;
  }
  // else the token whole, as before (`a•b.com`: `b.com` alone is no host)
  return hostHitBare(t, titles);
}

/**
 * The link a scheme-less token is (LEAD and TRAIL already stripped); null when it is none.
 * `titles`: of its dots (what was cut before t holds none but for `www.`, a strong link anyway).
 */
function hostHitBare(t: string, titles: number): UrlHit | null {
  if (t.length < 4) return null;
  let end = t.length;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) { end = i; break; } // / ? #
  }
  let raw = t.slice(0, end);
  const hasPath = end < t.length - 1;
  if (CODEY.test(raw) || raw.includes('@')) return null;
  const colon = raw.indexOf(':');
  if (colon >= 0) {
    if (!hasPath) return null; // `foo.java:42`, `12.30:`
    raw = raw.slice(0, colon);
  }
  const host = hostName(raw, false);
  if (host === null) return null;
  if (NUMERIC_TLD.test(host)) {
    // only a dotted quad with a path, as browsers write it (`010.010.010.010/x` goes to 8.8.8.8)
    const ip = IPV4.test(host) && hasPath ? ipv4Host(host) : null;
    return ip === null ? null : { host: ip, domain: ip, strong: true };
  }
  const p = parse(host, { allowPrivateDomains: false });
  const domain = p.domain;
  if (domain === null || p.isIcann !== true) return null;
  if (host.startsWith('www.') || hasPath || SHORTENERS.has(domain)) return { host, domain, strong: true };
  // Bare host: reject shapes that are code or file names.
  const labels = host.split('.');
  const last = labels[labels.length - 1] ?? '';
  if (REVERSE_DNS.has(labels[0] ?? '') && labels.length > 2) return null;
  if (FILE_LIKE.has(last) && labels.length === 2) return null;
  if ((p.domainWithoutSuffix ?? '').length < 2) return null;
  const title = titles !== 0 && ((titles >>> (labels.length - 2)) & 1) === 1; // its last dot's bit
  // a run-on ends at its word: `Cheap.Pro/`, `cheap.love/?` (an empty path: linkifiers take them) are links
  if (end === t.length && runOn(p.publicSuffix ?? '', last, title)) return { host, domain, strong: false };
  return { host, domain, strong: true };
}

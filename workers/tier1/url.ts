// URL recognition on one lower-cased, de-obfuscated key token. Conservative on purpose for bare
// hosts: code (`com.example.Foo.bar(...)`, `readme.md`) must not count as links.
import { parse } from 'tldts';
import { domainToUnicode } from 'node:url';
import { skeletonOf } from './skeleton.ts';

export interface UrlHit {
  host: string; // skeleton of the de-obfuscated host
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
// Public suffixes that are everyday words: in chat a bare "her.love", "time.you", "hello.how" or
// "her.my" is a sentence run together after a full stop, not a link. A bare host (no scheme, no
// `www.`, no path, not a shortener) on one of these is a *weak* hit: still de-obfuscated and
// matched against URL_DENY, but not a strong URL (URL_COUNT, URL_RATE) and not a contact payload.
// Spam-favoured word TLDs (.win, .free, .top, .xyz…) are deliberately not here.
const WORD_SUFFIX = new Set([
  'love', 'you', 'how', 'now', 'call', 'meet', 'life', 'like', 'ice', 'today', 'one', 'care', 'fun', 'live',
  'world', 'help', 'new', 'day', 'talk', 'family', 'kids', 'works', 'guru', 'ninja', 'rocks', 'cool', 'dad', 'mom',
  'be', 'by', 'my', 'no', 'pa', 'us', 'so', 'am', 'as', 'at', 'do', 'go', 'in', 'is', 'it', 'to', 'me', 'we', 'ok', 'hi',
]);
const LEAD = /^[("'<[{*_]+/;
const TRAIL = /[)"'>\]}*_.,;:!?]+$/;
const CODEY = /[()[\]{}=;"`<>\\|]/;

function validLabel(l: string): boolean {
  if (l.length === 0 || l.length > 63 || l.charCodeAt(0) === 45 || l.charCodeAt(l.length - 1) === 45) return false;
  for (let i = 0; i < l.length; i++) {
    const c = l.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c >= 0x80;
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
// tldts lookup dominates; bounded, oldest insertion evicted first. Hits are frozen: shared.
const MEMO_MAX = 1024;
const memo = new Map<string, UrlHit | null>();

/** Cheap pre-check: a link needs an ASCII letter/digit (or non-ASCII) on both sides of some dot. */
function maybeLink(t: string): boolean {
  for (let i = t.indexOf('.'); i > 0 && i < t.length - 1; i = t.indexOf('.', i + 1)) {
    const a = t.charCodeAt(i - 1);
    const b = t.charCodeAt(i + 1);
    if ((a >= 97 && a <= 122) || (a >= 48 && a <= 57) || a === 45 || a >= 0x80) {
      if ((b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b >= 0x80) return true;
    }
  }
  return false;
}

/** `tok` is lower-case and space-free. Returns null when it is not a link. */
export function parseUrlToken(tok: string): UrlHit | null {
  if (!maybeLink(tok)) return null;
  const m = memo.get(tok);
  if (m !== undefined) return m;
  const hit = parseUncached(tok);
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value as string);
  memo.set(tok, hit === null ? null : Object.freeze(hit));
  return hit;
}

function parseUncached(tok: string): UrlHit | null {
  let t = tok.replace(LEAD, '').replace(TRAIL, '');
  if (t.length < 4) return null;
  let scheme = false;
  let www = false;
  const sep = t.indexOf('://');
  if (sep > 0 && sep <= 6) {
    const s = t.slice(0, sep);
    if (s !== 'http' && s !== 'https' && s !== 'hxxp' && s !== 'hxxps' && s !== 'ftp') return null;
    scheme = true;
    t = t.slice(sep + 3);
  }
  let end = t.length;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) { end = i; break; } // / ? #
  }
  let host = t.slice(0, end);
  const hasPath = end < t.length - 1;
  if (scheme) {
    const at = host.lastIndexOf('@');
    if (at >= 0) host = host.slice(at + 1);
  } else if (CODEY.test(t) || host.includes('@')) {
    return null;
  }
  const colon = host.indexOf(':');
  if (colon >= 0) {
    if (!scheme && !hasPath) return null; // `foo.java:42`, `12.30:`
    host = host.slice(0, colon);
  }
  if (host.includes('%')) {
    try { host = decodeURIComponent(host); } catch { return null; }
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.startsWith('www.')) www = true;
  host = skeletonHost(host);
  const labels = host.split('.');
  if (labels.length < 2) return null;
  for (const l of labels) if (!validLabel(l)) return null;
  const last = labels[labels.length - 1] ?? '';
  if (/^\d+$/.test(last)) {
    const isIp = labels.length === 4 && labels.every((l) => /^\d{1,3}$/.test(l));
    return isIp && (scheme || hasPath) ? { host, domain: host, strong: true } : null;
  }
  const p = parse(host, { allowPrivateDomains: false });
  const domain = p.domain;
  if (domain === null || p.isIcann !== true) {
    return scheme ? { host, domain: host, strong: true } : null;
  }
  if (scheme || www || hasPath || SHORTENERS.has(domain)) return { host, domain, strong: true };
  // Bare host: reject shapes that are code or file names.
  if (REVERSE_DNS.has(labels[0] ?? '') && labels.length > 2) return null;
  if (FILE_LIKE.has(last) && labels.length === 2) return null;
  if ((p.domainWithoutSuffix ?? '').length < 2) return null;
  if (WORD_SUFFIX.has(p.publicSuffix ?? '')) return { host, domain, strong: false };
  return { host, domain, strong: true };
}

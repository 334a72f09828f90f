// IP-address hosts as browsers read them (the WHATWG URL host parser): a host whose last label is
// a number is an IPv4 address in any form that parser takes — one integer (`3232235777`), hex
// (`0xC0A80001`), octal (`0300.0250.0.1`), two or three parts (`192.168.1`) — or no host at all
// (`1.2.3.4.5`, `256.1.1.1`, `foo.0x1`); `[…]` holds an IPv6 address. A link's host is the address
// as the browser writes it, so one address in any spelling is one host to URL_DENY and to the
// duplicate and campaign rules.

/** One part of an IPv4 host: decimal, octal after a leading 0, hex after 0x (`0x` alone is 0); -1: none. */
function ipv4Number(s: string): number {
  if (s.length === 0) return -1;
  let i = 0;
  let radix = 10;
  if (s.length >= 2 && s.charCodeAt(0) === 48) {
    radix = (s.charCodeAt(1) | 32) === 120 ? 16 : 8;
    i = radix === 16 ? 2 : 1;
  }
  // past 2^32 the value is only compared with the range (no precision needed)
  let n = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const l = c | 32;
    const d = c >= 48 && c <= 57 ? c - 48 : l >= 97 && l <= 102 ? l - 87 : 99;
    if (d >= radix) return -1;
    n = n * radix + d;
  }
  return n;
}

/** The host (percent-decoded, lower case) ends in a number: browsers read it as IPv4 or refuse it. */
export function endsInNumber(h: string): boolean {
  let end = h.length;
  if (end > 1 && h.charCodeAt(end - 1) === 46) end--;
  const last = h.slice(h.lastIndexOf('.', end - 1) + 1, end);
  if (last.length === 0) return false;
  let digits = true;
  for (let i = 0; i < last.length && digits; i++) digits = last.charCodeAt(i) >= 48 && last.charCodeAt(i) <= 57;
  return digits || ipv4Number(last) >= 0;
}

/** A host that ends in a number as dotted-decimal IPv4, or null when browsers refuse it. */
export function ipv4Host(h: string): string | null {
  const parts = h.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 4) return null;
  let v = 0;
  for (let i = 0; i < parts.length; i++) {
    const n = ipv4Number(parts[i] ?? '');
    if (n < 0) return null;
    if (i < parts.length - 1) {
      if (n > 255) return null;
      v += n * 256 ** (3 - i);
    } else {
      if (n >= 256 ** (5 - parts.length)) return null;
      v += n;
    }
  }
  return `${Math.floor(v / 16777216)}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

const IPV6_CHARS = /^[0-9a-f:.]+$/;

/** What stands between `[` and `]` as browsers write that IPv6 address (no brackets), or null when it is none. */
export function ipv6Host(inside: string): string | null {
  if (!inside.includes(':') || inside.length > 45 || !IPV6_CHARS.test(inside)) return null;
  try {
    // rare, and memoized with the token (url.ts): the platform's own parser, not a second one here
    return new URL(`http://[${inside}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const MAPPED = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * The other host a link to the same IPv4 address may name, both as browsers write them: the
 * IPv4-mapped IPv6 address for a dotted quad (`192.168.1.1` ↔ `::ffff:c0a8:101`), which dual-stack
 * systems connect to that IPv4 address, and the other way round; null for any other host. (Other
 * IPv6 forms holding an IPv4 address — `::c0a8:101`, NAT64 `64:ff9b::…` — are other addresses.)
 */
export function mappedTwin(host: string): string | null {
  const c0 = host.charCodeAt(0);
  if (c0 !== 58 && (c0 < 48 || c0 > 57)) return null; // neither `::ffff:…` nor a digit: a host name
  const q = DOTTED.exec(host);
  if (q !== null) {
    const p = q.slice(1).map(Number);
    if (p.some((n) => n > 255)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = p;
    return `::ffff:${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const m = MAPPED.exec(host);
  if (m === null) return null;
  const hi = parseInt(m[1] ?? '', 16);
  const lo = parseInt(m[2] ?? '', 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

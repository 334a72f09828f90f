// A URL_DENY / allow entry as URL_DENY compares it: the host a message link to that domain is read
// as (tier1.md §3: NFKC, case fold, confusable skeleton, runs cut to 3, IDN → skeleton), so
// `xn--vil-qdd.com`, `еvil.com` (Cyrillic е) and `ＥＶＩＬ.com` all name the host `evil.com` that
// messages carrying any of them are matched on. An IPv6 address (`2001:db8::1`, `[2001:DB8:0::1]`)
// is the address as a link host is read (ipHost.ts: browsers' text, lower case, no brackets).
// Config validation rejects an entry that has none.
import { normalize } from './normalize.ts';
import { plainSchemeHost } from './url.ts';
import { ipv6Host } from './ipHost.ts';

// Entries the pipeline leaves as they are once lower-cased (nothing to fold, strip or de-obfuscate,
// no run longer than 3 to cut), which a 10,000-entry list mostly is: those skip it (~5× cheaper).
const PLAIN = /^[a-z0-9.-]+$/;
const RUN = /(.)\1\1\1/;

/** The normalized host of a domain entry, or null when it reads as no host name. */
export function domainKey(domain: string): string | null {
  const d = domain.trim().toLowerCase();
  // no host name has a ':' or a '[': the entry is an IPv6 address or nothing
  if (d.includes(':') || d.startsWith('[')) return ipv6Host(d.startsWith('[') && d.endsWith(']') ? d.slice(1, -1) : d);
  if (PLAIN.test(d) && !RUN.test(d) && !d.includes('hxxp')) return plainSchemeHost(d);
  const hits = normalize(`http://${d}`).urls;
  return hits.length === 1 ? (hits[0]?.host ?? null) : null;
}

// URL_DENY: registrable domain (or any parent of the host), or the IP address, on the tenant deny
// list; allow wins. A host spelled with an ideographic full stop for its dot (`spam。com`, no
// counted link: ideoDot.ts) is looked for here too.
import type { Detector } from './detector.ts';
import type { UrlHit } from './url.ts';
import type { Compiled } from './compiled.ts';
import { ideoDotHits } from './ideoDot.ts';

export const urlDeny: Detector = {
  name: 'denied domain', code: 'URL_DENY',
  check(v, { compiled: c, rules: { URL_DENY: r } }) {
    if ((v.urls.length === 0 && !v.ideoDots) || c.deny.size === 0) return null;
    for (const u of v.urls) {
      const hit = denied(u, c);
      if (hit !== null) return { action: r.action, observed: hit.observed, threshold: 'deny-list', extreme: hit.extreme };
    }
    if (v.ideoDots) {
      for (const u of ideoDotHits(v.key)) {
        const hit = denied(u, c);
        if (hit !== null) return { action: r.action, observed: hit.observed, threshold: 'deny-list', extreme: hit.extreme };
      }
    }
    return null;
  },
};

/** The deny entry u falls under (not when the allow list has it first), or null. */
function denied(u: UrlHit, c: Compiled): { observed: string; extreme: boolean } | null {
  if (c.allow.has(u.domain) || c.allow.has(u.host)) return null;
  if (u.host.includes(':')) {
    // an IPv6 address (ipHost.ts: as browsers write it, like the entries) has no parents to walk
    const extreme = c.deny.get(u.host);
    return extreme === undefined ? null : { observed: u.host, extreme };
  }
  // Walk the host's suffixes: sub.evil.example.com → evil.example.com → example.com …
  for (let h = u.host; h.includes('.'); h = h.slice(h.indexOf('.') + 1)) {
    if (c.allow.has(h)) return null;
    const extreme = c.deny.get(h);
    if (extreme !== undefined) return { observed: h, extreme };
  }
  return null;
}

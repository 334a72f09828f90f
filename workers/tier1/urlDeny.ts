// URL_DENY: registrable domain (or any parent of the host), or the IP address, on the tenant deny
// list; allow wins.
import type { Detector } from './detector.ts';

export const urlDeny: Detector = {
  name: 'denied domain', code: 'URL_DENY',
  check(v, { compiled: c, rules: { URL_DENY: r } }) {
    if (v.urls.length === 0 || c.deny.size === 0) return null;
    for (const u of v.urls) {
      if (c.allow.has(u.domain) || c.allow.has(u.host)) continue;
      if (u.host.includes(':')) {
        // an IPv6 address (ipHost.ts: as browsers write it, like the entries) has no parents to walk
        const extreme = c.deny.get(u.host);
        if (extreme !== undefined) return { action: r.action, observed: u.host, threshold: 'deny-list', extreme };
        continue;
      }
      // Walk the host's suffixes: sub.evil.example.com → evil.example.com → example.com …
      for (let h = u.host; h.includes('.'); h = h.slice(h.indexOf('.') + 1)) {
        if (c.allow.has(h)) break;
        const extreme = c.deny.get(h);
        if (extreme !== undefined) return { action: r.action, observed: h, threshold: 'deny-list', extreme };
      }
    }
    return null;
  },
};

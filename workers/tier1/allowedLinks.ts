// The tenant's URL_DENY.allow list names its own hosts (only the tenant writes it). A link there
// is no outside destination: URL_DENY lets it pass, CAMPAIGN_XCONV does not count it as a
// payload, and URL_COUNT / URL_RATE do not count it — an agent bot answering chats with the
// tenant's canned reply (one link to its help site) was otherwise blocked from its 6th chat in a
// minute and ejected from its 8th.
import type { View } from './analysis.ts';

/** `host` or a parent domain of it is on the allow list (sub.docs.acme.com under docs.acme.com). */
export function allowedHost(allow: ReadonlySet<string>, host: string, domain: string): boolean {
  if (allow.has(domain) || allow.has(host)) return true;
  for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) {
    const h = host.slice(i + 1);
    if (!h.includes('.')) return false;
    if (allow.has(h)) return true;
  }
  return false;
}

/** The message's strong links that point outside the allow list (all of them when it is empty). */
export function outsideLinks(v: View, allow: ReadonlySet<string>): number {
  const n = v.strongUrls;
  if (n === 0 || allow.size === 0) return n;
  let out = 0;
  for (const u of v.urls) if (u.strong && !allowedHost(allow, u.host, u.domain)) out++;
  return out;
}

// URL_COUNT: strong URLs in one message; a brand-new sender is flagged for any link. Links to the
// tenant's allow-listed hosts do not count (allowedLinks.ts), except towards extremeAt: link
// parsing stops past it, so a message over it terminates whatever its hosts.
import type { Detector } from './detector.ts';
import { outsideLinks } from './allowedLinks.ts';

export const urlCount: Detector = {
  name: 'links per message', code: 'URL_COUNT',
  check(v, { rules: { URL_COUNT: r }, sender, compiled }) {
    if (v.strongUrls === 0) return null;
    if (v.strongUrls > r.extremeAt) return { action: 'block', observed: v.strongUrls, threshold: r.extremeAt, extreme: true };
    const n = outsideLinks(v, compiled.allow);
    if (n === 0) return null;
    if (n > r.block) return { action: r.action, observed: n, threshold: r.block };
    if (sender.msgs <= r.newSenderMessages && r.newSenderFlag > 0 && n >= r.newSenderFlag) return { action: 'flag', observed: n, threshold: r.newSenderFlag };
    return null;
  },
};

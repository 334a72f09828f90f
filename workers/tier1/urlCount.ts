// URL_COUNT: strong URLs in one message; a brand-new sender is flagged for any link.
import type { Detector } from './detector.ts';

export const urlCount: Detector = {
  name: 'links per message', code: 'URL_COUNT',
  check(v, { rules: { URL_COUNT: r }, sender }) {
    const n = v.strongUrls;
    if (n === 0) return null;
    if (n > r.extremeAt) return { action: 'block', observed: n, threshold: r.extremeAt, extreme: true };
    if (n > r.block) return { action: r.action, observed: n, threshold: r.block };
    if (sender.msgs <= r.newSenderMessages && r.newSenderFlag > 0 && n >= r.newSenderFlag) return { action: 'flag', observed: n, threshold: r.newSenderFlag };
    return null;
  },
};

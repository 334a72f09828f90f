// CANARY: the tenant's test string always blocks, for end-to-end checks of a live deployment.
import type { Detector } from './detector.ts';

export const canary: Detector = {
  name: 'canary', code: 'CANARY',
  check(v, { rules: { CANARY: r } }) {
    return v.nfc.includes(r.text) ? { action: r.action, observed: 'canary', threshold: 'canary' } : null;
  },
};

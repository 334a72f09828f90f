// CANARY: the tenant's test string blocks while the rule is enforced — the probe that the screen is live
// (it follows `mode` like every rule: with the screen off it passes, which is what the probe shows).
import type { Detector } from './detector.ts';

export const canary: Detector = {
  name: 'canary', code: 'CANARY',
  check(v, { rules: { CANARY: r } }) {
    return v.nfc.includes(r.text) ? { action: r.action, observed: 'canary', threshold: 'canary' } : null;
  },
};

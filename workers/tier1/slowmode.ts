// SLOWMODE: minimum seconds between one sender's messages in an engagement (off by default).
import type { Detector } from './detector.ts';

export const slowmode: Detector = {
  name: 'slow mode', code: 'SLOWMODE',
  check(_v, { rules: { SLOWMODE: r }, pair, nowMs }) {
    if (r.seconds === 0) return null;
    const waitMs = pair.lastMsgMs + r.seconds * 1000 - nowMs;
    if (waitMs <= 0) return null;
    return { action: r.action, observed: Math.ceil(waitMs / 1000), threshold: r.seconds, notice: 'slowDown', retryAfterS: Math.ceil(waitMs / 1000) };
  },
};

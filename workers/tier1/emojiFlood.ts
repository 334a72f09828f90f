// EMOJI_FLOOD: emoji graphemes (a flag or a ZWJ family is one).
import type { Detector } from './detector.ts';

export const emojiFlood: Detector = {
  name: 'emoji flood', code: 'EMOJI_FLOOD',
  check(v, { rules: { EMOJI_FLOOD: r }, sender }) {
    const n = v.emoji;
    if (n === 0) return null;
    if (n > r.block) return { action: r.action, observed: n, threshold: r.block };
    if (v.nonSpace >= r.shareMinGraphemes && n > r.blockShare * v.nonSpace) return { action: r.action, observed: n / v.nonSpace, threshold: r.blockShare };
    if (n > r.flag) return { action: 'flag', observed: n, threshold: r.flag };
    if (sender.msgs <= 3 && n > r.newSenderFlag) return { action: 'flag', observed: n, threshold: r.newSenderFlag };
    return null;
  },
};

// The detector list, in evaluation order (stateful rate/dup rules run on every message so
// their state stays truthful even when an earlier rule already decided).
import type { RuleName } from '../../src/config/tier1.ts';
import type { Detector } from './detector.ts';
import { canary } from './canary.ts';
import { lenMax } from './lenMax.ts';
import { urlCount } from './urlCount.ts';
import { urlRate } from './urlRate.ts';
import { urlDeny } from './urlDeny.ts';
import { dupExact } from './dupExact.ts';
import { dupNear } from './dupNear.ts';
import { campaign } from './campaign.ts';
import { emojiFlood } from './emojiFlood.ts';
import { symbolFlood } from './symbolFlood.ts';
import { charRun } from './charRun.ts';
import { caps } from './caps.ts';
import { zalgo } from './zalgo.ts';
import { invisibleFlood } from './invisibleFlood.ts';
import { mixedScript } from './mixedScript.ts';
import { keyword } from './keyword.ts';
import { regex } from './regex.ts';
import { rateBurst } from './rateBurst.ts';
import { slowmode } from './slowmode.ts';

export const DETECTORS: readonly Detector[] = [
  canary, rateBurst, slowmode, lenMax, urlCount, urlRate, urlDeny, dupExact, dupNear, campaign,
  emojiFlood, symbolFlood, charRun, caps, zalgo, invisibleFlood, mixedScript, keyword, regex,
];

/**
 * The rules that judge the text alone: no sender, pair or tenant-wide state read to decide (the
 * new-sender flags of URL_COUNT and EMOJI_FLOOD read a count, but only ever flag) or written. What
 * a typing preview is screened by (engine.ts previewShown): the rate, slow-mode, duplicate and
 * campaign rules count messages, and a preview is not one.
 */
export const TEXT_RULES: ReadonlySet<RuleName> = new Set<RuleName>([
  'CANARY', 'LEN_MAX', 'URL_COUNT', 'URL_DENY', 'EMOJI_FLOOD', 'SYMBOL_FLOOD', 'CHAR_RUN', 'CAPS', 'ZALGO',
  'INVISIBLE_FLOOD', 'MIXED_SCRIPT', 'KEYWORD', 'REGEX',
]);

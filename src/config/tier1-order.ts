// The order a tenant's Tier-1 levels must keep. Each field is range-checked alone by its reader;
// these relations hold between fields: a flag level past the block level never applies, and an
// extreme level under the block level terminates what should at most be blocked (LEN_MAX
// `{block: 5000, extremeAt: 100}` ended a chat on an ordinary 150-character question). Checked on
// the resolved values, defaults filled, so `EMOJI_FLOOD {block: 5}` is judged against the default
// flag 10; the refusal names the field the operator set.
import type { ResolvedRules, ResolvedTier1Config } from './tier1.ts';

type Obj = Record<string, unknown>;

export interface OrderInput {
  /** where the tier1 document sits (`tier1`) */
  path: string;
  rules: ResolvedRules;
  strikes: ResolvedTier1Config['strikes'];
  /** the operator's own objects: which fields were set */
  raw: { rules: Obj; strikes: Obj };
  /** a field already refused on its own (its default stands in): not judged again */
  refused(path: string): boolean;
  fail(path: string, message: string): void;
}

interface Side { name: string; path: string; value: number; given: boolean }

export function checkTier1Order(o: OrderInput): void {
  const R = o.rules;
  const side = (rule: string, field: string, value: number, name = field, offsetName = ''): Side => {
    const raw = rule === 'strikes' ? o.raw.strikes : o.raw.rules[rule];
    const path = rule === 'strikes' ? `${o.path}.strikes.${field}` : `${o.path}.rules.${rule}.${field}`;
    return { name: name + offsetName, path, value, given: typeof raw === 'object' && raw !== null && (raw as Obj)[field] !== undefined };
  };
  const need = (lo: Side, hi: Side, why: string, strict = false): void => {
    if (o.refused(lo.path) || o.refused(hi.path)) return;
    if (strict ? lo.value < hi.value : lo.value <= hi.value) return;
    const at = lo.given || !hi.given ? lo : hi;
    const show = (s: Side): string => `${s.name}${s.name.includes(' ') ? ' =' : ''} ${s.value}${s.given ? '' : ' (default)'}`;
    o.fail(at.path, `expected ${lo.name} ${strict ? '<' : '≤'} ${hi.name} (here ${show(lo)}, ${show(hi)}): ${why}`);
  };
  const FLAG = 'a flag level past the block level never applies';
  const EXTREME = 'extremeAt is where a first offence terminates the chat; under block it ends chats over messages that are not even blocked';

  const L = R.LEN_MAX;
  need(side('LEN_MAX', 'flag', L.flag), side('LEN_MAX', 'block', L.block), FLAG);
  need(side('LEN_MAX', 'block', L.block), side('LEN_MAX', 'extremeAt', L.extremeAt), EXTREME);

  const U = R.URL_COUNT;
  need(side('URL_COUNT', 'block', U.block), side('URL_COUNT', 'extremeAt', U.extremeAt), EXTREME);
  if (U.newSenderFlag > 0) need(side('URL_COUNT', 'newSenderFlag', U.newSenderFlag), side('URL_COUNT', 'block', U.block), `${FLAG} (newSenderFlag 0 turns it off)`);

  const E = R.EMOJI_FLOOD;
  need(side('EMOJI_FLOOD', 'flag', E.flag), side('EMOJI_FLOOD', 'block', E.block), FLAG);
  need(side('EMOJI_FLOOD', 'newSenderFlag', E.newSenderFlag), side('EMOJI_FLOOD', 'flag', E.flag), 'the new-sender flag is the stricter level for a sender\'s first messages');

  const S = R.SYMBOL_FLOOD;
  need(side('SYMBOL_FLOOD', 'flagShare', S.flagShare), side('SYMBOL_FLOOD', 'blockShare', S.blockShare), FLAG);
  need(side('SYMBOL_FLOOD', 'flagMin', S.flagMin), side('SYMBOL_FLOOD', 'blockMin', S.blockMin), FLAG);

  need(side('CHAR_RUN', 'flag', R.CHAR_RUN.flag), side('CHAR_RUN', 'block', R.CHAR_RUN.block), FLAG);

  const Z = R.ZALGO;
  need(side('ZALGO', 'flag', Z.flag), side('ZALGO', 'block', Z.block), FLAG);
  need(side('ZALGO', 'perBase', Z.perBase), side('ZALGO', 'block', Z.block), 'one base with more than block marks is blocked by itself, so the many-bases level must start below it', true);

  const D = R.DUP_EXACT;
  const RING = 'the ring keeps the pair\'s last `ring` messages, so at most ring + 1 copies are ever counted';
  need(side('DUP_EXACT', 'softFrom', D.softFrom), side('DUP_EXACT', 'blockFrom', D.blockFrom), 'copies from softFrom get the soft notice, from blockFrom a block');
  need(side('DUP_EXACT', 'softWithinMs', D.softWithinMs), side('DUP_EXACT', 'windowMs', D.windowMs), 'copies are remembered for windowMs only');
  need(side('DUP_EXACT', 'blockFrom', D.blockFrom), side('DUP_EXACT', 'ring', D.ring + 1, 'ring', ' + 1'), RING);
  need(side('DUP_NEAR', 'blockFrom', R.DUP_NEAR.blockFrom), side('DUP_EXACT', 'ring', D.ring + 1, 'DUP_EXACT.ring', ' + 1'), `DUP_NEAR shares DUP_EXACT's ring: ${RING}`);

  const K = o.strikes;
  need(side('strikes', 'shortCount', K.shortCount), side('strikes', 'longCount', K.longCount), 'a sender\'s newest longCount strikes are kept, so a larger shortCount is never reached');
  need(side('strikes', 'shortWindowMs', K.shortWindowMs), side('strikes', 'longWindowMs', K.longWindowMs), 'strikes are kept for longWindowMs after a sender\'s last chat');
}

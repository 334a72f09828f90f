// The one detector interface. A detector reads the pre-computed view (never the raw text) and
// the sender/engagement state in ctx, and answers with a verdict or null.
import type { ResolvedRules, ResolvedTier1Config, RuleAction, RuleName } from '../../src/config/tier1.ts';
import type { View } from './analysis.ts';
import type { PairState, SenderState } from './state.ts';
import type { CampaignBook } from './campaignBook.ts';
import type { Compiled } from './compiled.ts';

export interface Verdict {
  action: RuleAction;
  observed: number | string;
  threshold: number | string;
  strike?: boolean; // a strike even when action is below block (MIXED_SCRIPT, CAMPAIGN, RATE_BURST)
  extreme?: boolean; // terminate on first hit
  notice?: 'slowDown' | 'duplicate';
  retryAfterS?: number;
}

export interface Ctx {
  cfg: ResolvedTier1Config;
  rules: ResolvedRules;
  role: 'END_USER' | 'AGENT';
  senderKey: string;
  engagementId: string;
  nowMs: number;
  sender: SenderState;
  pair: PairState;
  compiled: Compiled;
  campaign: CampaignBook;
  fpKey: bigint; // fp64n of the key, or NO_FP when no rule reads it
  fpMasked: bigint; // fp64n of the masked key, or NO_FP
  /** this message's fingerprints went into the pair's DUP_EXACT / DUP_NEAR ring (set by those rules) */
  pushedExact: boolean;
  pushedNear: boolean;
}

export interface Detector {
  readonly name: string;
  readonly code: RuleName;
  check(view: View, ctx: Ctx): Verdict | null;
}

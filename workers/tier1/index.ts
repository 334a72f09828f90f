// Public API of the Tier-1 screen.
import { initHash } from './hash.ts';

export { Tier1Engine } from './engine.ts';
export type { ScreenInput, ScreenResult, ScreenSlot, DecisionLog, PreviewInput } from './engine.ts';
export type { Outcome } from './policy.ts';
export type { CampaignDelta, CampaignRemote } from './campaignBook.ts';
export type { ResolvedTier1Config } from '../../src/config/tier1.ts';
export { resolveTier1, TIER1_DEFAULTS } from '../../src/config/tier1.ts';
export { analyze, type View } from './analysis.ts';
export { normalize } from './normalize.ts';

/** Await once per thread before the first screen(): compiles the xxhash wasm module. */
export async function initTier1(): Promise<void> {
  await initHash();
}

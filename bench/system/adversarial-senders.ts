// The adversarial scenario's senders (adversarial.ts counts what Tier-1 did with them).
//
// Every 10th request is an adversarial post. A sender walks its texts (plan.ts adversarialTexts)
// in order and the screen ends it after a few (3 strikes); every post after that is answered 409
// before the screen. The senders used to take turns over a fixed set of 200, so within seconds
// all were ended and "10 % adversarial" screened real floods for <1 % of the requests (11,522 of
// ~12,300 adversarial posts were 409s). Now each sender posts exactly `life` texts in order —
// as many as the screen takes to end it, computed here with the benchadv rules — and the next,
// fresh sender takes over; each round has its own pool, sized for ADV_POSTS_PER_SEC adversarial
// posts a second.
import { initTier1, resolveTier1, Tier1Engine } from '../../workers/tier1/index.ts';

/** adversarial posts a second a round's pool is sized for (50k req/s with one in ten adversarial) */
export const ADV_POSTS_PER_SEC = 5000;

/**
 * Posts until the screen ends a sender that walks `texts` in order from the first, under the
 * tenant's `tier1` settings (as in its YAML); null when the walk never ends it.
 */
export async function adversarialLife(texts: readonly string[], tier1: unknown): Promise<number | null> {
  await initTier1();
  const cfg = resolveTier1(tier1);
  if (!cfg.ok) throw new Error(`benchadv tier1 settings: ${JSON.stringify(cfg.errors)}`);
  const engine = new Tier1Engine('benchadv', cfg.value, () => undefined);
  let nowMs = Date.now();
  for (let i = 0; i < texts.length; i++) {
    nowMs += 5;
    const r = engine.screen({ text: texts[i]!, role: 'END_USER', senderKey: 'life', engagementId: 'life', participant: '1', nowMs });
    if (r.outcome === 'terminate') return i + 1;
  }
  return null;
}

/** senders one round needs: each posts `life` texts, ADV_POSTS_PER_SEC posts a second */
export function advPoolPerRound(sliceS: number, life: number): number {
  return Math.ceil((sliceS * ADV_POSTS_PER_SEC) / life);
}


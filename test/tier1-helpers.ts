// Shared test driver: an engine with a log sink and a screen() with defaults filled in.
import { Tier1Engine, TIER1_DEFAULTS, resolveTier1, type DecisionLog, type ResolvedTier1Config, type ScreenInput } from '../workers/tier1/index.ts';

export const T0 = 1_700_000_000_000;

export function cfg(input: unknown): ResolvedTier1Config {
  const r = resolveTier1(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

export function harness(config: ResolvedTier1Config = TIER1_DEFAULTS) {
  const logs: DecisionLog[] = [];
  const engine = new Tier1Engine('acme', config, (l) => logs.push(l));
  let n = 0;
  const screen = (text: string, o: Partial<ScreenInput> = {}) =>
    engine.screen({ text, role: 'END_USER', senderKey: o.senderKey ?? 'alice', engagementId: o.engagementId ?? 'e1', participant: '7', nowMs: o.nowMs ?? T0 + (n++) * 4000, ...o });
  const codes = () => logs.map((l) => l.code);
  return { engine, logs, screen, codes };
}

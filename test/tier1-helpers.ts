// Shared test driver: an engine with a log sink and a screen() with defaults filled in.
import { expect } from 'vitest';
import { Tier1Engine, TIER1_DEFAULTS, analyze, resolveTier1, type DecisionLog, type ResolvedTier1Config, type ScreenInput } from '../workers/tier1/index.ts';
import { analyzeNfc } from '../workers/tier1/analysis.ts';

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

/**
 * The links analyze() reads in t (host, and `(weak)` for a weak one), after checking that the
 * general path reads the same view as the one analyze() took.
 */
export function linksOf(t: string): string[] {
  const v = analyze(t);
  expect(analyzeNfc(t, Infinity, t.normalize('NFC')), t).toEqual(v);
  return v.urls.map((u) => u.host + (u.strong ? '' : '(weak)'));
}

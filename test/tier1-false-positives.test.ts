// Every distinct ham row of the SMS Spam Collection, posted by its own sender into its own
// engagement: at most 0.1 % blocked and none terminated. Prints per-rule trigger counts.
import { smsRows } from '../bench/sms-dataset.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1, Tier1Engine, TIER1_DEFAULTS, type DecisionLog } from '../workers/tier1/index.ts';


function run(texts: string[]): { outcomes: Record<string, number>; rules: Record<string, number>; blocked: string[] } {
  const logs: DecisionLog[] = [];
  const engine = new Tier1Engine('sms', TIER1_DEFAULTS, (l) => logs.push(l));
  const outcomes: Record<string, number> = {};
  const blocked: string[] = [];
  texts.forEach((text, i) => {
    const r = engine.screen({ text, role: 'END_USER', senderKey: `s${i}`, engagementId: `e${i}`, participant: String(i), nowMs: 1_700_000_000_000 + i * 1000 });
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    if (r.outcome === 'block' || r.outcome === 'terminate') blocked.push(text);
  });
  const rules: Record<string, number> = {};
  for (const l of logs) rules[`${l.code}:${l.outcome}`] = (rules[`${l.code}:${l.outcome}`] ?? 0) + 1;
  return { outcomes, rules, blocked };
}

describe('false positives on real SMS ham', () => {
  beforeAll(initTier1);

  it('blocks at most 0.1 % of distinct ham rows and terminates none', () => {
    const ham = smsRows('ham');
    expect(ham.length).toBeGreaterThan(4000);
    const r = run(ham);
    console.log('ham outcomes', r.outcomes, 'rule triggers', r.rules, 'blocked', r.blocked);
    expect(r.outcomes.terminate ?? 0).toBe(0);
    expect((r.outcomes.block ?? 0) / ham.length).toBeLessThanOrEqual(0.001);
  });

  it('reports per-rule trigger counts on spam (single polite messages mostly pass)', () => {
    const spam = smsRows('spam');
    const r = run(spam);
    console.log('spam outcomes', r.outcomes, 'rule triggers', r.rules);
    expect(spam.length).toBeGreaterThan(600);
    expect(r.outcomes.terminate ?? 0).toBe(0);
  });
});

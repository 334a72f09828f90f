// Outcomes over time: duplicates, rate limits, strikes, extreme hits, observe mode, hot reload.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness, T0 } from './tier1-helpers.ts';

beforeAll(initTier1);
const SEC = 1000;

describe('escalation', () => {
  it('a waiting customer repeating "Hello, is anyone there?" is never terminated', () => {
    const h = harness();
    const outs = [0, 60, 120, 180, 240, 300].map((s) => h.screen('Hello, is anyone there?', { nowMs: T0 + s * SEC }).outcome);
    expect(outs.slice(0, 4)).toEqual(['allow', 'allow', 'soft', 'soft']);
    expect(outs).not.toContain('terminate');
  });
  it('near-duplicates with varied numbers are flagged, then blocked on the 3rd', () => {
    const h = harness();
    const outs = [1, 2, 3].map((i) => h.screen(`Claim your reward today, code ${i}${i}${i}${i}`).outcome);
    expect(outs).toEqual(['allow', 'flag', 'block']);
  });
  it('a repeat within 30 s is a soft block with the duplicate notice', () => {
    const h = harness();
    h.screen('where is my parcel please', { nowMs: T0 });
    const r = h.screen('where is my parcel please', { nowMs: T0 + 5 * SEC });
    expect(r).toMatchObject({ outcome: 'soft', strike: false, notice: 'You already sent that message.' });
  });
  it('three blocks within 10 minutes terminate; notices never name a rule', () => {
    const h = harness();
    const flood = '$'.repeat(300);
    const r1 = h.screen(flood, { nowMs: T0 });
    const r2 = h.screen(flood + '%', { nowMs: T0 + 60 * SEC });
    const r3 = h.screen(flood + '&', { nowMs: T0 + 120 * SEC });
    expect([r1.outcome, r2.outcome, r3.outcome]).toEqual(['block', 'block', 'terminate']);
    for (const r of [r1, r2, r3]) expect(r.notice).not.toMatch(/[A-Z]+_[A-Z]+|flood|rule/i);
    expect(h.codes()).toContain('STRIKES');
  });
  it('strikes decay: three blocks 6 minutes apart do not terminate', () => {
    const h = harness();
    const outs = [0, 6, 12].map((m, i) => h.screen('$'.repeat(300) + i, { nowMs: T0 + m * 60 * SEC }).outcome);
    expect(outs).toEqual(['block', 'block', 'block']);
  });
  it('restored strikes from the journal count after a restart', () => {
    const h = harness();
    h.engine.restoreStrike('alice', 'e1', T0 - 60 * SEC);
    h.engine.restoreStrike('alice', 'e1', T0 - 30 * SEC);
    expect(h.screen('$'.repeat(300), { nowMs: T0 }).outcome).toBe('terminate');
  });
  it('an extreme first hit terminates: more than 40 000 code points', () => {
    expect(harness().screen('x '.repeat(20_001), { nowMs: T0 }).outcome).toBe('terminate');
    expect(harness().screen('x '.repeat(2_001), { nowMs: T0 }).outcome).toBe('block');
  });
  it('a rule marked extreme terminates on its first block', () => {
    const h = harness(cfg({ rules: { KEYWORD: { phrases: ['buy followers'], extreme: true } } }));
    expect(h.screen('buy followers here').outcome).toBe('terminate');
  });
  it('RATE_BURST: burst of 10, then soft with retry-after; 3 soft blocks in a minute strike', () => {
    const h = harness();
    const outs = Array.from({ length: 13 }, (_, i) => h.screen(`message number ${'abcdefghijklm'[i]}`, { nowMs: T0 + i * 100 }));
    expect(outs.slice(0, 10).every((r) => r.outcome === 'allow')).toBe(true);
    expect(outs[10]).toMatchObject({ outcome: 'soft', strike: false });
    expect(outs[10]?.notice).toMatch(/wait \d+ seconds/);
    expect(outs[12]?.strike).toBe(true);
    expect(h.screen('later message', { nowMs: T0 + 40 * SEC }).outcome).toBe('allow');
  });
  it('RATE_BURST: one strike per three soft blocks, not one for each after the third', () => {
    const h = harness();
    const outs = Array.from({ length: 17 }, (_, i) => h.screen(`message number ${'abcdefghijklmnopq'[i]}`, { nowMs: T0 + i * 100 }));
    // soft blocks from the 11th post; strikes at the 3rd and 6th of them — never a termination
    expect(outs.map((r) => r.strike)).toEqual([...Array(12).fill(false), true, false, false, true, false]);
    expect(outs.every((r) => r.outcome !== 'terminate')).toBe(true);
  });
  it('SLOWMODE soft-blocks inside the interval', () => {
    const h = harness(cfg({ rules: { SLOWMODE: { seconds: 10 } } }));
    expect(h.screen('first', { nowMs: T0 }).outcome).toBe('allow');
    expect(h.screen('second', { nowMs: T0 + 3 * SEC }).outcome).toBe('soft');
    expect(h.screen('third', { nowMs: T0 + 11 * SEC }).outcome).toBe('allow');
  });
  it('observe mode logs but delivers, with no strike', () => {
    const h = harness(cfg({ mode: 'observe' }));
    const r = h.screen('$'.repeat(300));
    expect(r).toMatchObject({ outcome: 'flag', strike: false });
    expect(h.logs.find((l) => l.code === 'CHAR_RUN')).toMatchObject({ mode: 'observe', textHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(h.logs.every((l) => l.text === undefined && l.mode === 'observe')).toBe(true);
  });
  it('the canary always blocks; audit.logText puts the text in the log', () => {
    const h = harness(cfg({ audit: { logText: true } }));
    const canary = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
    expect(h.screen(canary).outcome).toBe('block');
    expect(h.logs[0]).toMatchObject({ code: 'CANARY', text: canary, configVersion: 0 });
  });
  it('agents skip Tier-1 when screenAgents is false, and are screened otherwise', () => {
    expect(harness(cfg({ screenAgents: false })).screen('$'.repeat(300), { role: 'AGENT' }).outcome).toBe('allow');
    expect(harness().screen('$'.repeat(300), { role: 'AGENT' }).outcome).toBe('block');
  });
  it('setConfig swaps rules atomically and keeps strike state', () => {
    const h = harness();
    h.screen('$'.repeat(300), { nowMs: T0 });
    h.engine.setConfig(cfg({ version: 2, rules: { KEYWORD: { phrases: ['spam word'] } } }));
    h.screen('this has spam word', { nowMs: T0 + SEC });
    expect(h.logs.at(-1)).toMatchObject({ code: 'KEYWORD', configVersion: 2 });
    expect(h.screen('$'.repeat(301), { nowMs: T0 + 2 * SEC }).outcome).toBe('terminate');
  });
  it('forgetEngagement frees per-engagement state', () => {
    const h = harness();
    h.screen('hello there', { engagementId: 'e9' });
    expect(h.engine.stats().engagements).toBe(1);
    h.engine.forgetEngagement('e9');
    expect(h.engine.stats().engagements).toBe(0);
  });
});

// A typing preview is judged by Tier-1's text rules only (engine previewShown): what would withhold
// it as a post hides it, nothing about it counts as a message — no strike, no rate, duplicate or
// campaign bookkeeping — flags are not logged, and each rule's mode is respected.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
const preview = (h: ReturnType<typeof harness>, text: string, role: 'END_USER' | 'AGENT' = 'END_USER') =>
  h.engine.previewShown({ text, role, engagementId: 'e1', participant: '7' });

describe('typing previews and the Tier-1 text rules', () => {
  it('hides what a post would have withheld, logged as outcome preview', () => {
    const h = harness(cfg({ rules: { URL_DENY: { deny: ['evil.com'] }, KEYWORD: { action: 'block', phrases: ['free crypto'] } } }));
    expect(preview(h, 'my order number is 12')).toBe(true);
    expect(preview(h, `hello ${CANARY}`)).toBe(false);
    expect(preview(h, 'go to https://evil.com/x')).toBe(false);
    expect(preview(h, 'get free candy now')).toBe(true); // not the phrase
    expect(preview(h, 'get FREE CRYPTO now')).toBe(false);
    expect(preview(h, 'a https://a.example.com b https://b.example.com c https://c.example.com d https://d.example.com')).toBe(false);
    expect(preview(h, '🔥'.repeat(40))).toBe(false);
    expect(h.logs.map((l) => [l.code, l.outcome, l.mode])).toEqual([
      ['CANARY', 'preview', 'enforce'], ['URL_DENY', 'preview', 'enforce'], ['KEYWORD', 'preview', 'enforce'],
      ['URL_COUNT', 'preview', 'enforce'], ['EMOJI_FLOOD', 'preview', 'enforce'],
    ]);
    expect(h.logs.every((l) => /^[0-9a-f]{16}$/.test(l.textHash) && l.text === undefined)).toBe(true);
  });

  it('counts nothing: no strike, no rate or duplicate state, flags not logged', () => {
    const h = harness();
    for (let i = 0; i < 20; i++) expect(preview(h, `hello ${CANARY}`)).toBe(false);
    for (let i = 0; i < 20; i++) expect(preview(h, 'Hello, is anyone there? see https://a.example.com')).toBe(true);
    expect(h.codes()).toEqual(Array(20).fill('CANARY'));
    expect(h.engine.screened).toBe(0);
    expect(h.engine.stats()).toMatchObject({ senders: 0, engagements: 0 });
    // the sender's first post is judged as if no preview had come before it
    expect(h.screen('Hello, is anyone there?', { nowMs: 1_700_000_000_000 })).toMatchObject({ outcome: 'allow', strike: false });
  });

  it('shows it in observe mode and with the rule off; skips agents with screenAgents false', () => {
    const obs = harness(cfg({ mode: 'observe' }));
    expect(preview(obs, CANARY)).toBe(true);
    expect(obs.logs.map((l) => [l.code, l.outcome, l.mode])).toEqual([['CANARY', 'preview', 'observe']]);
    const off = harness(cfg({ rules: { CANARY: { mode: 'off' } } }));
    expect(preview(off, CANARY)).toBe(true);
    expect(off.logs).toEqual([]);
    expect(preview(harness(), CANARY, 'AGENT')).toBe(false);
    expect(preview(harness(cfg({ screenAgents: false })), CANARY, 'AGENT')).toBe(true);
  });
});

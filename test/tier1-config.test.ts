// Config validation: field paths and expected shapes in every error.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveTier1, TIER1_DEFAULTS } from '../src/config/tier1.ts';

const errs = (input: unknown) => {
  const r = resolveTier1(input);
  return r.ok ? [] : r.errors.map((e) => e.message);
};

describe('tier1 config', () => {
  it('fills defaults and freezes', () => {
    const r = resolveTier1(undefined);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.rules.LEN_MAX).toMatchObject({ mode: 'enforce', action: 'block', block: 4000, flag: 2000, extremeAt: 40000 });
    expect(r.value.systemParticipantName).toBe('System');
    expect(Object.isFrozen(r.value.rules.LEN_MAX)).toBe(true);
    expect(TIER1_DEFAULTS.rules.CANARY.text).toBe('XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X');
  });
  it('accepts the operator YAML shape', () => {
    const doc = parse(`tier1:\n  mode: enforce\n  screenAgents: true\n  rules:\n    RATE_BURST: { mode: off }\n    LEN_MAX: { block: 2000 }\n    KEYWORD: { action: block, phrases: ["free crypto", "whatsapp me"] }\n`) as { tier1: unknown };
    const r = resolveTier1(doc.tier1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.rules.RATE_BURST.mode).toBe('off');
    expect(r.value.rules.LEN_MAX).toMatchObject({ block: 2000, flag: 2000, extremeAt: 20000 });
  });
  it('names the field path and the expected shape', () => {
    expect(errs({ rules: { LEN_MAX: { block: 0 } } })).toContain('tier1.rules.LEN_MAX.block: expected integer ≥ 1');
    expect(errs({ mode: 'loud' })).toContain('tier1.mode: expected one of off | observe | enforce');
    expect(errs({ rules: { NOPE: {} } })[0]).toMatch(/^tier1\.rules\.NOPE: unknown field/);
    expect(errs({ rules: { SLOWMODE: { seconds: 2 } } })[0]).toMatch(/^tier1\.rules\.SLOWMODE\.seconds: expected 0 \(off\)/);
  });
  it('rejects invalid RE2 patterns and backreferences', () => {
    expect(errs({ rules: { REGEX: { patterns: ['ok+', '(a'] } } })[0]).toMatch(/^tier1\.rules\.REGEX\.patterns\[1\]: expected a valid RE2 pattern/);
    expect(errs({ rules: { REGEX: { patterns: ['(a)\\1'] } } })[0]).toMatch(/patterns\[0\]/);
  });
  it('enforces list limits', () => {
    expect(errs({ rules: { KEYWORD: { phrases: Array.from({ length: 1001 }, (_, i) => `w${i}`) } } })[0]).toMatch(/at most 1000 entries/);
    expect(errs({ rules: { KEYWORD: { phrases: ['x'.repeat(61)] } } })[0]).toMatch(/phrases\[0\]: expected a non-empty string of at most 60/);
    expect(errs({ rules: { REGEX: { patterns: Array.from({ length: 51 }, () => 'a') } } })[0]).toMatch(/at most 50 entries/);
    expect(errs({ rules: { REGEX: { patterns: ['a'.repeat(261)] } } })[0]).toMatch(/at most 260/);
  });
  it('validates deny entries', () => {
    expect(errs({ rules: { URL_DENY: { deny: ['evil.com', { domain: 'x', extreme: true }] } } })).toContain('tier1.rules.URL_DENY.deny[1].domain: expected a domain name such as example.com');
  });
});

// The canary is the operator's probe that the screen is live (tier1.md §1), so it follows `mode`
// like every rule, as README states: blocked with a strike while enforced (the default),
// delivered and logged in observe, delivered with the tenant's (or the rule's) mode off.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';

describe('the canary and the modes', () => {
  it('is blocked with a strike by default and with its rule enforced under a tenant in observe', () => {
    expect(harness().screen(`test ${CANARY}`)).toMatchObject({ outcome: 'block', strike: true });
    expect(harness(cfg({ mode: 'observe', rules: { CANARY: { mode: 'enforce' } } })).screen(CANARY)).toMatchObject({ outcome: 'block', strike: true });
  });
  it('is delivered and logged in observe mode', () => {
    const h = harness(cfg({ mode: 'observe' }));
    expect(h.screen(CANARY)).toMatchObject({ outcome: 'flag', strike: false, text: CANARY });
    expect(h.logs).toContainEqual(expect.objectContaining({ code: 'CANARY', mode: 'observe' }));
  });
  it('is delivered with the tenant\'s mode off or its own', () => {
    for (const c of [{ mode: 'off' }, { rules: { CANARY: { mode: 'off' } } }]) {
      const h = harness(cfg(c));
      // delivered (CAPS may flag the all-capitals string; it never blocks)
      expect(h.screen(CANARY), JSON.stringify(c)).toMatchObject({ strike: false, text: CANARY });
      expect(h.codes()).not.toContain('CANARY');
    }
  });
  it('a tenant\'s own canary text replaces the default', () => {
    const h = harness(cfg({ rules: { CANARY: { text: 'ACME-SCREEN-PROBE-7' } } }));
    expect(h.screen('ACME-SCREEN-PROBE-7').outcome).toBe('block');
    expect(h.screen(CANARY)).toMatchObject({ strike: false, text: CANARY });
  });
});

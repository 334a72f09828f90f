// ZALGO and CHAR_RUN levels as configured. Before: ZALGO.perBase was accepted and ignored (bases
// were counted with more than 3 marks whatever it said), and both rules answered nothing below
// their flag level, so a tenant raising `flag` also switched off the many-bases block (ZALGO) and
// the share block (CHAR_RUN) for everything under it.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
// `x` has no precomposed forms: the marks stay marks after NFC
const stacked = (marks: number, bases: number): string => Array.from({ length: bases }, () => 'x' + '\u0301\u0302\u0303\u0304\u0306\u0307\u0308'.slice(0, marks)).join(' ');

describe('ZALGO perBase', () => {
  it('counts bases with more than perBase marks', () => {
    const r = { rules: { ZALGO: { perBase: 5, bases: 3 } } };
    expect(harness(cfg(r)).screen(`hi ${stacked(6, 3)}`).outcome).toBe('block');
    // 4 marks on each of 3 bases: over the flag level (3), not over perBase 5
    expect(harness(cfg(r)).screen(`hi ${stacked(4, 3)}`).outcome).toBe('flag');
  });
  it('the default still blocks 10 bases with 4 marks and lets Vietnamese-like 2–3 through', () => {
    expect(harness().screen(stacked(4, 10)).outcome).toBe('block');
    expect(harness().screen(stacked(3, 12)).outcome).toBe('allow');
  });
  it('a raised flag level does not switch the many-bases block off', () => {
    const h = harness(cfg({ rules: { ZALGO: { flag: 6, perBase: 3, bases: 3 } } }));
    expect(h.screen(`hi ${stacked(4, 3)}`).outcome).toBe('block');
    expect(h.logs[0]).toMatchObject({ code: 'ZALGO', observed: 3, threshold: 3 });
  });
});

describe('CHAR_RUN share block under a raised flag level', () => {
  it('a run of 45 in a 50-grapheme message blocks with flag 60', () => {
    const text = 'a'.repeat(45) + ' okay';
    expect(harness().screen(text).outcome).toBe('block'); // default flag 20: the share block applies
    const h = harness(cfg({ rules: { CHAR_RUN: { flag: 60 } } }));
    expect(h.screen(text).outcome).toBe('block');
    expect(h.logs[0]).toMatchObject({ code: 'CHAR_RUN', threshold: 0.8 });
  });
  it('a run under both levels is nothing', () => {
    expect(harness(cfg({ rules: { CHAR_RUN: { flag: 60 } } })).screen('a'.repeat(30) + ' is a long scream of a message here').outcome).toBe('allow');
  });
});

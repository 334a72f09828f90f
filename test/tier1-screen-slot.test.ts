// A caller's slot (ScreenInput.slot) reaches the same sender and pair state as the engine's own
// lookups, and never outlives it: a forgotten engagement, another engine, another sender or another
// engagement in the slot all fall back to the lookup.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1, type ScreenSlot } from '../workers/tier1/index.ts';
import { harness, T0 } from './tier1-helpers.ts';

beforeAll(initTier1);
const SEC = 1000;
const slot = (): ScreenSlot => ({ pair: null, owner: null });

describe('screen slot', () => {
  it('rate and duplicate state carries across messages through the slot as through the lookup', () => {
    const h = harness();
    const s = slot();
    h.screen('where is my parcel please', { nowMs: T0, slot: s });
    expect(s.owner).toBe(h.engine);
    expect(h.screen('where is my parcel please', { nowMs: T0 + 5 * SEC, slot: s }).outcome).toBe('soft');
    // the same pair without the slot: the state is shared, not a copy
    expect(h.screen('where is my parcel please', { nowMs: T0 + 10 * SEC }).outcome).toBe('soft');
    const outs = Array.from({ length: 11 }, (_, i) => h.screen(`message number ${'abcdefghijk'[i]}`, { nowMs: T0 + 60 * SEC + i * 100, slot: s }).outcome);
    expect(outs.slice(0, 10)).not.toContain('soft');
    expect(outs[10]).toBe('soft');
  });

  it('strikes recorded through the slot are the sender\'s, across engagements', () => {
    const h = harness();
    const a = slot();
    const b = slot();
    expect(h.screen('$'.repeat(300), { nowMs: T0, engagementId: 'e1', slot: a }).outcome).toBe('block');
    expect(h.screen('$'.repeat(300) + '%', { nowMs: T0 + 60 * SEC, engagementId: 'e2', slot: b }).outcome).toBe('block');
    expect(h.screen('$'.repeat(300) + '&', { nowMs: T0 + 120 * SEC, engagementId: 'e1', slot: a }).outcome).toBe('terminate');
  });

  it('after forgetEngagement the slot is not used: the pair starts fresh, the sender is still the live one', () => {
    const h = harness();
    const s = slot();
    h.screen('where is my parcel please', { nowMs: T0, slot: s });
    h.screen('$'.repeat(300), { nowMs: T0 + SEC, slot: s }); // a strike on alice
    const stale = s.pair;
    h.engine.forgetEngagement('e1');
    // a repeat would be a duplicate in the forgotten pair; a fresh pair allows it
    expect(h.screen('where is my parcel please', { nowMs: T0 + 2 * SEC, slot: s }).outcome).toBe('allow');
    expect(s.pair).not.toBe(stale);
    // the strike before is still alice's (two more blocks terminate)
    h.screen('$'.repeat(300) + '%', { nowMs: T0 + 60 * SEC, slot: s });
    expect(h.screen('$'.repeat(300) + '&', { nowMs: T0 + 120 * SEC, slot: s }).outcome).toBe('terminate');
    expect(h.engine.stats()).toMatchObject({ engagements: 1 });
  });

  it('a slot filled by another engine, sender or engagement is ignored and refilled', () => {
    const h1 = harness();
    const h2 = harness();
    const s = slot();
    h1.screen('where is my parcel please', { nowMs: T0, slot: s });
    expect(h2.screen('where is my parcel please', { nowMs: T0 + SEC, slot: s }).outcome).toBe('allow');
    expect(s.owner).toBe(h2.engine);
    expect(h2.screen('where is my parcel please', { nowMs: T0 + 2 * SEC, slot: s, senderKey: 'bob' }).outcome).toBe('allow');
    expect(s.pair?.senderKey).toBe('bob');
    expect(h2.screen('where is my parcel please', { nowMs: T0 + 3 * SEC, slot: s, senderKey: 'bob', engagementId: 'e2' }).outcome).toBe('allow');
    expect(s.pair?.engagementId).toBe('e2');
    // each of those pairs kept its own state: alice in e1 on h2 repeats now
    expect(h2.screen('where is my parcel please', { nowMs: T0 + 4 * SEC, slot: s }).outcome).toBe('soft');
  });
});

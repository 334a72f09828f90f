// DUP_EXACT and DUP_NEAR keep each pair's last messages in a circular Float64Array with the 64-bit
// fingerprints as two 32-bit halves (workers/tier1/fpRing.ts). They must decide exactly as the
// plain version of the rules they replaced — arrays of bigint fingerprints, push then shift —
// which is kept here as the reference: for any stream of messages (repeats, near repeats, times
// inside and past each window, any ring size), the same verdict on every message.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveTier1 } from '../workers/tier1/index.ts';
import { dupExact } from '../workers/tier1/dupExact.ts';
import { dupNear } from '../workers/tier1/dupNear.ts';
import { FpRing } from '../workers/tier1/fpRing.ts';
import { PairState, SenderState } from '../workers/tier1/state.ts';
import type { Ctx, Verdict } from '../workers/tier1/detector.ts';
import type { View } from '../workers/tier1/analysis.ts';
import type { ResolvedTier1Config } from '../workers/tier1/index.ts';

type Rules = ResolvedTier1Config['rules'];

/** The rules as they were, over bigint arrays (a ring keeps its last `max` entries). */
class Reference {
  ringFp: bigint[] = [];
  ringAt: number[] = [];
  nearFp: bigint[] = [];
  nearAt: number[] = [];
  nearKey: bigint[] = [];

  private static push<T>(ring: T[], v: T, max: number): void {
    ring.push(v);
    if (ring.length > max) ring.shift();
  }

  exact(keyLen: number, fpKey: bigint, nowMs: number, r: Rules['DUP_EXACT']): Verdict | null {
    if (keyLen < r.minLength) return null;
    let copies = 1;
    let lastAt = -Infinity;
    for (let i = 0; i < this.ringFp.length; i++) {
      const at = this.ringAt[i] ?? 0;
      if (this.ringFp[i] === fpKey && nowMs - at <= r.windowMs) {
        copies++;
        if (at > lastAt) lastAt = at;
      }
    }
    Reference.push(this.ringFp, fpKey, r.ring);
    Reference.push(this.ringAt, nowMs, r.ring);
    if (copies >= r.blockFrom) return { action: r.action, observed: copies, threshold: r.blockFrom };
    if (copies >= r.softFrom || nowMs - lastAt <= r.softWithinMs) return { action: 'soft', observed: copies, threshold: r.softFrom, notice: 'duplicate' };
    return null;
  }

  near(maskedLen: number, fpMasked: bigint, fpKey: bigint, nowMs: number, r: Rules['DUP_NEAR'], e: Rules['DUP_EXACT']): Verdict | null {
    if (maskedLen < r.minLength) return null;
    let copies = 1;
    for (let i = 0; i < this.nearFp.length; i++) {
      if (this.nearFp[i] === fpMasked && this.nearKey[i] !== fpKey && nowMs - (this.nearAt[i] ?? 0) <= r.windowMs) copies++;
    }
    Reference.push(this.nearFp, fpMasked, e.ring);
    Reference.push(this.nearAt, nowMs, e.ring);
    Reference.push(this.nearKey, fpKey, e.ring);
    if (copies < 2) return null;
    return copies >= r.blockFrom ? { action: r.action, observed: copies, threshold: r.blockFrom } : { action: 'flag', observed: copies, threshold: 2 };
  }
}

function rulesWith(ring: number): Rules {
  const c = resolveTier1({ rules: { DUP_EXACT: { ring } } });
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.value.rules;
}

// fingerprints (unsigned 64-bit) that differ in one half only, in both, at the top bit. Not NO_FP
// (-1n): the engine computes the key and masked fingerprints whenever these rules' length gates
// pass (engine.ts derive: fpKeyMin, fpMaskedMin), so neither rule is ever handed it.
const FPS = [0n, 1n, 2n ** 32n, 2n ** 32n + 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n - 2n, 0xdeadbeefcafebaben, 0xdeadbeefcafebabfn];

const message = fc.record({
  key: fc.integer({ min: 0, max: FPS.length - 1 }),
  masked: fc.integer({ min: 0, max: FPS.length - 1 }),
  keyLen: fc.oneof(fc.constant(40), fc.integer({ min: 0, max: 30 })),
  maskedLen: fc.oneof(fc.constant(40), fc.integer({ min: 0, max: 30 })),
  // mostly seconds apart (so the ring, not the window, bounds what is remembered), sometimes past
  // the 30 s soft window or the 10 min window
  gapMs: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 5_000 }), weight: 20 },
    { arbitrary: fc.integer({ min: 25_000, max: 40_000 }), weight: 3 },
    { arbitrary: fc.integer({ min: 500_000, max: 700_000 }), weight: 1 },
  ),
});

describe('duplicate rings', () => {
  it('DUP_EXACT and DUP_NEAR give the reference verdict on every message of any stream', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 20 }), fc.array(message, { minLength: 1, maxLength: 120 }), (ring, msgs) => {
        const rules = rulesWith(ring);
        const ref = new Reference();
        const pair = new PairState(10, 0, new SenderState(), 'alice', 'e1');
        let now = 1_700_000_000_000;
        for (const m of msgs) {
          now += m.gapMs;
          const fpKey = FPS[m.key]!;
          const fpMasked = FPS[m.masked]!;
          const view = { key: 'k'.repeat(m.keyLen), masked: 'm'.repeat(m.maskedLen) } as View;
          const ctx = { rules, pair, fpKey, fpMasked, nowMs: now } as unknown as Ctx;
          expect(dupExact.check(view, ctx)).toEqual(ref.exact(m.keyLen, fpKey, now, rules.DUP_EXACT));
          expect(dupNear.check(view, ctx)).toEqual(ref.near(m.maskedLen, fpMasked, fpKey, now, rules.DUP_NEAR, rules.DUP_EXACT));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a ring holds exactly its newest entries, oldest first, however many went through it', () => {
    for (const cap of [1, 2, 3, 4, 7, 16]) {
      const r = new FpRing(cap, 5);
      for (let i = 1; i <= 5 * cap + 3; i++) {
        r.push(i, i + 0.25, i + 0.5, i + 0.75, -i);
        const want = Array.from({ length: Math.min(i, cap) }, (_, k) => i - Math.min(i, cap) + 1 + k);
        expect(Array.from({ length: r.n }, (_, k) => r.field(0, k)), `cap ${cap} after ${i}`).toEqual(want);
        expect([0, 1, 2, 3, 4].map((f) => r.field(f, r.n - 1))).toEqual([i, i + 0.25, i + 0.5, i + 0.75, -i]);
      }
    }
  });

  it('a ring keeps its newest entries across a resize (a reloaded ring size), oldest first', () => {
    const r = new FpRing(4, 3);
    for (let i = 1; i <= 6; i++) r.push(i, i * 10, i * 100); // holds 3, 4, 5, 6
    const times = (): number[] => Array.from({ length: r.n }, (_, i) => r.field(0, i));
    expect(times()).toEqual([3, 4, 5, 6]);
    r.resize(2);
    expect(times()).toEqual([5, 6]);
    expect([r.field(1, 1), r.field(2, 1)]).toEqual([60, 600]);
    r.resize(5);
    r.push(7, 70, 700);
    expect(times()).toEqual([5, 6, 7]);
    for (let i = 8; i <= 10; i++) r.push(i, 0, 0);
    expect(times()).toEqual([6, 7, 8, 9, 10]);
  });
});

// The REGEX breaker turns a tenant's set off on its shard after one slow match. A match can also
// look slow when the thread was off its core (the VM paused, another thread ran): the set must then
// not stay off until the tenant's next config. It comes back after REGEX_COOLDOWN_MS of the
// screen's clock — and a set that really is slow trips again, one slow match per cool-down.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1, Tier1Engine } from '../workers/tier1/index.ts';
import { REGEX_COOLDOWN_MS } from '../workers/tier1/engine.ts';
import { resolveTier1 } from '../src/config/tier1.ts';
import { ethiopic, SLOW_ON_ETHIOPIC } from './helpers/slow-regex.ts';

const PATTERNS = [...SLOW_ON_ETHIOPIC, '(?i)wire\\s+transfer\\s+fee'];


describe('the REGEX breaker', () => {
  beforeAll(initTier1);

  it('turns the set off after a slow match, and back on after its cool-down', () => {
    const r = resolveTier1({ rules: { REGEX: { action: 'block', patterns: PATTERNS } } });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const offs: number[] = [];
    const engine = new Tier1Engine('acme', r.value, () => {}, (ms) => offs.push(ms));
    const t0 = 1_700_000_000_000;
    let n = 0;
    const screen = (text: string, nowMs: number) =>
      engine.screen({ text, role: 'END_USER', senderKey: `s${n}`, engagementId: `e${n}`, participant: String(n++), nowMs }).outcome;
    expect(screen('what is the wire transfer fee', t0)).toBe('block'); // the set works
    screen(ethiopic(7, 3000), t0 + 1);
    expect(offs).toHaveLength(1); // one slow match tripped it
    expect(screen('what is the wire transfer fee', t0 + 2)).toBe('allow'); // off on this engine
    expect(screen('what is the wire transfer fee', t0 + 1 + REGEX_COOLDOWN_MS - 10)).toBe('allow');
    expect(screen('what is the wire transfer fee', t0 + 1 + REGEX_COOLDOWN_MS)).toBe('block'); // back
    screen(ethiopic(7, 3000), t0 + 2 + REGEX_COOLDOWN_MS);
    expect(offs).toHaveLength(2); // still slow: off again
  });
});

// The REGEX breaker turns a tenant's set off on its shard after one slow match. A match can also
// look slow when the thread was off its core (the VM paused, another thread ran): the set must then
// not stay off until the tenant's next config. It comes back after REGEX_COOLDOWN_MS of the
// screen's clock — and a set that really is slow trips again, one slow match per cool-down.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1, Tier1Engine } from '../workers/tier1/index.ts';
import { REGEX_COOLDOWN_MS } from '../workers/tier1/engine.ts';
import { resolveTier1 } from '../src/config/tier1.ts';

const SLOW_ON_ETHIOPIC = Array.from({ length: 49 }, (_, i) => `[\\x{1200}-\\x{1248}]{2,20}.{0,30}[^\\x{1200}]{1,30}N${i}`);
const PATTERNS = [...SLOW_ON_ETHIOPIC, '(?i)wire\\s+transfer\\s+fee'];

function ethiopic(): string {
  let s = 7, t = '';
  const next = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  while (t.length < 3000) {
    const n = 2 + Math.floor(next() * 8);
    for (let i = 0; i < n; i++) t += String.fromCodePoint(0x1200 + Math.floor(next() * 0x48));
    t += ' ';
  }
  return t.trim();
}

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
    screen(ethiopic(), t0 + 1);
    expect(offs).toHaveLength(1); // one slow match tripped it
    expect(screen('what is the wire transfer fee', t0 + 2)).toBe('allow'); // off on this engine
    expect(screen('what is the wire transfer fee', t0 + 1 + REGEX_COOLDOWN_MS - 10)).toBe('allow');
    expect(screen('what is the wire transfer fee', t0 + 1 + REGEX_COOLDOWN_MS)).toBe('block'); // back
    screen(ethiopic(), t0 + 2 + REGEX_COOLDOWN_MS);
    expect(offs).toHaveLength(2); // still slow: off again
  });
});

// REGEX: tenant RE2 patterns as one RE2.Set over the normalized key (linear time).
import type { Detector } from './detector.ts';
import { REGEX_BUDGET_CP } from './regex-cost.ts';

/**
 * A match of a tenant's set that takes longer than this per REGEX_BUDGET_CP code points of key
 * (and longer than this at all) turns the set off on this shard for REGEX_COOLDOWN_MS (engine.ts), or until the tenant's config is
 * next set. The validator refuses sets over their budget on its probe texts (regex-cost.ts), but a set
 * slow only on text the probes leave out (a script, a kind of token) passes, and then costs 1–3 s
 * of shard CPU per long post of that text: a few at once hold the shard past its heartbeat. Realistic
 * sets take 0.05–12 ms per 4,000 code points (proximity patterns over common words the most), ~2×
 * that on a thread sharing its core: 100 ms stays 4× over those, and a slow post costs the shard
 * one such match (~1–3 s), not the next ones queued behind it.
 */
export const REGEX_BREAKER_MS = 100;

export const regex: Detector = {
  name: 'pattern', code: 'REGEX',
  check(v, { compiled, rules: { REGEX: r } }) {
    const set = compiled.regex;
    if (set === null) return null;
    // only tenants with patterns get here: two clock reads (~0.2 µs measured, ~2 % of a ham screen) beside a match of µs to ms
    const t0 = performance.now();
    const hits = set.match(v.key);
    const ms = performance.now() - t0;
    if (ms > REGEX_BREAKER_MS && ms > (REGEX_BREAKER_MS * v.key.length) / REGEX_BUDGET_CP) {
      // the engine reports it and drops the rule from its lists (engine.ts regexTripped)
      compiled.regex = null;
      compiled.regexTrip = { set, ms };
    }
    return hits.length > 0 ? { action: r.action, observed: hits.join(','), threshold: 'pattern' } : null;
  },
};

// What a finished run amounts to for whoever scripts `npm run bench`: whether the server under
// test (Parley) was measured in every scenario asked for. A run that missed it anywhere is not a
// result: it exits 1, names what was not measured on its last line, and its report goes to
// latest-incomplete.* instead of replacing latest.* (and never reaches README.md). Pure.
import type { BenchReport, ServerName } from './types.ts';

/** The scenarios `--scenario all` runs: the README's section is a run of all of them */
export const BENCH_SCENARIOS = ['ham', 'adversarial', 'idle', 'fanout', 'chat'] as const;
export type Scenario = (typeof BENCH_SCENARIOS)[number];

export function isFullSet(scenarios: readonly string[]): boolean {
  return BENCH_SCENARIOS.every((s) => scenarios.includes(s));
}

/**
 * Whether a complete run may replace README's section, the committed figures: a run of every
 * scenario, of Parley as it ships — not one without its journal (`--no-journal`), whose figures
 * are of a server that stores nothing. Null: it may; else why not (for the log).
 */
export function readmeRefusal(scenarios: readonly string[], journal: boolean): string | null {
  if (!isFullSet(scenarios)) return 'only a complete run of every scenario (--scenario all) regenerates its benchmark section';
  if (!journal) return 'a run with --no-journal never replaces the committed figures (Parley without its journal stores nothing)';
  return null;
}

export interface Unmeasured {
  scenario: string;
  /** why, from the run's own "Not measured" entries; a generic phrase when it recorded none */
  reason: string;
}

/**
 * Each requested scenario in which the server under test has no figure: ham and adversarial need
 * its peak row (ham also its 50 %-of-peak row, the latency target), fanout and chat their row,
 * idle its memory figure.
 */
export function unmeasured(r: BenchReport, scenarios: readonly string[], underTest: ServerName = 'parley'): Unmeasured[] {
  const row = (scenario: string, mode: 'peak' | 'fixed-rate'): boolean =>
    r.results.some((x) => x.scenario === scenario && x.server === underTest && x.mode === mode);
  const why = (scenario: string, fallback: string, match: (reason: string) => boolean = () => true): string => {
    const u = r.unavailable.find((x) => x.scenario === scenario && (x.server === underTest || x.server === 'parley' || x.server === 'all') && match(x.reason));
    return u ? u.reason : fallback;
  };
  const out: Unmeasured[] = [];
  for (const s of scenarios) {
    if (s === 'idle') {
      if (r.idle === null) out.push({ scenario: s, reason: why(s, 'no idle-memory figure') });
    } else if (!row(s, 'peak')) {
      out.push({ scenario: s, reason: why(s, 'no figure') });
    } else if (s === 'ham' && !row(s, 'fixed-rate')) {
      out.push({ scenario: 'ham 50 %-of-peak', reason: why(s, 'no figure', (x) => x.startsWith('50 %-of-peak')) });
    }
  }
  return out;
}

/** The last line of an incomplete run: what was not measured, and what it did (and did not) write. */
export function unmeasuredLine(missing: readonly Unmeasured[], written: string, kept: string): string {
  const what = missing.map((m) => `${m.scenario} (${m.reason.split(' | ')[0]!.slice(0, 160)})`).join('; ');
  return `INCOMPLETE (exit 1): Parley was not measured in ${what}. ${kept} left as they were; this run's report: ${written}`;
}

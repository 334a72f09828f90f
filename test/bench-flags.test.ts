// A load tester's mistyped flag gets one line naming it and exit code 2 — not a Node stack trace
// (node:util parseArgs throws on an unknown flag or a missing value), and not a run with a value
// it did not mean (`--duration 1e2` read as 100 by Number()).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { yieldBetweenTests } from './helpers/yield-between-tests.ts';

yieldBetweenTests();

const RUN = path.join(import.meta.dirname, '..', 'bench', 'system', 'run.ts');
const bench = (...args: string[]): { status: number | null; err: string } => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', RUN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, err: r.stderr };
};

describe('npm run bench flags', () => {
  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--duration'], /'--duration <value>' argument missing/],
    [['--duration', '1e2'], /--duration: expected an integer ≥ 1, got "1e2"/],
    [['--connections', '0x40'], /--connections: expected an integer ≥ 1, got "0x40"/],
    [['--scenario', 'nope'], /--scenario: unknown "nope"/],
  ])('%j: one line naming the flag, exit 2', (args, message) => {
    const r = bench(...args);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack
  });
});

// A mistyped bench flag is refused before the bench touches anything: `npm run bench` used to
// rebuild dist/ (`npm run build`) and create a /tmp/parley-bench-* dir (ham.txt,
// adversarial.txt) it left behind, then reject `--duration abc`; `--client nope` was not checked
// at all. `npm run bench:tier1` read no flags: `--help` or a typo started the micro-benchmark and
// rewrote bench/results/tier1.json, and a missing dataset ended in a stack trace.
//
// The system bench runs with a stand-in `npm` first on PATH (it records being called, so no real
// build happens here) and a private TMPDIR; bench:tier1 is only run in forms that must not start
// the benchmark.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { yieldBetweenTests } from './helpers/yield-between-tests.ts';

yieldBetweenTests();

const ROOT = path.join(import.meta.dirname, '..');
const SYSTEM = path.join(ROOT, 'bench', 'system', 'run.ts');
const TIER1 = path.join(ROOT, 'bench', 'detectors', 'run.ts');
const TIER1_RESULTS = path.join(ROOT, 'bench', 'results', 'tier1.json');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-benchflags-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Run { status: number | null; out: string; err: string; npmCalls: string[]; benchDirs: string[] }

function system(...args: string[]): Run {
  const dir = fs.mkdtempSync(path.join(scratch, 'run-'));
  const bin = path.join(dir, 'bin');
  const tmp = path.join(dir, 'tmp');
  const calls = path.join(dir, 'npm-calls');
  fs.mkdirSync(bin);
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "$*" >> '${calls}'\nexit 0\n`, { mode: 0o755 });
  const r = spawnSync(process.execPath, ['--import', 'tsx', SYSTEM, ...args], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, TMPDIR: tmp },
  });
  return {
    status: r.status, out: r.stdout, err: r.stderr,
    npmCalls: fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : [],
    benchDirs: fs.readdirSync(tmp).filter((f) => f.startsWith('parley-bench-')),
  };
}

const INT_FLAGS = ['duration', 'warmup', 'fixed-slices', 'rounds', 'connections', 'engagements', 'idle-engagements', 'idle-timeout', 'shards',
  'ws-receivers', 'fanout-engagements', 'fanout-copies', 'chat-engagements', 'setup-procs', 'client-procs', 'wrk-threads', 'client-cores'];

describe('npm run bench: a bad flag value is refused before any build or temp dir', () => {
  const cases: Array<[string[], RegExp]> = [
    ...INT_FLAGS.map((f): [string[], RegExp] => [[`--${f}`, 'abc'], new RegExp(`--${f}: expected an integer ≥ \\d, got "abc"`)]),
    [['--client', 'nope'], /--client: expected auto, wrk or node, got "nope"/],
    [['--log-level', 'loud'], /--log-level: expected fatal, error, warn, info, debug, trace or silent, got "loud"/],
    [['--scenario', 'ham,nope'], /--scenario: unknown "nope"/],
    // before: chat ran twice, two chat rows in the report and the README
    [['--scenario', 'chat,chat'], /--scenario: "chat" given twice/],
    [['--parley-entry', '/nonexistent/dist/main.js'], /--parley-entry: no such file/],
    [['--dataset', '/nonexistent/sms.tsv'], /dataset not found: \/nonexistent\/sms\.tsv/],
  ];
  it.each(cases)('%j', (args, message) => {
    const r = system(...args);
    expect(r.err).toMatch(message);
    expect(r.status).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.npmCalls).toEqual([]);
    expect(r.benchDirs).toEqual([]);
  });

  it('--help lists --client auto|wrk|node and touches nothing', () => {
    const r = system('--help');
    expect(r.status).toBe(0);
    expect(r.out).toContain('--client auto|wrk|node');
    expect(r.npmCalls).toEqual([]);
    expect(r.benchDirs).toEqual([]);
  });
});

describe('npm run bench:tier1 flags', () => {
  const tier1 = (...args: string[]): { status: number | null; out: string; err: string } => {
    const before = fs.existsSync(TIER1_RESULTS) ? fs.readFileSync(TIER1_RESULTS, 'utf8') : null;
    const r = spawnSync(process.execPath, ['--import', 'tsx', TIER1, ...args], { encoding: 'utf8', timeout: 60_000 });
    // no form below may run the benchmark, whose last step rewrites the results
    expect(fs.existsSync(TIER1_RESULTS) ? fs.readFileSync(TIER1_RESULTS, 'utf8') : null).toBe(before);
    return { status: r.status, out: r.stdout, err: r.stderr };
  };

  it('--help says what it runs and its flags, and runs nothing', () => {
    const r = tier1('--help');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/npm run bench:tier1 -- \[--dataset PATH\]/);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--dataset'], /'--dataset <value>' argument missing/],
    [['stray'], /Unexpected argument 'stray'/],
  ])('%j: one line naming it, exit 2', (args, message) => {
    const r = tier1(...args);
    expect(r.err).toMatch(message);
    expect(r.status).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('a missing dataset: one line naming the path, exit 2', () => {
    const r = tier1('--dataset', '/nonexistent/sms.tsv');
    expect(r.err.trim()).toMatch(/^dataset not found: \/nonexistent\/sms\.tsv/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
  });
});

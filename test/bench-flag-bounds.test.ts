// Bench flags whose bad values used to be found only by the run they spoiled. `--shards 99` on 2
// cores ran 3 minutes of 90 s start time-outs and exited 0 with an unrelated reason, and the report
// said only `shards=server default` when none was given. Each is now one line and exit 2 before
// the build or any temp dir (a stand-in `npm` records whether a build was started), and the report
// records the shard count the servers said they ran. A `--results-dir /etc/passwd/x` ran the whole
// bench and lost it to ENOTDIR in writeReport; `--readme` likewise. `--wrk-threads 8 --connections 4`
// ran wrk with 8 connections while the parameters said 4.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shardsProblem, writableTarget, wrkThreadsProblem } from '../bench/system/flag-checks.ts';
import { startParley } from '../bench/system/servers.ts';
import { stopServer } from '../bench/system/proc.ts';
import { yieldBetweenTests } from './helpers/yield-between-tests.ts';

yieldBetweenTests();

const ROOT = path.join(import.meta.dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-flagbounds-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function bench(...args: string[]): { status: number | null; err: string; built: boolean; tmp: string[] } {
  const dir = fs.mkdtempSync(path.join(scratch, 'run-'));
  const bin = path.join(dir, 'bin');
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(bin);
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\ntouch '${dir}/built'\nexit 0\n`, { mode: 0o755 });
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'system', 'run.ts'), ...args], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, TMPDIR: tmp },
  });
  return { status: r.status, err: r.stderr, built: fs.existsSync(path.join(dir, 'built')), tmp: fs.readdirSync(tmp).filter((f) => f.startsWith('parley-bench-')) };
}

function refused(args: string[], message: RegExp): void {
  const r = bench(...args);
  expect(r.err).toMatch(message);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.status).toBe(2);
  expect(r.built).toBe(false);
  expect(r.tmp).toEqual([]);
}

describe('--shards', () => {
  it('mirrors what Parley accepts (1–256) and allows at most 4 a core here', () => {
    expect(shardsProblem(8, 2)).toBeNull();
    expect(shardsProblem(1, 1)).toBeNull();
    expect(shardsProblem(9, 2)).toMatch(/^--shards: expected an integer from 1 to 8, got 9 \(Parley takes 1–256; the bench at most 4 a core, 2 core\(s\) here/);
    expect(shardsProblem(256, 64)).toBeNull();
    expect(shardsProblem(257, 128)).toMatch(/^--shards: expected an integer from 1 to 256, got 257/);
  });

  it.each([['99'], ['300']])('--shards %s is refused before anything runs', (n) => {
    const max = Math.min(256, os.availableParallelism() * 4);
    refused(['--shards', n], new RegExp(`--shards: expected an integer from 1 to ${max}, got ${n}`));
  });

  it('the shard count a started Parley reports is passed on', async () => {
    const tmpRoot = fs.mkdtempSync(path.join(scratch, 'srv-'));
    const seen: number[] = [];
    const srv = await startParley({ shards: 1, journal: true, logLevel: 'warn', tmpRoot, cpus: null, entry: null, sawShards: (n) => seen.push(n) });
    await stopServer(srv);
    expect(seen).toEqual([1]);
  }, 120_000);
});

describe('--results-dir and --readme', () => {
  it('must be writable where they are, or under the nearest existing directory', () => {
    const dir = fs.mkdtempSync(path.join(scratch, 'w-'));
    const file = path.join(dir, 'f.md');
    fs.writeFileSync(file, 'x');
    expect(writableTarget('results-dir', path.join(dir, 'new', 'deeper'), 'dir')).toBeNull();
    expect(writableTarget('results-dir', dir, 'dir')).toBeNull();
    expect(writableTarget('readme', file, 'file')).toBeNull();
    expect(writableTarget('readme', path.join(dir, 'not-yet.md'), 'file')).toBeNull();
    expect(writableTarget('results-dir', path.join(file, 'x'), 'dir')).toBe(`--results-dir: ${JSON.stringify(path.join(file, 'x'))} cannot be written: ${file} is not a directory`);
    expect(writableTarget('results-dir', file, 'dir')).toMatch(/is not a directory$/);
    expect(writableTarget('readme', dir, 'file')).toMatch(/is not a regular file$/);
  });

  it.each([
    [['--results-dir', '/etc/passwd/x'], /^--results-dir: "\/etc\/passwd\/x" cannot be written: \/etc\/passwd is not a directory/],
    [['--readme', '/etc/passwd/README.md'], /^--readme: "\/etc\/passwd\/README\.md" cannot be written: \/etc\/passwd is not a directory/],
  ])('%j is refused before anything runs', (args, message) => refused(args, message));
});

describe('--wrk-threads', () => {
  it('may not exceed --connections (wrk opens one a thread)', () => {
    expect(wrkThreadsProblem(4, 4)).toBeNull();
    expect(wrkThreadsProblem(8, 4)).toBe('--wrk-threads: 8 is more than --connections 4 (wrk opens at least one connection per thread): lower it or raise --connections');
  });

  it('--client wrk --wrk-threads 8 --connections 4 is refused before anything runs', () => {
    // wrk is a test requirement (.ci/run installs it), not a reason to skip
    if (spawnSync('wrk', ['-v']).error !== undefined) throw new Error('wrk not found: install it (apt-get install -y wrk) to run this test');
    refused(['--client', 'wrk', '--wrk-threads', '8', '--connections', '4'], /^--wrk-threads: 8 is more than --connections 4/);
  });
});

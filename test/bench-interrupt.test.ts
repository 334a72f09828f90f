// An interrupted `npm run bench` (Ctrl-C, or SIGTERM from a CI timeout) stops the servers and load
// clients it started and removes its temp dir: before, they stayed behind, listening and busy on
// a shared machine (found when a test's bench run timed out: ten servers left running).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { until } from './helpers/client.ts';
import { alive, childrenOf } from './helpers/procs.ts';

const ROOT = path.join(import.meta.dirname, '..');
const RUN = path.join(ROOT, 'bench', 'system', 'run.ts');

describe.runIf(process.platform === 'linux')('an interrupted bench', () => {
  it('stops every process it started and removes its temp dir, exit 143 on SIGTERM', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-interrupt-'));
    const before = new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('parley-bench-')));
    const bench = spawn(process.execPath, ['--import', 'tsx', RUN, '--scenario', 'ham', '--duration', '60', '--warmup', '1', '--rounds', '1',
      '--engagements', '20', '--client', 'node', '--results-dir', out, '--readme', path.join(out, 'README.md')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    bench.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    const exited = new Promise<number | null>((r) => bench.on('exit', (code) => r(code)));
    const pid = bench.pid as number;
    // the servers under test (Parley and the baselines) are up
    expect(await until(() => childrenOf(pid).length >= 3, 60_000)).toBe(true);
    const started = childrenOf(pid);
    const mine = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('parley-bench-') && !before.has(n) && !n.startsWith('parley-bench-interrupt-'));
    bench.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(await until(() => started.every((p) => !alive(p)), 5_000)).toBe(true);
    for (const n of mine) expect(fs.existsSync(path.join(os.tmpdir(), n))).toBe(false);
    expect(err).toMatch(/bench: SIGTERM: stopped the \d+ process\(es\) it had started/);
    fs.rmSync(out, { recursive: true, force: true });
  });

  // `npm run bench` is npm → sh -c → node; a SIGTERM to npm alone (a CI timeout, `docker stop`,
  // `kill <npm pid>`) ended npm and left the bench, its servers and its load client running, to
  // finish later and overwrite README.md and bench/results
  it('stops with everything it started when SIGTERM reaches npm alone, and writes no results', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-interrupt-'));
    const before = new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('parley-bench-')));
    const npm = spawn('npm', ['run', 'bench', '--', '--scenario', 'ham', '--duration', '60', '--warmup', '1', '--rounds', '1', '--engagements', '20',
      '--client', 'node', '--results-dir', out, '--readme', path.join(out, 'README.md')], { cwd: ROOT, stdio: 'ignore' });
    const descendants = (pid: number): number[] => childrenOf(pid).flatMap((c) => [c, ...descendants(c)]);
    const benchPid = (): number | undefined => descendants(npm.pid as number).find((p) => {
      try {
        const argv = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return argv[0]!.endsWith('node') && argv.includes('bench/system/run.ts'); // not its `sh -c`
      } catch {
        return false;
      }
    });
    let bench: number | undefined;
    const started: number[] = [];
    try {
      // the servers under test (Parley and the baselines) are up
      expect(await until(() => (bench = benchPid()) !== undefined && childrenOf(bench).length >= 4, 90_000)).toBe(true);
      started.push(bench!, ...childrenOf(bench!));
      const mine = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('parley-bench-') && !before.has(n) && !n.startsWith('parley-bench-interrupt-'));
      npm.kill('SIGTERM');
      expect(await until(() => started.every((p) => !alive(p)), 10_000)).toBe(true);
      for (const n of mine) expect(fs.existsSync(path.join(os.tmpdir(), n))).toBe(false);
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      // whatever is left of a run that did not stop (servers started since count too)
      for (const p of [...(bench === undefined ? [] : descendants(bench)), ...started]) if (alive(p)) process.kill(p, 'SIGKILL');
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

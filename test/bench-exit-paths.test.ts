// However `npm run bench` ends before its report, the processes it started and its temp dir go
// with it. Before, only SIGINT/SIGTERM/SIGHUP did that: a bench that died of an uncaught exception
// (`Error: write EPIPE` when its stdout was piped into `head -3`) left its Parley server running
// with PPID 1 and its /tmp/parley-bench-* dir behind, and so did a bench killed with SIGKILL; and
// a SIGTERM to npm alone (its `sh -c` does not pass it on) left the whole run going.
// The stand-in (test/helpers/bench-exit-harness.ts) guards a dir and a `sleep 60` child with the
// bench's own code; the launcher chain is checked as plain data too.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launcherChain, launcherGone, type ProcReader } from '../bench/system/launcher.ts';
import { until } from './helpers/client.ts';
import { alive, childrenOf } from './helpers/procs.ts';

const ROOT = path.join(import.meta.dirname, '..');
const HARNESS = path.join(import.meta.dirname, 'helpers', 'bench-exit-harness.ts');

const leftovers: number[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

interface Run { proc: ChildProcess; dir: string; child: Promise<number>; exited: Promise<number | null>; err: () => string }

function start(mode: string, via: 'node' | 'sh' = 'node'): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-exit-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'ham.txt'), 'x\n');
  const cmd = `${process.execPath} --import tsx ${HARNESS} ${dir} ${mode}`;
  // via sh: as `npm run bench` runs it (npm → sh -c → node), npm_lifecycle_event set
  const proc = via === 'sh'
    ? spawn('sh', ['-c', `${cmd}; true`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_lifecycle_event: 'bench' } })
    : spawn(process.execPath, ['--import', 'tsx', HARNESS, dir, mode], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_lifecycle_event: undefined } });
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')));
  const child = new Promise<number>((resolve) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const m = /child (\d+)/.exec(out);
      if (m) {
        const pid = Number(m[1]);
        leftovers.push(pid);
        resolve(pid);
      }
    });
  });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return { proc, dir, child, exited, err: () => err };
}

describe.runIf(process.platform === 'linux')('a bench that ends without a signal takes its children and temp dir with it', () => {
  it.each([
    ['throw', /bench: uncaught exception: Error: harness: thrown/],
    ['reject', /bench: unhandled rejection: Error: harness: rejected/],
  ])('%s: the error, its children killed, its dir removed, exit 1', async (mode, message) => {
    const r = start(mode);
    const child = await r.child;
    expect(await r.exited).toBe(1);
    expect(await until(() => !alive(child), 3000)).toBe(true);
    expect(fs.existsSync(r.dir)).toBe(false);
    expect(r.err()).toMatch(message);
    expect(r.err()).toMatch(/stopped the 1 process\(es\) it had started/);
  });

  it('stdout closed under it (EPIPE): stops as SIGPIPE would, exit 141', async () => {
    const r = start('write');
    const child = await r.child;
    r.proc.stdout!.destroy();
    expect(await r.exited).toBe(141);
    expect(await until(() => !alive(child), 3000)).toBe(true);
    expect(fs.existsSync(r.dir)).toBe(false);
    expect(r.err()).toMatch(/bench: stdout closed \(EPIPE\): stopped the 1 process\(es\)/);
  });

  it('SIGKILL, which runs none of its code: the reaper kills the children and removes the dir', async () => {
    const r = start('wait');
    const child = await r.child;
    // the reaper is up (the harness's second child) and has been told of the sleep
    expect(await until(() => childrenOf(r.proc.pid!).length === 2, 5000)).toBe(true);
    await new Promise((res) => setTimeout(res, 300));
    r.proc.kill('SIGKILL');
    await r.exited;
    expect(await until(() => !alive(child), 5000)).toBe(true);
    expect(await until(() => !fs.existsSync(r.dir), 5000)).toBe(true);
  });

  it('under an npm script, its `sh -c` killed: it notices within seconds and stops, exit 129', async () => {
    const r = start('wait', 'sh');
    const child = await r.child;
    const shPid = r.proc.pid!;
    // the harness is the shell's child; the shell dies of SIGTERM and does not pass it on
    const harness = childrenOf(shPid)[0]!;
    leftovers.push(harness);
    process.kill(shPid, 'SIGTERM');
    expect(await until(() => !alive(harness), 5000)).toBe(true);
    expect(await until(() => !alive(child), 3000)).toBe(true);
    expect(fs.existsSync(r.dir)).toBe(false);
  });
});

describe('the launcher chain (plain data)', () => {
  // npm (100) → sh -c (200) → bench (300)
  const tree = (parents: Record<number, number>, argv: Record<number, string[]>): ProcReader => ({
    ppid: (pid) => parents[pid] ?? null,
    argv: (pid) => argv[pid] ?? [],
  });
  const argv = { 100: ['npm', 'run', 'bench'], 200: ['sh', '-c', 'node --import tsx bench/system/run.ts'], 50: ['bash'] };

  it('under npm: the bench and its shell, up to npm', () => {
    const chain = launcherChain(300, { npm_lifecycle_event: 'bench' }, tree({ 300: 200, 200: 100, 100: 50 }, argv));
    expect(chain.map((l) => [l.pid, l.ppid])).toEqual([[300, 200], [200, 100]]);
    expect(launcherGone(chain, tree({ 300: 200, 200: 100 }, argv))).toBeNull();
    // npm killed: the shell is re-parented to init, the bench still has the shell
    expect(launcherGone(chain, tree({ 300: 200, 200: 1 }, argv))).toMatch(/pid 100 \(npm run bench\) is no longer the parent of 200/);
    // the shell gone too: the bench is re-parented
    expect(launcherGone(chain, tree({ 300: 1 }, argv))).toMatch(/is no longer the parent of 300/);
  });

  it('started directly (no npm): nothing is watched, so nohup keeps it running past its shell', () => {
    expect(launcherChain(300, {}, tree({ 300: 50 }, argv))).toEqual([]);
  });
});

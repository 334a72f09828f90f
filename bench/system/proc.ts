// Server processes under test: start one, read its port from its "listening on" line, sample its
// CPU and RSS from /proc while load runs, stop it. Linux /proc only; elsewhere the samples are null.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { UsageSample } from './types.ts';
import { track } from './children.ts';

export interface Started {
  child: ChildProcess;
  pid: number;
  base: string;
  /** every stdout/stderr line seen so far, for diagnosing a failed start */
  log: string[];
}

const LISTEN_RE = /listening on (http:\/\/[^\s]+)/i;

export async function startServer(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Started> {
  const child = track(spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  const log: string[] = [];
  return await new Promise<Started>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no "listening on" line within ${timeoutMs} ms`)), timeoutMs);
    const finish = (err: Error | null, base?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err || base === undefined || child.pid === undefined) {
        child.kill('SIGKILL');
        reject(new Error(`${err?.message ?? 'start failed'}\n  ${log.slice(-15).join('\n  ')}`));
      } else resolve({ child, pid: child.pid, base: base.replace(/\/+$/, ''), log });
    };
    const onLine = (buf: Buffer): void => {
      for (const line of buf.toString('utf8').split('\n')) {
        if (line === '') continue;
        if (log.length < 2000) log.push(line);
        const m = LISTEN_RE.exec(line);
        if (m) finish(null, m[1]);
      }
    };
    child.stdout?.on('data', onLine);
    child.stderr?.on('data', onLine);
    child.on('error', (e) => finish(e));
    child.on('exit', (code, sig) => finish(new Error(`exited early (code ${code}, signal ${sig})`)));
  });
}

/** SIGTERM (a graceful stop, SIGKILL after 5 s) or SIGKILL (a crash), and waits for the exit. */
export async function stopServer(s: Started, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
  s.child.kill(signal);
  const t = setTimeout(() => s.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

/** All pids of a process tree (a server may fork helpers; worker threads are already inside pid). */
function treePids(root: number): number[] {
  const out = [root];
  let dirs: string[];
  try {
    dirs = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  const parent = new Map<number, number>();
  for (const d of dirs) {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(d), ppid);
    } catch {
      /* process went away */
    }
  }
  for (let i = 0; i < out.length; i++) for (const [pid, pp] of parent) if (pp === out[i]) out.push(pid);
  return out;
}

// USER_HZ is 100 on every mainstream Linux build; /proc/<pid>/stat counts in those ticks
const TICKS_PER_SEC = 100;

function cpuTicks(pids: number[]): number | null {
  let sum = 0;
  let any = false;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields after ")": state(0) ppid(1) ... utime(11) stime(12)
      sum += Number(f[11]) + Number(f[12]);
      any = true;
    } catch {
      /* gone */
    }
  }
  return any ? sum : null;
}

export function rssBytes(pid: number): number | null {
  let total = 0;
  let any = false;
  for (const p of treePids(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) {
        total += Number(m[1]) * 1024;
        any = true;
      }
    } catch {
      /* gone */
    }
  }
  return any ? total : null;
}

/** CPU ticks of one thread (Linux: /proc/<pid>/task/<tid>/stat); the main thread's tid is the pid. */
function threadTicks(pid: number, tid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}

/**
 * The scheduler's account of one thread (Linux /proc/<pid>/task/<tid>/schedstat): ns on a CPU, ns
 * runnable but waiting for one, and how many times it was put on a CPU.
 */
function threadSched(pid: number, tid: number): { waitNs: number; slices: number } | null {
  try {
    const f = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return f.length >= 3 && f.every(Number.isFinite) ? { waitNs: f[1] ?? 0, slices: f[2] ?? 0 } : null;
  } catch {
    return null;
  }
}

/** Samples a process tree until stop() is called. */
export function sampleUsage(pid: number, everyMs = 250): { stop: () => UsageSample } {
  const pids = treePids(pid);
  const t0 = process.hrtime.bigint();
  const c0 = cpuTicks(pids);
  const m0 = threadTicks(pid, pid);
  const q0 = threadSched(pid, pid);
  const s0 = cpuStat();
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    const r = rssBytes(pid);
    if (r !== null && (peak === null || r > peak)) peak = r;
  }, everyMs);
  return {
    stop: (): UsageSample => {
      clearInterval(timer);
      const c1 = cpuTicks(pids);
      const m1 = threadTicks(pid, pid);
      const q1 = threadSched(pid, pid);
      const s1 = cpuStat();
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      const pct = (a: number | null, b: number | null): number | null => (a === null || b === null || secs <= 0 ? null : Math.round(((b - a) / TICKS_PER_SEC / secs) * 1000) / 10);
      const end = rssBytes(pid);
      const mb = (b: number | null): number | null => (b === null ? null : Math.round((b / 1048576) * 10) / 10);
      return {
        cpuPct: pct(c0, c1),
        mainThreadPct: pct(m0, m1),
        machineIdlePct: s0 === null || s1 === null || s1.total <= s0.total ? null : Math.round((1 - (s1.busy - s0.busy) / (s1.total - s0.total)) * 1000) / 10,
        mainThreadRunqPct: q0 === null || q1 === null || secs <= 0 ? null : Math.round(((q1.waitNs - q0.waitNs) / 1e9 / secs) * 1000) / 10,
        mainThreadSlicesPerSec: q0 === null || q1 === null || secs <= 0 ? null : Math.round((q1.slices - q0.slices) / secs),
        rssPeakMb: mb(peak === null || (end !== null && end > peak) ? end : peak),
        rssEndMb: mb(end),
      };
    },
  };
}

function cpuStat(): { busy: number; total: number } | null {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * Machine-wide CPU busy (100 % = one core) over `ms` while nothing of ours runs: the bench shares
 * the machine, and other processes' load silently depresses every figure, so it is recorded.
 */
export async function backgroundBusyPct(ms = 1000): Promise<number | null> {
  const a = cpuStat();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuStat();
  if (!a || !b || b.total <= a.total) return null;
  return Math.round(((b.busy - a.busy) / (b.total - a.total)) * os.availableParallelism() * 1000) / 10;
}

/**
 * Wall time (ms) of a fixed single-threaded CPU workload, run right before each round of peak runs. On a
 * shared VM the host's other tenants change how fast the same code runs (steal is often not even
 * visible to the guest): the spread of this probe across one run says how far apart the servers'
 * measurement conditions were. Median of the last five passes (the first call warms the JIT up longer).
 */
let probeWarm = false;
/** the probe's result lands here so its loop has an observable effect */
let probeSink = 0;
export function cpuProbeMs(): number {
  const a = new Uint32Array(1 << 14);
  const times: number[] = [];
  const passes = probeWarm ? 7 : 40;
  probeWarm = true;
  for (let pass = 0; pass < passes; pass++) {
    const t0 = process.hrtime.bigint();
    let x = 2463534242;
    for (let r = 0; r < 400; r++) {
      for (let i = 0; i < a.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        a[i] = (a[i]! + x) >>> 0;
      }
    }
    probeSink ^= a[x & (a.length - 1)]!;
    if (pass >= passes - 5) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((p, q) => p - q);
  return Math.round(times[2]! * 10) / 10;
}

// Drives wrk (closed loop, HdrHistogram latencies) with the Lua scripts in ./wrk/ and parses the
// one-line JSON summary that their done() prints.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './types.ts';
import { track } from './children.ts';

const WRK_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'wrk');

export function wrkVersion(): string | null {
  const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (r.error) return null;
  const m = /wrk\s+(\S+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? m[1]! : 'unknown';
}

export interface WrkRun {
  url: string;
  sessionsFile: string;
  hamFile: string;
  advFile: string | null;
  advEvery: number;
  threads: number;
  connections: number;
  durationS: number;
  countStatuses: boolean;
  /** each post carries a messageId with this prefix (plan.ts newIdNonce); null: none */
  idNonce: string | null;
  /** posts per adversarial session before the next takes over (adversarial.ts); 0: all its texts */
  advLife?: number;
  /** texts each ham session posted in earlier runs against this server: it goes on from there */
  textOffset?: number;
}

interface WrkSummary {
  requests: number;
  durationUs: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latencyUs: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
  codes: Record<string, number>;
  /** wrk's CPU time in clock ticks (USER_HZ, 100 on Linux) when it ended; -1 or absent: unknown */
  cpuTicks?: number;
}

/** USER_HZ: the unit of /proc's CPU times, 100 on every Linux build that matters */
const US_PER_TICK = 10_000;

export function parseWrkOutput(stdout: string, connections: number): LoadResult {
  const line = stdout.split('\n').find((l) => l.startsWith('@@BENCH '));
  if (!line) throw new Error(`wrk printed no @@BENCH summary:\n${stdout.slice(-2000)}`);
  const s = JSON.parse(line.slice('@@BENCH '.length)) as WrkSummary;
  const durationS = s.durationUs / 1e6;
  const ms = (us: number): number => Math.round(us) / 1000;
  const statusCounts: Record<string, number> = {};
  let counted = 0;
  for (const [k, v] of Object.entries(s.codes)) {
    statusCounts[k] = v;
    counted += v;
  }
  // without the response hook wrk only counts status >= 400 in errors.status
  if (counted === 0) statusCounts['non2xx'] = s.errors.status;
  return {
    client: 'wrk',
    mode: 'peak',
    connections,
    durationS: Math.round(durationS * 100) / 100,
    requests: s.requests,
    reqPerSec: durationS > 0 ? Math.round(s.requests / durationS) : 0,
    latencyMs: {
      p50: ms(s.latencyUs.p50),
      p90: ms(s.latencyUs.p90),
      p99: ms(s.latencyUs.p99),
      p999: ms(s.latencyUs.p999),
      max: ms(s.latencyUs.max),
      mean: ms(s.latencyUs.mean),
    },
    statusCounts,
    socketErrors: s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout,
    ...(s.cpuTicks !== undefined && s.cpuTicks >= 0 ? { clientCpuUs: s.cpuTicks * US_PER_TICK } : {}),
  };
}

export async function runWrk(o: WrkRun): Promise<LoadResult> {
  const script = path.join(WRK_DIR, o.countStatuses ? 'post-status.lua' : 'post.lua');
  const args = [
    '-t', String(o.threads),
    // run.ts refuses more threads than connections: wrk would open one a thread, more than recorded
    '-c', String(o.connections),
    '-d', `${o.durationS}s`,
    '--timeout', '10s',
    '--latency',
    '-s', script,
    o.url,
    '--',
    o.sessionsFile, o.hamFile, o.advFile ?? '-', String(o.threads), String(o.advEvery), o.idNonce ?? '-', String(o.advLife ?? 0), String(o.textOffset ?? 0),
  ];
  const child = track(spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  if (code !== 0) throw new Error(`wrk exited ${code}: ${err.slice(-1000)}${out.slice(-1000)}`);
  return parseWrkOutput(out, o.connections);
}

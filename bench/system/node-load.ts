// Coordinator for the Node fallback load client: several worker processes (one core of Node can
// not out-run uWS), merged HDR histograms, same result shape as wrk.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import type { LoadResult } from './types.ts';
import type { WorkerConfig, WorkerResult } from './node-load-worker.ts';
import { track } from './children.ts';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node-load-worker.ts');

export interface NodeLoadRun {
  url: string;
  sessionsFile: string;
  hamFile: string;
  advFile: string | null;
  advEvery: number;
  processes: number;
  connections: number;
  durationS: number;
  /** total requests/s across processes; 0 = closed loop */
  rate: number;
  warmupS: number;
  /** each post carries a messageId with this prefix (plan.ts newIdNonce); null: none */
  idNonce: string | null;
  /** posts per adversarial session before the next takes over (adversarial.ts); 0: all its texts */
  advLife?: number;
  /** texts each ham session posted in earlier runs against this server: it goes on from there */
  textOffset?: number;
}

function runWorker(cfg: WorkerConfig): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, ['--import', 'tsx', WORKER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    let settled = false;
    child.on('message', (m: unknown) => {
      const msg = m as { ok: boolean; res?: WorkerResult; error?: string };
      settled = true;
      if (msg.ok && msg.res) resolve(msg.res);
      else reject(new Error(msg.error ?? 'load worker failed'));
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`load worker exited ${code}`));
    });
    child.send(cfg);
  });
}

export async function runNodeLoad(o: NodeLoadRun): Promise<LoadResult & { backlog: number }> {
  const u = new URL(o.url);
  const p = Math.max(1, o.processes);
  const perConn = Math.max(1, Math.floor(o.connections / p));
  const results = await Promise.all(
    Array.from({ length: p }, (_, index) =>
      runWorker({
        host: u.hostname,
        port: Number(u.port),
        sessionsFile: o.sessionsFile,
        hamFile: o.hamFile,
        advFile: o.advFile,
        advEvery: o.advEvery,
        connections: perConn,
        durationS: o.durationS,
        rate: o.rate / p,
        warmupS: o.warmupS,
        index,
        workers: p,
        idNonce: o.idNonce,
        advLife: o.advLife ?? 0,
        textOffset: o.textOffset ?? 0,
      }),
    ),
  );
  const merged = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const codes: Record<string, number> = {};
  let requests = 0;
  let socketErrors = 0;
  let backlog = 0;
  let dur = 0;
  for (const r of results) {
    merged.add(hdr.decodeFromCompressedBase64(r.histogram));
    for (const [k, v] of Object.entries(r.codes)) codes[k] = (codes[k] ?? 0) + v;
    requests += r.requests;
    socketErrors += r.socketErrors;
    backlog += r.backlog;
    dur = Math.max(dur, r.durationS);
  }
  const ms = (us: number): number => Math.round(us) / 1000;
  return {
    client: 'node',
    mode: o.rate > 0 ? 'fixed-rate' : 'peak',
    connections: perConn * p,
    durationS: Math.round(dur * 100) / 100,
    requests,
    reqPerSec: dur > 0 ? Math.round(requests / dur) : 0,
    latencyMs: {
      p50: ms(merged.getValueAtPercentile(50)),
      p90: ms(merged.getValueAtPercentile(90)),
      p99: ms(merged.getValueAtPercentile(99)),
      p999: ms(merged.getValueAtPercentile(99.9)),
      max: ms(merged.maxValue),
      mean: ms(merged.mean),
    },
    statusCounts: codes,
    socketErrors,
    ...(o.rate > 0 ? { targetRate: o.rate } : {}),
    backlog,
  };
}

// Runs several setup-worker processes and merges what they created.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SetupConfig, SetupResult } from './setup-worker.ts';
import { track } from './children.ts';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'setup-worker.ts');

function runOne(cfg: SetupConfig): Promise<SetupResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, ['--import', 'tsx', WORKER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    let settled = false;
    child.on('message', (m: unknown) => {
      const msg = m as { ok: boolean; res?: SetupResult; error?: string };
      settled = true;
      if (msg.ok && msg.res) resolve(msg.res);
      else reject(new Error(msg.error ?? 'setup worker failed'));
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`setup worker exited ${code}`));
    });
    child.send(cfg);
  });
}

export async function createEngagements(
  o: Omit<SetupConfig, 'count' | 'emailPrefix' | 'deadline'> & { count: number; processes: number; tag: string; timeoutS?: number },
): Promise<SetupResult> {
  const p = Math.max(1, Math.min(o.processes, o.count));
  const t0 = performance.now();
  const parts = await Promise.all(
    Array.from({ length: p }, (_, i) =>
      runOne({
        base: o.base,
        site: o.site,
        user: o.user,
        pass: o.pass,
        count: Math.floor(o.count / p) + (i < o.count % p ? 1 : 0),
        emailPrefix: `${o.tag}.${process.pid}.${i}`,
        concurrency: o.concurrency,
        keepSessions: o.keepSessions,
        deadline: Date.now() + (o.timeoutS ?? 600) * 1000,
      }),
    ),
  );
  return {
    created: parts.reduce((a, r) => a + r.created, 0),
    failed: parts.reduce((a, r) => a + r.failed, 0),
    firstError: parts.find((r) => r.firstError)?.firstError ?? null,
    sessions: parts.flatMap((r) => r.sessions),
    seconds: (performance.now() - t0) / 1000,
  };
}

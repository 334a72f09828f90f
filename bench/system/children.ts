// Every process the bench starts (servers under test, wrk, Node load and setup clients). An
// interrupted run — Ctrl-C, SIGTERM from a CI timeout or a test — takes them down with it and
// removes its temp dir, instead of leaving servers listening and busy on a shared machine.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

const live = new Set<ChildProcess>();
const dirs: string[] = [];

/** Registers a started child until it exits. */
export function track<C extends ChildProcess>(child: C): C {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** On SIGINT, SIGTERM or SIGHUP: SIGKILL every live child, remove `tmpDir`, exit 130 / 143 / 129. */
export function stopChildrenOnSignals(tmpDir: string): void {
  dirs.push(tmpDir);
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      const n = live.size;
      for (const c of live) c.kill('SIGKILL');
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
      console.error(`bench: ${sig}: stopped the ${n} process(es) it had started`);
      process.exit(codes[sig]);
    });
  }
}

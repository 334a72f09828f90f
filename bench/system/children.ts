// Every process the bench starts (servers under test, wrk, Node load and setup clients). However
// the run ends before its report, they go down with it and its temp dir is removed, instead of
// servers staying behind listening and busy on a shared machine:
//  - SIGINT, SIGTERM, SIGHUP: exit 130 / 143 / 129;
//  - an uncaught exception or unhandled rejection: its stack, exit 1;
//  - stdout closed under it (`npm run bench | head -3`: EPIPE): it stops as a SIGPIPE would stop
//    any other command — no report, exit 141 — rather than run on for minutes with nobody reading;
//  - its launcher gone (SIGTERM to `npm run bench` alone kills npm and its `sh -c`, which do not
//    pass it on): launcher.ts notices within a second, exit 129, no report;
//  - any other process.exit: the children are killed on the way out;
//  - SIGKILL of the bench itself, which runs no code: reaper.mjs, a process of its own that holds
//    the list of children and the temp dir, does it when its IPC channel to the bench closes.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launcherChain, launcherGone, type ChainLink } from './launcher.ts';

const live = new Set<ChildProcess>();
const dirs: string[] = [];
let reaper: ChildProcess | null = null;
let stopping = false;

const REAPER = fileURLToPath(new URL('./reaper.mjs', import.meta.url));

function toReaper(msg: { add: number } | { del: number } | { dir: string }): void {
  if (reaper?.connected) reaper.send(msg);
}

/** Registers a started child until it exits. */
export function track<C extends ChildProcess>(child: C): C {
  live.add(child);
  const pid = child.pid;
  if (pid !== undefined) toReaper({ add: pid });
  child.once('exit', () => {
    live.delete(child);
    if (pid !== undefined) toReaper({ del: pid });
  });
  return child;
}

/** SIGKILL every live child and remove the temp dirs; synchronous, so an 'exit' handler can run it. */
function stopAll(): number {
  const n = live.size;
  for (const c of live) c.kill('SIGKILL');
  live.clear();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  return n;
}

/** stderr may be a closed pipe too: a synchronous write that cannot raise an 'error' event later */
function say(text: string): void {
  try {
    fs.writeSync(2, text.endsWith('\n') ? text : text + '\n');
  } catch {
    // nowhere left to say it
  }
}

function abort(why: string, code: number): never {
  if (!stopping) {
    stopping = true;
    const n = stopAll();
    say(`bench: ${why}: stopped the ${n} process(es) it had started`);
  }
  process.exit(code);
}

/**
 * Takes the run's children and `tmpDir` down on every way the run can end early (see the top of
 * this file). Call once, right after creating the temp dir and before starting anything.
 */
export function stopChildrenOnExit(tmpDir: string): void {
  dirs.push(tmpDir);
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => abort(sig, codes[sig]));
  const crashed = (kind: string) => (e: unknown): void => {
    say(`bench: ${kind}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    abort(kind, 1);
  };
  process.on('uncaughtException', crashed('uncaught exception'));
  process.on('unhandledRejection', crashed('unhandled rejection'));
  process.stdout.on('error', (e: NodeJS.ErrnoException) => abort(e.code === 'EPIPE' ? 'stdout closed (EPIPE)' : `stdout: ${e.message}`, e.code === 'EPIPE' ? 141 : 1));
  process.stderr.on('error', () => {
    // nothing to report it on; stdout's handler or the run's end decides
  });
  process.on('exit', () => {
    if (!stopping) stopAll();
  });

  const chain: ChainLink[] = launcherChain(process.pid, process.env);
  if (chain.length > 0) {
    setInterval(() => {
      const gone = launcherGone(chain);
      if (gone !== null) abort(`its launcher went away (${gone})`, 129);
    }, 1000).unref();
  }

  // SIGKILL runs none of the above: a process of its own kills what is left when the bench is gone
  try {
    reaper = spawn(process.execPath, [REAPER], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], detached: true });
    reaper.on('error', () => (reaper = null));
    reaper.unref();
    reaper.channel?.unref();
    toReaper({ dir: tmpDir });
  } catch {
    reaper = null;
  }
}

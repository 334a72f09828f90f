// Whether the bench's launcher is still there. `npm run bench` runs the bench as npm → `sh -c` →
// node, and a signal sent to npm alone (a CI timeout, `docker stop`, `kill <npm pid>`) ends npm
// and leaves the bench running — the shell does not pass it on — to finish minutes later and
// overwrite README.md and bench/results. So under npm the bench records its ancestry up to npm
// (each link: a process and its parent at start) and checks it every second: a link whose process
// is gone or has a new parent (re-parented to init or a subreaper) means the launcher went away.
// Started directly (no npm in the environment) nothing is watched, so `nohup node … &` outlives
// its shell as asked. Linux /proc; elsewhere nothing is watched.
import fs from 'node:fs';

export interface ChainLink {
  pid: number;
  ppid: number;
  /** the parent's command, for the message */
  parent: string;
}

export interface ProcReader {
  /** the parent pid of `pid`, null when it is gone */
  ppid(pid: number): number | null;
  /** argv of `pid`, [] when unreadable */
  argv(pid: number): string[];
}

export const procReader: ProcReader = {
  ppid(pid) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // the field after "(comm) S"; comm may hold spaces and parentheses
      const n = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return Number.isInteger(n) ? n : null;
    } catch {
      return null;
    }
  },
  argv(pid) {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
    } catch {
      return [];
    }
  },
};

/** `sh -c …` (npm's script shell, or any shell asked to run one command) */
function isShellCommand(argv: readonly string[]): boolean {
  const name = (argv[0] ?? '').split('/').pop() ?? '';
  return ['sh', 'dash', 'bash', 'zsh', 'ash'].includes(name) && argv[1] === '-c';
}

/**
 * The links to watch: none unless started by an npm script (npm sets npm_lifecycle_event); then
 * this process and its parent, and while that parent is a `sh -c`, the shell and its parent (npm)
 * too. An ancestor at pid 1 (or none) ends the chain.
 */
export function launcherChain(self: number, env: NodeJS.ProcessEnv, proc: ProcReader = procReader): ChainLink[] {
  if (env.npm_lifecycle_event === undefined) return [];
  const chain: ChainLink[] = [];
  let pid = self;
  for (let depth = 0; depth < 4; depth++) {
    const ppid = proc.ppid(pid);
    if (ppid === null || ppid <= 1) break;
    const argv = proc.argv(ppid);
    chain.push({ pid, ppid, parent: argv.join(' ').slice(0, 80) || `pid ${ppid}` });
    if (!isShellCommand(argv)) break;
    pid = ppid;
  }
  return chain;
}

/** null while every link holds; else which one broke, in words. */
export function launcherGone(chain: readonly ChainLink[], proc: ProcReader = procReader): string | null {
  for (const l of chain) {
    const now = proc.ppid(l.pid);
    if (now !== l.ppid) return `pid ${l.ppid} (${l.parent}) is no longer the parent of ${l.pid}`;
  }
  return null;
}

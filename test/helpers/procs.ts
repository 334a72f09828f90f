// Process-tree probes for tests of the bench's children (Linux /proc): what is still running.
import fs from 'node:fs';

/** whether a process with this pid exists (signal 0 checks without sending) */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** pids whose parent is `ppid` */
export function childrenOf(ppid: number): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // the field after "(comm) S" is the parent pid; comm may hold spaces and parentheses
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid;
    } catch {
      return false; // gone meanwhile
    }
  });
}

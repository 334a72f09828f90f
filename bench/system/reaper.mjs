// The bench's last line of defence (bench/system/children.ts): a process of its own, in its own
// session, told the pid of every child the bench starts and its temp dir. When its IPC channel to
// the bench closes — the bench is gone, however it went, SIGKILL included — it SIGKILLs the
// children still running and removes the dir, then exits. Plain JavaScript so it needs no loader.
// A pid is killed only while /proc shows the same process start time as when it was registered,
// so a pid reused by then is left alone.
import fs from 'node:fs';

/** field 22 of /proc/<pid>/stat (start time in clock ticks); null where /proc is not readable */
function startOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

const pids = new Map();
const dirs = [];

process.on('message', (m) => {
  if (typeof m !== 'object' || m === null) return;
  if (typeof m.add === 'number') pids.set(m.add, startOf(m.add));
  else if (typeof m.del === 'number') pids.delete(m.del);
  else if (typeof m.dir === 'string') dirs.push(m.dir);
});

process.on('disconnect', () => {
  for (const [pid, start] of pids) {
    if (start !== null && startOf(pid) !== start) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  process.exit(0);
});

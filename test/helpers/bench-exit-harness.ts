// A stand-in for `npm run bench` in test/bench-exit-paths.test.ts: it guards its temp dir and one
// tracked child (`sleep 60`, a server stand-in) exactly as bench/system/run.ts does, prints the
// child's pid, then ends the way argv[3] asks — throw, reject, keep writing to stdout (for a
// closed pipe), or wait to be signalled or to lose its launcher.
// usage: node --import tsx test/helpers/bench-exit-harness.ts <tmpDir> throw|reject|write|wait
import { spawn } from 'node:child_process';
import { stopChildrenOnExit, track } from '../../bench/system/children.ts';

const [dir, mode] = process.argv.slice(2);
if (dir === undefined || mode === undefined) throw new Error('usage: bench-exit-harness.ts <tmpDir> <mode>');
stopChildrenOnExit(dir);
const child = track(spawn('sleep', ['60'], { stdio: 'ignore' }));
console.log(`child ${child.pid}`);
setTimeout(() => {
  if (mode === 'throw') throw new Error('harness: thrown');
  if (mode === 'reject') void Promise.reject(new Error('harness: rejected'));
  if (mode === 'write') setInterval(() => console.log('a line nobody reads'), 20);
}, 300);
setTimeout(() => undefined, 60_000);

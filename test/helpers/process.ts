// Starts `node --import tsx src/main.ts` as a separate process (for kill -9, SIGTERM and log tests).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** resolves with the exit code (or signal name) */
  exited: Promise<number | string>;
}

export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // the per-address engagement limit off, as in server.ts: these tests open engagements from one address
    env: { ...process.env, PARLEY_PORT: '0', PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_SHARDS: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | string>((r) => child.once('exit', (code, sig) => r(code ?? sig ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('server did not start in 30 s: ' + out.slice(-500)));
    }, 30_000);
    const on = (d: Buffer): void => {
      out += d.toString();
      const m = /Parley listening on (http:\/\/[\w.:[\]-]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, exited });
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${out.slice(-500)}`));
    });
  });
}

/** `npm start`'s command run to its exit (start-up refusals): exit code and all it printed. */
export function runToExit(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...process.env, PARLEY_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, out });
    });
  });
}

// Out of file descriptors: a node whose open-files limit is reached stops listening (new clients
// get a fast ECONNREFUSED, not a connection that is never answered), does not spin its HTTP thread
// on a failing accept(), reports CONNECTIONS_FULL on /readyz over the connections it holds, and
// listens again once enough connections closed. Linux only (/proc): the guard needs the limit.
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/server.ts';
import { metric, sleep, until } from './helpers/client.ts';

const ROOT = path.resolve(__dirname, '..');
const LIMIT = 200;

/** One raw keep-alive connection, for asking a node that accepts no new ones. */
function rawClient(port: number): { ready: Promise<void>; get(p: string): Promise<string>; close(): void } {
  const s = net.connect(port, '127.0.0.1');
  let buf = '';
  let waiter: (() => void) | undefined;
  s.on('data', (d) => {
    buf += String(d);
    waiter?.();
  });
  s.on('error', () => {});
  return {
    ready: new Promise((ok) => s.once('connect', () => ok())),
    get: async (p) => {
      buf = '';
      s.write(`GET ${p} HTTP/1.1\r\nHost: parley\r\n\r\n`);
      while (!/\r\n\r\n[\s\S]*\}/.test(buf)) await new Promise<void>((ok) => (waiter = ok));
      return buf;
    },
    close: () => s.destroy(),
  };
}

function connectOutcome(port: number): Promise<'refused' | 'connected' | 'error'> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' ? 'refused' : 'error'));
  });
}

/** CPU the process used (user + system, in % of one core) over `ms`. */
async function cpuPercent(pid: number, ms: number): Promise<number> {
  const ticks = (): number => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // utime, stime: fields 14, 15
    return Number(f[11]) + Number(f[12]);
  };
  const a = ticks();
  await sleep(ms);
  return ((ticks() - a) / 100 / (ms / 1000)) * 100;
}

describe.runIf(process.platform === 'linux')('open-files limit', () => {
  it('stops listening instead of spinning when descriptors run out, and listens again when they are back', async () => {
    const child = spawn('bash', ['-c', `ulimit -n ${LIMIT} && exec "${process.execPath}" --import tsx src/main.ts`], {
      cwd: ROOT,
      env: { ...process.env, PARLEY_PORT: '0', PARLEY_DATA_DIR: tempDir('fddata'), PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_LOG_LEVEL: 'warn', PARLEY_SHARDS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const held: net.Socket[] = [];
    try {
      let log = '';
      child.stdout.on('data', (d: Buffer) => void (log += d));
      child.stderr.on('data', (d: Buffer) => void (log += d));
      expect(await until(() => /Parley listening on/.test(log), 30_000)).toBe(true);
      const url = /Parley listening on (\S+)/.exec(log)?.[1] ?? '';
      const port = Number(new URL(url).port);
      const probe = rawClient(port);
      await probe.ready;
      expect(await probe.get('/readyz')).toContain('"ready"');

      // more connections than descriptors: the ones past the limit wait in the kernel's backlog
      for (let i = 0; i < LIMIT + 100; i++) {
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => {});
        held.push(s);
      }
      expect(await until(async () => (await probe.get('/readyz')).includes('CONNECTIONS_FULL'), 10_000)).toBe(true);
      // the log line travels its own pipe: it may land after the readiness answer
      expect(await until(() => log.includes('out of file descriptors'))).toBe(true);
      expect(await connectOutcome(port)).toBe('refused');
      // without the guard the HTTP thread spins on accept() at ~100 % of a core
      expect(await cpuPercent(child.pid as number, 1000)).toBeLessThan(50);

      for (const s of held) s.destroy();
      expect(await until(async () => (await connectOutcome(port)) === 'connected', 10_000)).toBe(true);
      expect(await probe.get('/readyz')).toContain('"ready"');
      expect(await metric(url, 'parley_accept_pauses_total')).toBeGreaterThanOrEqual(1);
      expect(await metric(url, 'parley_accept_paused')).toBe(0);
      expect(await metric(url, 'parley_open_files_limit')).toBe(LIMIT);
      probe.close();
    } finally {
      for (const s of held) s.destroy();
      child.kill('SIGKILL');
    }
  }, 60_000);
});

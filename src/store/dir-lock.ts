// One Parley process per data dir. Two on one dir both replay the journal and both append to it:
// each holds its own engagements in memory, numbers their events from where it read them, and a
// client's calls land on either (uSockets binds its port with SO_REUSEPORT, so a second process on
// the same port started silently and the kernel spread connections over both — measured: `npm start`
// twice on one dir and port, both answered /readyz ready).
//
// The lock is a listening socket in Linux's abstract namespace, named after the dir's identity
// (device and inode), not its path: a bind mount or a second mount of one filesystem is another real
// path to the same dir, and a lock keyed on the path let a second server start there (measured: both
// handed out the same engagement ids, and one transcript held two customers' chats). The socket
// is freed by the kernel the moment the process is gone, kill -9 included, so there is no stale lock
// file to clean up after a crash and no pid file to trust. The holder answers a connection with its
// pid, for the refusal's message. Limits (in the README): Linux only, and processes in different
// network namespaces (containers sharing one volume) do not see each other's lock.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { StoreOpenError, ensureUsableDir } from './data-dir.ts';

export interface DirLock {
  release(): Promise<void>;
}

const NO_LOCK: DirLock = { release: async () => {} };

/** Takes the data dir's lock, or fails with a StoreOpenError naming the dir and the holder's pid. */
export async function lockDataDir(dataDir: string): Promise<DirLock> {
  if (process.platform !== 'linux') return NO_LOCK;
  ensureUsableDir(dataDir);
  const real = await fs.promises.realpath(dataDir);
  const id = await fs.promises.stat(real, { bigint: true });
  const name = `\0parley-data-dir-${crypto.createHash('sha256').update(`${id.dev}:${id.ino}`).digest('hex').slice(0, 40)}`;
  const server = net.createServer((sock) => {
    sock.on('error', () => {}); // a prober that hangs up early is not our concern
    sock.end(JSON.stringify({ pid: process.pid }));
  });
  const taken = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    server.once('error', resolve);
    server.listen(name, () => resolve(undefined));
  });
  if (taken) {
    if (taken.code !== 'EADDRINUSE') throw new StoreOpenError(`data dir ${real}: cannot take its lock: ${taken.message}`);
    const pid = await holderPid(name);
    throw new StoreOpenError(
      `data dir ${real} is in use by another Parley process${pid === undefined ? '' : ` (pid ${pid})`}: one process per data dir — stop that one first, or give this one its own PARLEY_DATA_DIR`,
    );
  }
  server.unref(); // the lock must not keep a stopped server's process alive
  return { release: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Asks the holder for its pid; undefined if it does not answer within a second. */
function holderPid(name: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const sock = net.connect(name);
    const done = (pid: number | undefined): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(pid);
    };
    const timer = setTimeout(() => done(undefined), 1000);
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (text += d));
    sock.on('end', () => {
      try {
        const v: unknown = JSON.parse(text);
        const pid = typeof v === 'object' && v !== null && 'pid' in v ? v.pid : undefined;
        done(typeof pid === 'number' ? pid : undefined);
      } catch {
        done(undefined);
      }
    });
    sock.on('error', () => done(undefined));
  });
}

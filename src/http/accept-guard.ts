// The process's file descriptor limit, guarded on the accept side.
//
// Every waiting consumer holds a connection (its long poll or WebSocket), so a busy node can run
// into `ulimit -n`. uSockets then cannot accept(): its listen socket stays readable (level-
// triggered epoll), the loop wakes at once, accept() fails with EMFILE again — measured here with
// `ulimit -n 256` and 400 held connections: the HTTP thread at 100 % CPU, new clients connected
// into the kernel's backlog and never answered, nothing logged (uNetworking/uWebSockets#445).
//
// So a cheap probe (open and close /dev/null) runs twice a second. When it fails with EMFILE the
// node stops listening: new clients get a fast ECONNREFUSED (a load balancer moves on, readiness
// reports CONNECTIONS_FULL on the connections still open), the spin stops, and the connections it
// holds keep being served. Once the open descriptors fall to 90 % of the limit (counted in
// /proc/self/fd — only in that state: the count costs ~20 ms of CPU at 19k descriptors) it listens
// again on the same address. That needs SO_REUSEADDR on the listen socket (connections it accepted
// still use the port): uSockets sets it only for an explicit port, so `listen` below never asks
// for port 0 in the socket it keeps.
import fs from 'node:fs';
import uWS from 'uWebSockets.js';
import { listenFailureCause } from '../config/listen-host.ts';

type Log = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;

export interface Listener {
  /** closes the listen socket */
  pause(): void;
  /** listens again on the same host and port; false when that failed (tried again later) */
  resume(): Promise<boolean>;
}

// uSockets binds an explicit port with SO_REUSEPORT unless told otherwise: a second process on the
// same port then starts without an error and the kernel spreads new connections over both (measured:
// two Parley processes on one port both answered /readyz). Exclusive keeps SO_REUSEADDR (the resume
// above needs it) and makes a taken port fail the listen. The typings lack the (host, port, options)
// form; the binding has it.
const LIBUS_LISTEN_EXCLUSIVE_PORT = 1;

/** The configured address cannot be listened on (start-up stops with its message). */
export class ListenError extends Error {}
type ListenWithOptions = (host: string, port: number, options: number, cb: (s: uWS.us_listen_socket | false) => void) => unknown;

/** Listens on `port`, exclusively; for 0, on a free port found first, so the socket is bound with SO_REUSEADDR. */
export async function listen(app: uWS.TemplatedApp, host: string, port: number): Promise<uWS.us_listen_socket> {
  const listenWith = app.listen as unknown as ListenWithOptions;
  const once = (p: number): Promise<uWS.us_listen_socket | false> => new Promise((resolve) => listenWith.call(app, host, p, LIBUS_LISTEN_EXCLUSIVE_PORT, resolve));
  for (let attempt = 0; attempt < 5; attempt++) {
    let p = port;
    if (port === 0) {
      const free = await once(0);
      if (!free) break;
      p = uWS.us_socket_local_port(free);
      uWS.us_listen_socket_close(free);
    }
    const s = await once(p);
    if (s) return s;
    if (port !== 0) break; // a free port taken in between is tried again; a configured one is not
  }
  throw new ListenError(`cannot listen on ${host}:${port}: ${await listenFailureCause(host)}`);
}

/** The soft limit on open files (Linux /proc/self/limits); undefined elsewhere or when unlimited. */
export async function fdLimit(): Promise<number | undefined> {
  try {
    const line = (await fs.promises.readFile('/proc/self/limits', 'utf8')).split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line ? Number(line.slice('Max open files'.length).trim().split(/\s+/)[0]) : NaN;
    return Number.isSafeInteger(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}

async function outOfDescriptors(): Promise<boolean> {
  try {
    await (await fs.promises.open('/dev/null', 'r')).close();
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EMFILE' || code === 'ENFILE';
  }
}

async function openDescriptors(): Promise<number | undefined> {
  try {
    return (await fs.promises.readdir('/proc/self/fd')).length;
  } catch {
    return undefined;
  }
}

export class AcceptGuard {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  /** not listening because the descriptors ran out */
  paused = false;
  /** how many times it stopped listening (operator metric) */
  pauses = 0;

  constructor(
    readonly limit: number,
    private readonly listener: Listener,
    private readonly log: Log,
    private readonly probeMs = 500,
  ) {}

  get resumeAt(): number {
    return Math.floor(this.limit * 0.9);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.probeMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (!this.paused) {
        if (!(await outOfDescriptors())) return;
        this.listener.pause();
        this.paused = true;
        this.pauses++;
        this.log('error', 'out of file descriptors: not accepting connections until some close (raise the open-files limit, e.g. LimitNOFILE)', { limit: this.limit, resumeAt: this.resumeAt });
        return;
      }
      const open = await openDescriptors();
      if (open === undefined || open > this.resumeAt) return;
      if (!(await this.listener.resume())) return;
      this.paused = false;
      this.log('warn', 'accepting connections again', { openDescriptors: open, limit: this.limit });
    } finally {
      this.busy = false;
    }
  }
}

// A graceful stop and the clients' open keep-alive connections. Before: the answers given while
// stopping carried no `Connection: close` (except 503 SHUTTING_DOWN, whose header uWS did not act
// on), the idle connections stayed open until the process exited, and a request that reached the
// server in its last ~15 ms was never read: the client got a reset and no answer (measured 8–30 ms
// after SIGTERM), not knowing whether its post was taken.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestServer } from './helpers/server.ts';
import { cpath, newConsumer } from './helpers/client.ts';

interface Conn {
  sock: net.Socket;
  /** everything the server sent */
  text(): string;
  /** resolves when the server closes the connection: 'fin' (clean) or the error code (a reset) */
  closed: Promise<string>;
}

async function connect(url: string): Promise<Conn> {
  const u = new URL(url);
  const sock = net.connect(Number(u.port), u.hostname);
  await new Promise((r) => sock.once('connect', r));
  let text = '';
  sock.setEncoding('utf8');
  sock.on('data', (d: string) => (text += d));
  const closed = new Promise<string>((resolve) => {
    sock.on('end', () => resolve('fin'));
    sock.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    sock.on('close', () => resolve('fin'));
  });
  return { sock, text: () => text, closed };
}

const request = (method: string, path: string, headers: Record<string, string> = {}, body = ''): string =>
  `${method} ${path} HTTP/1.1\r\nHost: x\r\n${Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n${body}`;

async function answered(c: Conn, n: number): Promise<void> {
  for (let i = 0; i < 200 && c.text().split('HTTP/1.1 ').length - 1 < n; i++) await new Promise((r) => setTimeout(r, 10));
}

/** the head of the last answer on the connection */
const lastHead = (c: Conn): string => (c.text().split('HTTP/1.1 ').at(-1) ?? '').split('\r\n\r\n')[0] ?? '';

describe('graceful stop with open keep-alive connections', () => {
  it('answers the in-flight request and new ones with Connection: close, then closes every connection, idle ones too, before stop() resolves', async () => {
    const s = await startTestServer({ longPollMs: 20_000 });
    const c = await newConsumer(s.url);
    await c.poll(); // what was queued at start
    const parked = await connect(s.url);
    parked.sock.write(request('POST', cpath('demo', 'getMessages'), { sessionid: c.sessionId, 'content-type': 'application/json' }, '{}'));
    const idle = await connect(s.url);
    idle.sock.write(request('GET', '/healthz'));
    const late = await connect(s.url);
    late.sock.write(request('GET', '/healthz'));
    await answered(idle, 1);
    await answered(late, 1);
    await new Promise((r) => setTimeout(r, 200)); // the poll is parked on its shard
    const stopping = s.stop();
    late.sock.write(request('POST', cpath('demo', 'postMessage'), { sessionid: c.sessionId, 'content-type': 'application/json' }, '{"body":"late"}'));
    await stopping;
    const outcome = await Promise.race([
      Promise.all([parked.closed, idle.closed, late.closed]),
      new Promise((r) => setTimeout(() => r('connections still open 2 s after stop() resolved'), 2000)),
    ]);
    // the parked poll: its real answer (empty), and the connection closes after it
    expect(lastHead(parked)).toMatch(/^200 /);
    expect(lastHead(parked)).toMatch(/\r\nconnection: close/i);
    // a request on an open connection while stopping: 503 SHUTTING_DOWN, and the connection closes after it
    expect(lastHead(late)).toMatch(/^503 /);
    expect(late.text()).toContain('"code":"SHUTTING_DOWN"');
    expect(lastHead(late)).toMatch(/\r\nconnection: close/i);
    expect(lastHead(late).match(/\r\nconnection:/gi)).toHaveLength(1);
    // the idle one is closed cleanly, by the server, not left to the process's exit
    expect(outcome).toEqual(['fin', 'fin', 'fin']);
    expect(idle.text().split('HTTP/1.1 ')).toHaveLength(2);
  });
});

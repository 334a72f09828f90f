// Load balancers probe with HEAD, and a client that sends a method a path does not take is told
// which ones it does. HEAD on a GET route is answered as GET without the body (RFC 9110 §9.3.2):
// a HEAD answer that carried one would be read as the start of the next answer on a keep-alive
// connection. Every known path answers a method it does not take 405 METHOD_NOT_ALLOWED with
// `Allow` (RFC 9110 §15.5.6: a 405 MUST carry it) — whichever the wrong method is; a path that is
// not one answers 404 NOT_FOUND for every method.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { basic, call, cpath, type Res } from './helpers/client.ts';
import { apath } from './helpers/agent-client.ts';

const ADMIN = { authorization: 'Bearer test-admin' };
const ISSUER = '/services/rest/crossChannelServices/latest';
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ faultInjection: true });
});
afterAll(async () => s?.stop());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes the requests in one write and reads their answers framed as HTTP/1.1 frames them: a HEAD
 * answer ends at its blank line, any other after Content-Length bytes. Rejects when bytes are
 * left over — a HEAD answer that carried a body.
 */
function pipelined(requests: Array<{ method: string; path: string; headers?: Record<string, string> }>): Promise<RawAnswer[]> {
  const u = new URL(s.url);
  const raw = requests.map((r) => `${r.method} ${r.path} HTTP/1.1\r\nHost: x\r\n${Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`).join('');
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname, () => sock.write(raw));
    let buf = Buffer.alloc(0);
    const out: RawAnswer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`timed out after ${out.length} answers; unread: ${JSON.stringify(buf.toString('latin1'))}`));
    }, 5000);
    const finish = (e?: Error): void => {
      clearTimeout(timer);
      sock.destroy();
      if (e) reject(e);
      else resolve(out);
    };
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const req = requests[out.length];
        if (req === undefined) return finish(buf.length > 0 ? new Error(`bytes after the last answer: ${JSON.stringify(buf.toString('latin1'))}`) : undefined);
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
        const m = /^HTTP\/1\.1 (\d{3}) /.exec(lines[0] ?? '');
        if (!m) return finish(new Error(`not a status line: ${JSON.stringify(lines[0])}`));
        const headers: Record<string, string> = {};
        for (const l of lines.slice(1)) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
        const length = req.method === 'HEAD' ? 0 : Number(headers['content-length'] ?? 0);
        if (buf.length < end + 4 + length) return;
        out.push({ status: Number(m[1]), headers, body: buf.subarray(end + 4, end + 4 + length).toString('utf8') });
        buf = buf.subarray(end + 4 + length);
      }
    });
    sock.on('error', (e) => finish(e));
  });
}

/** Known paths, a request each method in `allow` is served by (not 404 NOT_FOUND, not 405). */
const ROUTES: Array<{ path: string; allow: string; headers?: Record<string, string>; body?: unknown }> = [
  { path: '/healthz', allow: 'GET, HEAD' },
  { path: '/readyz', allow: 'GET, HEAD' },
  { path: '/admin/v1/stats', allow: 'GET, HEAD', headers: ADMIN },
  { path: '/admin/v1/metrics', allow: 'GET, HEAD', headers: ADMIN },
  { path: '/admin/v1/engagements/1/transcript', allow: 'GET, HEAD', headers: ADMIN },
  { path: '/admin/v1/engagements/1/terminate', allow: 'POST', headers: ADMIN },
  { path: '/admin/v1/tenants/demo/tier1', allow: 'GET, HEAD, PUT', headers: ADMIN, body: { tier1: 'not a tier1 document' } },
  { path: '/admin/v1/shards/99/fault?mode=nope', allow: 'POST', headers: ADMIN },
  { path: '/admin/v1/http/fault?mode=nope', allow: 'POST', headers: ADMIN },
  { path: `${ISSUER}/establishSessions`, allow: 'POST', headers: { authorization: basic('demo', 'demo') }, body: {} },
  { path: `${ISSUER}/serviceSettings/1`, allow: 'GET, HEAD', headers: { authorization: basic('agent1', 'demo') } },
  { path: `${ISSUER}/agentTokens`, allow: 'POST', headers: { authorization: basic('agent1', 'demo') } },
  { path: '/serviceApi/resources/11.13.0.0/chatAuthenticate', allow: 'POST', headers: { authorization: basic('demo', 'demo') }, body: {} },
  { path: '/serviceApi/resources/latest/chatAuthenticate', allow: 'POST', headers: { authorization: basic('demo', 'demo') }, body: {} },
  { path: cpath('demo', 'postMessage'), allow: 'POST, OPTIONS', body: {} },
  { path: cpath('demo', 'requestEngagement'), allow: 'POST, OPTIONS', body: {} },
  { path: cpath('demo', 'getQueueStats'), allow: 'GET, HEAD, OPTIONS' },
  { path: cpath('demo', 'ws'), allow: 'GET, HEAD, OPTIONS' },
  { path: apath('demo', 'getMessages'), allow: 'POST, OPTIONS', body: {} },
  { path: apath('demo', 'createAutomatedAgentSession'), allow: 'POST, OPTIONS', body: {} },
  { path: apath('demo', 'rerouteAvailability'), allow: 'GET, HEAD, OPTIONS' },
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];

function coded(r: Res, status: number, code: string): void {
  expect({ status: r.status, code: r.json?.code }).toEqual({ status, code });
}

describe('HEAD', () => {
  it('answers HEAD /healthz, /readyz and the metrics as GET, without the body, so the next answer on the connection is read right', async () => {
    const get = await call(s.url, 'GET', '/readyz');
    const answers = await pipelined([
      { method: 'HEAD', path: '/healthz' },
      { method: 'HEAD', path: '/readyz' },
      { method: 'HEAD', path: '/admin/v1/metrics', headers: ADMIN },
      { method: 'HEAD', path: '/no/such/path' },
      { method: 'HEAD', path: '/admin/v1/stats' },
      { method: 'GET', path: '/healthz' },
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 404, 401, 200]);
    expect(answers[1]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answers[1]?.headers['content-length']).toBe(String(Buffer.byteLength(get.text)));
    expect(answers[2]?.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(answers[5]?.body).toBe('{"status":"ok"}');
  });

  it('answers HEAD on an API GET route as its GET, without the body', async () => {
    const path = cpath('demo', 'getQueueStats');
    const [head] = await pipelined([{ method: 'HEAD', path }]);
    const get = await call(s.url, 'GET', path);
    expect(head?.status).toBe(get.status);
    expect(head?.headers['content-length']).toBe(String(Buffer.byteLength(get.text)));
  });
});

describe('a method the path does not take', () => {
  const wrong = ROUTES.flatMap((r) => METHODS.filter((m) => !r.allow.split(', ').includes(m)).map((m) => [m, r.path, r.allow, r.headers] as const));
  it.each(wrong)('%s %s → 405 METHOD_NOT_ALLOWED, Allow: %s', async (method, path, allow, headers) => {
    const r = await call(s.url, method, path, { headers: { ...headers } });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe(allow);
    if (method !== 'HEAD') expect(r.json.code).toBe('METHOD_NOT_ALLOWED');
  });

  const right = ROUTES.flatMap((r) => r.allow.split(', ').map((m) => [m, r.path, r] as const));
  it.each(right)('%s %s is served (the Allow lists only what is)', async (method, path, r) => {
    const answer = await call(s.url, method, path, { headers: { ...r.headers }, ...(r.body !== undefined && (method === 'POST' || method === 'PUT') ? { body: r.body } : {}) });
    expect(answer.status).not.toBe(405);
    if (answer.status === 404) expect(answer.json?.code).not.toBe('NOT_FOUND');
  });

  it('answers 404 NOT_FOUND, whatever the method, on a path that is not one', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      for (const path of [cpath('demo', 'noSuchOp'), apath('demo', 'noSuchOp'), `${ISSUER}/noSuchThing`, '/admin/v1/noSuchThing', '/healthz/deeper']) {
        coded(await call(s.url, method, path, { headers: ADMIN }), 404, 'NOT_FOUND');
      }
    }
  });
});

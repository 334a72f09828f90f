// README's reference nginx configuration, run as written in front of a real server (nginx is a test
// requirement: .ci/run installs it; elsewhere `apt-get install nginx-light`). Before, it proxied everything, `/admin/v1/*` included, to the internet:
// an outsider reached the admin endpoints, and 10 wrong tokens locked the real operator out for
// 300 s (the admin throttle is per address; behind the proxy everyone shares one). Its access log
// also recorded the WebSocket URLs' session secrets (`?sessionId=`, `?jsessionid=`). Now `/admin/`
// answers only the allow list (403 from elsewhere, Parley never asked), the consumer API and its
// WebSocket work through it, and the WebSocket requests are logged without their query string.
// The test's only edits to the block: its ports, the log path, and the listen address.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { until } from './helpers/client.ts';

const NGINX = '/usr/sbin/nginx';
const OUTSIDER = '127.0.0.2'; // not on the block's allow list (127.0.0.1 is)
const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');

let s: TestServer;
let nginx: ChildProcess | undefined;
let base = '';
let prefix = '';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** README's ```nginx block, made to run here: ports, log path, a listen address on loopback. */
function configFrom(block: string, listen: number, upstream: number): string {
  const server = block
    .replace('server 127.0.0.1:8080', `server 127.0.0.1:${upstream}`)
    .replace(/^\s*listen [^;]*;.*$/gm, '')
    .replace(/server \{/, `server {\n  listen 127.0.0.1:${listen};`)
    .replaceAll('/var/log/nginx/', `${prefix}/`);
  return [
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/error.log;`,
    'events {}',
    'http {',
    `  access_log ${prefix}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${prefix}/${t};`),
    server,
    '}',
  ].join('\n');
}

/** A request from `from` (a loopback address), as a client elsewhere sends it. */
function send(from: string, method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const r = http.request({ host: u.hostname, port: u.port, localAddress: from, method, path: p, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.on('error', reject);
    r.end(body);
  });
}
const json = (t: string): Record<string, unknown> => JSON.parse(t) as Record<string, unknown>;

describe("README's nginx configuration", () => {
  beforeAll(async () => {
    // a missing nginx fails here, naming the fix, rather than skipping what the test guards
    if (!fs.existsSync(NGINX)) throw new Error(`${NGINX} not found: install nginx (apt-get install -y nginx-light) to run this test`);
    s = await startTestServer({ trustProxy: true });
    prefix = tempDir('nginx');
    const block = /```nginx\n([\s\S]*?)```/.exec(readme)?.[1];
    if (!block) throw new Error('README has no ```nginx block');
    const port = await freePort();
    fs.writeFileSync(path.join(prefix, 'nginx.conf'), configFrom(block, port, s.port));
    nginx = spawn(NGINX, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off; master_process off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    nginx.stderr?.on('data', (d: Buffer) => (out += String(d)));
    base = `http://127.0.0.1:${port}`;
    const up = await until(() => send('127.0.0.1', 'GET', '/healthz').then((r) => r.status === 200, () => false), 10_000);
    if (!up) throw new Error(`nginx did not come up: ${out}`);
  });
  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await s?.stop();
  });

  it('refuses /admin/ from outside its allow list, so outsiders can neither call it nor lock the operator out', async () => {
    const token = { authorization: 'Bearer test-admin' };
    expect((await send(OUTSIDER, 'GET', '/admin/v1/stats', token)).status).toBe(403);
    for (let i = 0; i < 12; i++) expect((await send(OUTSIDER, 'GET', '/admin/v1/stats', { authorization: `Bearer wrong${i}` })).status).toBe(403);
    // spellings that normalise to /admin/ meet the same rule; one that does not is no admin path
    for (const p of ['//admin/v1/stats', '/%61dmin/v1/stats', '/x/../admin/v1/stats', '/./admin/v1/stats']) expect((await send(OUTSIDER, 'GET', p, token)).status, p).toBe(403);
    expect((await send(OUTSIDER, 'GET', '/ADMIN/v1/stats', token)).status).toBe(404);
    expect((await send('127.0.0.1', 'GET', '/admin/v1/stats', token)).status).toBe(200);
  });

  it('serves the consumer API and its WebSocket, and logs the socket without its session secret', async () => {
    const est = await send(OUTSIDER, 'POST', '/services/rest/crossChannelServices/latest/establishSessions', { authorization: 'Basic ' + Buffer.from('demo:demo').toString('base64'), host: 'chat.acme.com' }, '{}');
    expect(est.status).toBe(200);
    expect(json(est.text).domain).toBe('chat.acme.com');
    const req = await send(OUTSIDER, 'POST', '/engagement/api/consumer/demo/v1/requestEngagement?pool=1:1', { authorization: `Bearer ${String(json(est.text).jwt)}` }, '{}');
    expect(req.status).toBe(200);
    const sid = String(json(req.text).sessionId);
    const ws = new WebSocket(`${base.replace('http', 'ws')}/engagement/api/consumer/demo/v1/ws?pool=1:1&sessionId=${encodeURIComponent(sid)}`, { localAddress: OUTSIDER });
    const frames: unknown[] = [];
    ws.on('message', (d) => frames.push(...(JSON.parse(String(d)) as unknown[])));
    await new Promise<void>((ok, ko) => {
      ws.once('open', () => ok());
      ws.once('error', ko);
    });
    const post = await send(OUTSIDER, 'POST', '/engagement/api/consumer/demo/v1/postMessage?pool=1:1', { sessionid: sid }, '{"body":"hello through nginx"}');
    expect(post.status).toBe(200);
    const end = await send(OUTSIDER, 'POST', '/engagement/api/consumer/demo/v1/concludeEngagement?pool=1:1', { sessionid: sid }, '{}');
    expect(end.status).toBe(200);
    // the socket carries the session's stream: its wait information, then the conclusion
    expect(await until(() => frames.some((f) => JSON.stringify(f).includes('RNEngagementConcludedMessage')), 5000), JSON.stringify(frames)).toBe(true);
    ws.close();
    const logged = (): string => fs.readFileSync(path.join(prefix, 'access.log'), 'utf8');
    expect(await until(() => logged().includes('/v1/ws'), 5000), logged()).toBe(true);
    expect(logged()).toContain('/v1/postMessage');
    expect(logged()).not.toContain(sid);
    expect(logged()).not.toContain('sessionId=');
  });
});

// HTTP/1.0 requests on a raw socket. uWebSockets.js (this build) speaks HTTP/1.1 only: it never
// calls a handler for an HTTP/1.0 request and closes the connection at its idle timeout (~10 s)
// without an answer. Behind nginx, whose upstream default is HTTP/1.0, that looks like a hang:
// the README's deployment note says to set `proxy_http_version 1.1`. This pins the behaviour so an
// upgrade that starts answering (newer uWS answers 505) is noticed and the note updated.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.stop());

/** What the server writes within `ms` after the request, and whether it closed the connection. */
function within(raw: string, ms: number): Promise<{ text: string; closed: boolean }> {
  const u = new URL(s.url);
  return new Promise((resolve) => {
    const sock = net.connect(Number(u.port), u.hostname);
    let text = '';
    const t = setTimeout(() => {
      sock.destroy();
      resolve({ text, closed: false });
    }, ms);
    sock.on('connect', () => sock.write(raw));
    sock.on('data', (d) => (text += d.toString('latin1')));
    sock.on('close', () => {
      clearTimeout(t);
      resolve({ text, closed: true });
    });
    sock.on('error', () => {});
  });
}

describe('HTTP/1.0 clients', () => {
  it('get no answer to an HTTP/1.0 request, while HTTP/1.1 on the same server is answered', async () => {
    const old = await within('GET /engagement/api/consumer/demo/v1/getMessages HTTP/1.0\r\nHost: x\r\n\r\n', 1000);
    expect(old).toEqual({ text: '', closed: false });
    const same = await within('GET /engagement/api/consumer/demo/v1/getMessages HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 3000);
    expect(same.text).toMatch(/^HTTP\/1\.1 405 /);
    expect((await call(s.url, 'GET', '/no/such/path')).status).toBe(404);
  });
});

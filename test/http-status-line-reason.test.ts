// Every status line carries a reason phrase: uWS writes a code it is given bare ("HTTP/1.1 429",
// no SP after it), which RFC 9112 §4 does not allow (status-line = version SP code SP [reason]).
// The 429 of the sign-in throttle went out that way.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { ERRORS } from '../src/errors.ts';
import { statusLine } from '../src/http/respond.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ authMaxFailures: 1, authFailureWindowS: 60 });
});
afterAll(async () => s?.stop());

/** The first line of the raw answer to one request on its own connection. */
function rawStatusLine(url: string, request: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname, () => sock.write(request));
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n');
      if (end >= 0) {
        sock.destroy();
        resolve(buf.slice(0, end));
      }
    });
    sock.on('error', reject);
    sock.on('close', () => resolve(buf));
  });
}

const adminStats = (token: string): string => `GET /admin/v1/stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`;

describe('HTTP status lines', () => {
  it('429 TOO_MANY_ATTEMPTS is sent as "HTTP/1.1 429 Too Many Requests"', async () => {
    expect(await rawStatusLine(s.url, adminStats('wrong'))).toBe('HTTP/1.1 401 Unauthorized');
    expect(await rawStatusLine(s.url, adminStats('wrong-again'))).toBe('HTTP/1.1 429 Too Many Requests');
  });

  it('every status the error catalogue can give has its reason phrase', () => {
    for (const [code, { status }] of Object.entries(ERRORS)) expect(statusLine(status), code).toMatch(new RegExp(`^${status} [A-Z][A-Za-z ]+$`));
  });
});

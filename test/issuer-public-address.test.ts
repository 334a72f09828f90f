// Where the issuer tells chat fronts and agents to find the chat server (spec §2.1: they then call
// `https://{domain}[:{port}]/engagement/api/…` from sessionServerResponse; §2.2 serviceSettings) is
// the address clients reach, not the one Parley listens on. Before, it was the Host header's name
// with Parley's own listening port: behind the README's nginx block (`Host: parley`) a front was sent
// to `parley:<listen port>`, and `Host: chat.acme.com:443` gave the listen port too.
//   PARLEY_PUBLIC_URL set: its scheme, host and port, whatever the request says.
//   PARLEY_TRUST_PROXY=on: X-Forwarded-Host / -Proto / -Port (the last entry: the one the proxy
//     appended), falling back to the Host header.
//   Otherwise: the Host header with its port; none there → port 80 (Parley serves plain HTTP, so a
//     client that reached it directly without a port in Host came to port 80).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { optionsFromEnv, resolveServerConfig } from '../src/config/server.ts';

const ISSUER = '/services/rest/crossChannelServices/latest';
const basic = (u: string, p: string): string => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');

/** fetch may not set Host: a plain node:http request, as a proxy sends it */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const r = http.request({ host: u.hostname, port: u.port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

interface Seen {
  domain: unknown;
  port: unknown;
  /** serviceSettings' domain, port and link, which must say the same */
  settings: [unknown, unknown];
  link: unknown;
}

async function addressFor(s: TestServer, headers: Record<string, string>): Promise<Seen> {
  const est = await send(s.url, 'POST', `${ISSUER}/establishSessions`, { ...headers, authorization: basic('demo', 'demo') }, '{"sessionInformation":{}}');
  expect(est.status).toBe(200);
  const ssr = JSON.parse(String(est.json.sessionServerResponse)) as Record<string, unknown>;
  expect([est.json.domain, est.json.port]).toEqual([ssr.domain, ssr.port]);
  const set = await send(s.url, 'GET', `${ISSUER}/serviceSettings/1`, { ...headers, authorization: basic('agent1', 'demo') });
  expect(set.status).toBe(200);
  const links = set.json.links as Array<{ href: string }>;
  return { domain: ssr.domain, port: ssr.port, settings: [set.json.domain, set.json.port], link: links[0]?.href };
}

const expectAddress = (seen: Seen, domain: string, port: number, link: string): void => {
  expect(seen).toEqual({ domain, port, settings: [domain, port], link: `${link}${ISSUER}/serviceSettings` });
};

describe('the chat server address the issuer hands out', () => {
  let direct: TestServer;
  let proxied: TestServer;
  let pinned: TestServer;
  beforeAll(async () => {
    [direct, proxied, pinned] = await Promise.all([
      startTestServer({ shards: 1 }),
      startTestServer({ shards: 1, trustProxy: true }),
      startTestServer({ shards: 1, trustProxy: true, publicUrl: 'https://chat.acme.com:8443' }),
    ]);
  });
  afterAll(async () => Promise.all([direct?.stop(), proxied?.stop(), pinned?.stop()]));

  it('reached directly: the Host header, its port included; port 80 when it has none', async () => {
    expectAddress(await addressFor(direct, { host: `127.0.0.1:${direct.port}` }), '127.0.0.1', direct.port, `http://127.0.0.1:${direct.port}`);
    expectAddress(await addressFor(direct, { host: 'chat.acme.com:443' }), 'chat.acme.com', 443, 'http://chat.acme.com:443');
    expectAddress(await addressFor(direct, { host: 'parley' }), 'parley', 80, 'http://parley');
    expectAddress(await addressFor(direct, { host: '[::1]:9000' }), '::1', 9000, 'http://[::1]:9000');
  });

  it('without PARLEY_TRUST_PROXY, X-Forwarded-* headers are anyone\'s and are ignored', async () => {
    const forged = { host: 'chat.acme.com:8080', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443' };
    expectAddress(await addressFor(direct, forged), 'chat.acme.com', 8080, 'http://chat.acme.com:8080');
  });

  it('behind a trusted proxy: X-Forwarded-Host/-Proto/-Port, the last (proxy-appended) entry of each', async () => {
    // the README's nginx block: Host $host, X-Forwarded-Proto $scheme, behind TLS on 443
    expectAddress(await addressFor(proxied, { host: 'chat.acme.com', 'x-forwarded-proto': 'https' }), 'chat.acme.com', 443, 'https://chat.acme.com');
    // a proxy that leaves Host as its upstream's name but says where it was reached
    expectAddress(await addressFor(proxied, { host: 'parley', 'x-forwarded-host': 'chat.acme.com', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443' }), 'chat.acme.com', 443, 'https://chat.acme.com');
    // a client-sent value comes first; what the proxy appended last
    expectAddress(
      await addressFor(proxied, { host: 'parley', 'x-forwarded-host': 'evil.example, chat.acme.com', 'x-forwarded-proto': 'http, https', 'x-forwarded-port': '1, 8443' }),
      'chat.acme.com', 8443, 'https://chat.acme.com:8443',
    );
    // the port in X-Forwarded-Host when no X-Forwarded-Port
    expectAddress(await addressFor(proxied, { host: 'parley', 'x-forwarded-host': 'chat.acme.com:8443', 'x-forwarded-proto': 'https' }), 'chat.acme.com', 8443, 'https://chat.acme.com:8443');
    // no forwarded headers at all: as reached directly
    expectAddress(await addressFor(proxied, { host: 'chat.acme.com:8080' }), 'chat.acme.com', 8080, 'http://chat.acme.com:8080');
    // values that are not a host, a scheme or a port are passed over
    expectAddress(await addressFor(proxied, { host: 'chat.acme.com', 'x-forwarded-host': 'a b/c', 'x-forwarded-proto': 'gopher', 'x-forwarded-port': '99999' }), 'chat.acme.com', 80, 'http://chat.acme.com');
  });

  it('PARLEY_PUBLIC_URL decides, whatever the request says', async () => {
    for (const h of [{ host: 'parley' }, { host: 'x', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http', 'x-forwarded-port': '80' }] as Array<Record<string, string>>) {
      expectAddress(await addressFor(pinned, h), 'chat.acme.com', 8443, 'https://chat.acme.com:8443');
    }
  });
});

describe('PARLEY_PUBLIC_URL', () => {
  it.each([
    'chat.acme.com', 'ftp://chat.acme.com', 'https://chat.acme.com/chat', 'https://chat.acme.com?x=1', 'https://user:pw@chat.acme.com', 'https://chat.acme.com:0', 'https://',
  ])('%s is refused, naming the variable and the shape', (value) => {
    const { problems } = optionsFromEnv({ PARLEY_PUBLIC_URL: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PARLEY_PUBLIC_URL: expected an http:\/\/ or https:\/\/ URL/);
    expect(problems[0]).toContain(`got ${JSON.stringify(value)}`);
  });

  it.each([
    ['https://chat.acme.com', { scheme: 'https', domain: 'chat.acme.com', port: 443 }],
    ['https://chat.acme.com/', { scheme: 'https', domain: 'chat.acme.com', port: 443 }],
    ['http://10.0.0.5:8080', { scheme: 'http', domain: '10.0.0.5', port: 8080 }],
    ['https://[2001:db8::1]:8443', { scheme: 'https', domain: '2001:db8::1', port: 8443 }],
  ])('%s gives scheme, domain and port', (value, expected) => {
    const { options, problems } = optionsFromEnv({ PARLEY_PUBLIC_URL: value });
    expect(problems).toEqual([]);
    expect(resolveServerConfig(options).publicUrl).toEqual(expected);
  });
});

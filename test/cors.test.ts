// Browser chat fronts call the chat server cross-origin (it lives on its own host): preflights are
// answered for the origins a tenant lists, and allowed requests' answers — coded errors included —
// carry Access-Control-Allow-Origin so the page can read them. Other origins get a coded 403
// preflight and no CORS headers; non-browser clients (no Origin) are unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { cpath, newConsumer } from './helpers/client.ts';
import { resolveTenant } from '../src/config/tenants.ts';

const SHOP = 'https://www.acme.example';
let s: TestServer;
beforeAll(async () => {
  const configDir = tenantConfigDir({
    'acme.yaml': [
      'site: acme',
      'credentials: [{ user: acme, password: pw }]',
      'agents: [{ user: alice, password: pw, accountId: 7 }]',
      `cors: { origins: ["${SHOP.toUpperCase()}", "http://localhost:3000"] }`,
    ].join('\n'),
    'closed.yaml': 'site: closed\ncredentials: [{ user: closed, password: pw }]\n',
  });
  s = await startTestServer({ configDir });
});
afterAll(async () => s?.stop());

function preflight(path: string, origin: string | undefined, requestHeaders = 'content-type,sessionid'): Promise<Response> {
  const headers: Record<string, string> = { 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders };
  if (origin !== undefined) headers.origin = origin;
  return fetch(s.url + path, { method: 'OPTIONS', headers });
}

describe('CORS for browser chat fronts', () => {
  it('answers a preflight from a listed origin with what the browser needs (the configured origin in another letter case)', async () => {
    const r = await preflight(cpath('acme', 'postMessage'), SHOP);
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(r.headers.get('vary')).toBe('Origin');
    expect(r.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(r.headers.get('access-control-allow-headers')).toBe('content-type,sessionid');
    expect(r.headers.get('access-control-max-age')).toBe('600');
    expect(r.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await r.text()).toBe('');
  });

  it('falls back to the API headers when the requested list is not a plain list of names', async () => {
    const r = await preflight(cpath('acme', 'getMessages'), 'http://localhost:3000', 'sessionid, <script>');
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, SessionId, X-AID, X-JSESSIONID');
  });

  it('answers the agent API preflight too', async () => {
    const r = await preflight('/engagement/api/agent/acme/v1/getMessages', SHOP, 'x-aid,x-jsessionid,content-type');
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe(SHOP);
  });

  it('refuses a preflight from an unlisted origin with a coded 403 and no CORS headers', async () => {
    for (const [site, origin] of [['acme', 'https://evil.example'], ['closed', SHOP]] as const) {
      const r = await preflight(cpath(site, 'postMessage'), origin);
      expect(r.status).toBe(403);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      expect((await r.json() as { code: string }).code).toBe('ORIGIN_NOT_ALLOWED');
    }
  });

  it('codes an OPTIONS for an unknown site or API side like any other request to it', async () => {
    const unknown = await preflight(cpath('nosuch', 'postMessage'), SHOP);
    expect(unknown.status).toBe(404);
    expect((await unknown.json() as { code: string }).code).toBe('UNKNOWN_SITE');
    const side = await preflight('/engagement/api/robot/acme/v1/postMessage', SHOP);
    expect(side.status).toBe(404);
    expect((await side.json() as { code: string }).code).toBe('NOT_FOUND');
  });

  it('says what a path accepts to an OPTIONS without an Origin (not a preflight)', async () => {
    const r = await preflight(cpath('acme', 'postMessage'), undefined);
    expect(r.status).toBe(204);
    // the operation's own methods: the list a 405 on it carries (a GET of postMessage is one)
    expect(r.headers.get('allow')).toBe('POST, OPTIONS');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(cpath('acme', 'getQueueStats'), undefined)).headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('lets an allowed page read answers, coded errors included; other origins and Origin-less clients get no CORS headers', async () => {
    const c = await newConsumer(s.url, 'acme', undefined, ['acme', 'pw']);
    const post = (origin: string | undefined, body: unknown): Promise<Response> =>
      fetch(s.url + cpath('acme', 'postMessage'), { method: 'POST', headers: { 'content-type': 'application/json', sessionid: c.sessionId, ...(origin ? { origin } : {}) }, body: JSON.stringify(body) });

    const ok = await post(SHOP, { body: 'hello from the shop page' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('vary')).toBe('Origin');

    const bad = await post(SHOP, { body: 42 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect((await bad.json() as { code: string }).code).toBe('INVALID_FIELD');

    const other = await post('https://evil.example', { body: 'from elsewhere' });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const server = await post(undefined, { body: 'from a server-side front' });
    expect(server.status).toBe(200);
    expect(server.headers.get('access-control-allow-origin')).toBeNull();

    const stats = await fetch(s.url + cpath('acme', 'getQueueStats') + '&request=%7B%7D', { headers: { origin: SHOP } });
    expect(stats.headers.get('access-control-allow-origin')).toBe(SHOP);
  });

  it('allows any origin for a tenant listing "*" (the built-in demo tenant)', async () => {
    const r = await preflight(cpath('demo', 'postMessage'), 'https://anything.example');
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('https://anything.example');
  });

  it('keeps a tenant\'s origins when its Tier-1 config is replaced through the admin API', async () => {
    for (const site of ['acme', 'demo']) {
      const put = await fetch(`${s.url}/admin/v1/tenants/${site}/tier1`, { method: 'PUT', headers: { authorization: 'Bearer test-admin', 'content-type': 'application/json' }, body: JSON.stringify({ tier1: { mode: 'enforce' } }) });
      expect(put.status).toBe(200);
    }
    expect((await preflight(cpath('acme', 'postMessage'), SHOP)).status).toBe(204);
    expect((await preflight(cpath('acme', 'postMessage'), 'https://evil.example')).status).toBe(403);
    expect((await preflight(cpath('demo', 'postMessage'), 'https://anything.example')).status).toBe(204);
  });

  it('rejects a tenant document whose origins are not origins, naming the path', () => {
    const resolve = (cors: unknown) => resolveTenant({ site: 'x', cors }, 'x.yaml', (v) => ({ ok: true, value: v }));
    const r = resolve({ origins: ['https://ok.example', 'https://shop.example/path', 7] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['cors.origins[1]', 'cors.origins[2]']);
    const list = resolve(['https://ok.example']);
    expect(list.ok).toBe(false);
    if (!list.ok) expect(list.errors[0]?.path).toBe('cors');
    const good = resolve({ origins: ['HTTPS://Shop.Example:8443', '*'] });
    expect(good.ok && good.tenant.corsOrigins).toEqual(['https://shop.example:8443', '*']);
  });
});

// A `cors.origins` entry written with its scheme's default port (`https://www.acme.com:443`,
// `http://www.acme.com:80`) is the origin browsers send without it: it is normalised as upper case
// already is, so their preflights are allowed. Before, such an entry loaded without an error and
// never matched (403 ORIGIN_NOT_ALLOWED). Another port is kept; a port over 65535 is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { cpath } from './helpers/client.ts';
import { resolveTenant } from '../src/config/tenants.ts';
import { resolveTier1 } from '../src/config/tier1.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    configDir: tenantConfigDir({
      'acme.yaml': 'site: acme\ncredentials: [{ user: acme, password: pw }]\ncors: { origins: ["https://www.acme.com:443", "HTTP://Shop.Acme.com:80", "https://dev.acme.com:8443"] }\n',
    }),
  });
});
afterAll(async () => s?.stop());

const preflight = (origin: string): Promise<Response> =>
  fetch(s.url + cpath('acme', 'postMessage'), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });

describe('cors.origins with a default port', () => {
  it.each([
    ['https://www.acme.com', 'https://www.acme.com'],
    ['http://shop.acme.com', 'http://shop.acme.com'],
    ['https://dev.acme.com:8443', 'https://dev.acme.com:8443'],
  ])('a preflight from %s is allowed', async (origin, allowed) => {
    const r = await preflight(origin);
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('the entries are stored as browsers send them; a port out of range is refused with its path', () => {
    const r = resolveTenant({ site: 'x', cors: { origins: ['https://a.example:443', 'http://a.example:80', 'http://a.example:443', 'https://a.example:0443'] } }, 'x.yaml', resolveTier1);
    expect(r.ok && r.tenant.corsOrigins).toEqual(['https://a.example', 'http://a.example', 'http://a.example:443', 'https://a.example']);
    const bad = resolveTenant({ site: 'x', cors: { origins: ['https://a.example:70000'] } }, 'x.yaml', resolveTier1);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path)).toEqual(['cors.origins[0]']);
  });
});

// A tenant's site is a path segment of every URL it serves (`/engagement/api/consumer/{site}/…`):
// "." and ".." are refused, as clients and proxies that normalise paths (curl, browsers, nginx) turn
// `/consumer/../v1/…` into another path. Before, both loaded and the tenant was reachable only by
// clients that do not normalise.
import { describe, expect, it } from 'vitest';
import { resolveTenant } from '../src/config/tenants.ts';
import { resolveTier1 } from '../src/config/tier1.ts';
import { startTestServer, tenantConfigDir } from './helpers/server.ts';

const errorsOf = (site: unknown): string[] => {
  const r = resolveTenant({ site, credentials: [{ user: 'u', password: 'p' }] }, 'x.yaml', resolveTier1);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('a tenant site of dot segments', () => {
  it('"." and ".." are refused, naming the site field; names with dots stay valid', () => {
    for (const site of ['.', '..']) expect(errorsOf(site)).toEqual([expect.stringMatching(/^site: expected .*not "\." or "\.\."/)]);
    for (const site of ['acme.com', '...', '.acme', 'a..b']) expect(errorsOf(site)).toEqual([]);
  });

  it('a document with site ".." stops start-up naming the file', async () => {
    await expect(startTestServer({ configDir: tenantConfigDir({ 'dotdot.yaml': 'site: ".."\ncredentials: [{ user: u, password: p }]\n' }) })).rejects.toThrow(/dotdot\.yaml: site: expected/);
  });
});

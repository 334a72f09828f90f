// A tenant document refused at start stops start-up with one line naming the file and each bad
// field (README, Configuration), as a bad environment variable does — before, it was one error log
// line among the start-up lines, the node said ready on /readyz and the tenant's traffic got 404
// UNKNOWN_SITE. At runtime a bad edit still keeps the previous config live (hot reload).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToExit } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';

const start = (files: Record<string, string>): Promise<{ code: number | null; out: string; dir: string }> => {
  const dir = tenantConfigDir(files);
  return runToExit({ PARLEY_DATA_DIR: tempDir('tenanterr'), PARLEY_CONFIG_DIR: dir, PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_SHARDS: '1' }).then((r) => ({ ...r, dir }));
};
// the refusal is one stderr line; the error log lines before it may interleave
const lastLine = (out: string): string => out.split('\n').filter((l) => l.startsWith('parley: ')).join('\n');

describe('start-up with a tenant document it refuses', () => {
  it('an invalid field: exits non-zero naming the file and the field', async () => {
    const r = await start({ 'acme.yaml': 'site: acme\nqueueTimeoutSec: -1\n', 'beta.yaml': 'site: beta\n' });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).not.toContain('Parley listening');
    expect(lastLine(r.out)).toMatch(/^parley: invalid configuration: /);
    expect(lastLine(r.out)).toContain(`${path.join(r.dir, 'tenants', 'acme.yaml')}: queueTimeoutSec: expected an integer ≥ 0`);
    expect(r.out).not.toMatch(/^\s+at /m);
  });

  it('a syntax error and a site two documents claim: every file named on the one line', async () => {
    const r = await start({ 'acme.yaml': 'site: acme\ncredentials: [{ user: a, password: p }\n', 'zeta-a.yaml': 'site: zeta\n', 'zeta-b.yaml': 'site: zeta\n' });
    expect(r.code).not.toBe(0);
    const line = lastLine(r.out);
    expect(line).toContain('acme.yaml: cannot parse: YAML syntax error at line 3');
    expect(line).toContain('zeta-a.yaml: site: ');
    expect(line).toContain('zeta-b.yaml: site: ');
  });
});

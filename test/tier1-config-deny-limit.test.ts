// URL_DENY.deny over the 10,000-entry limit used to be cut to its first 10,000 entries without a
// word (PUT 200, the 10,001st domain not denied), while `allow` and KEYWORD answer 400 "expected at
// most …". It is now rejected the same way, with the path.
import { describe, expect, it } from 'vitest';
import { LIMITS, resolveTier1 } from '../src/config/tier1.ts';
import { startTestServer } from './helpers/server.ts';
import { call } from './helpers/client.ts';

const domains = (n: number): string[] => Array.from({ length: n }, (_, i) => `d${i}.example.com`);
const errs = (input: unknown): string[] => {
  const r = resolveTier1(input);
  return r.ok ? [] : r.errors.map((e) => e.message);
};

describe('URL_DENY.deny list limit', () => {
  it('rejects one entry over the limit with the path, like allow', () => {
    expect(errs({ rules: { URL_DENY: { deny: domains(LIMITS.listEntries + 1) } } })).toEqual([`tier1.rules.URL_DENY.deny: expected at most ${LIMITS.listEntries} entries, got ${LIMITS.listEntries + 1}`]);
    expect(errs({ rules: { URL_DENY: { allow: domains(LIMITS.listEntries + 1) } } })).toEqual([`tier1.rules.URL_DENY.allow: expected at most ${LIMITS.listEntries} entries, got ${LIMITS.listEntries + 1}`]);
    const r = resolveTier1({ rules: { URL_DENY: { deny: [...domains(LIMITS.listEntries - 1), { domain: 'last.example.com', extreme: true }] } } });
    expect(r.ok && r.value.rules.URL_DENY.deny.at(-1)).toEqual({ domain: 'last.example.com', extreme: true });
  });

  it('over the admin API: 400 with the path', async () => {
    const s = await startTestServer();
    try {
      const put = await call(s.url, 'PUT', '/admin/v1/tenants/demo/tier1', { headers: { authorization: 'Bearer test-admin' }, body: { tier1: { rules: { URL_DENY: { deny: domains(10_001) } } } } });
      expect(put.status).toBe(400);
      expect(JSON.stringify(put.json)).toContain('tier1.rules.URL_DENY.deny: expected at most 10000 entries, got 10001');
    } finally {
      await s.stop();
    }
  });
});

// A rejected PUT of a tenant's tier1 answers the usual error shape — {code, message, errorMessages}
// with one entry per bad field — and names each path once (before: no errorMessages, and the
// message read "tier1.mode: tier1.mode: expected …").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ configDir: tenantConfigDir({ 'acme.yaml': 'site: acme\ncredentials: [{ user: acme, password: pw }]\n' }) });
});
afterAll(async () => s?.stop());

const put = (tier1: unknown) => call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: { authorization: 'Bearer test-admin' }, body: { tier1 } });

describe('PUT tier1 validation errors', () => {
  it('answer {code, message, errorMessages} with each path named once', async () => {
    const r = await put({ mode: 'loud' });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('INVALID_FIELD');
    expect(r.json.errorMessages).toHaveLength(1);
    expect(r.json.errorMessages[0].code).toBe('INVALID_FIELD');
    expect(r.json.errorMessages[0].message).toMatch(/^tier1\.mode: expected /);
    expect(r.json.message).toBe(r.json.errorMessages[0].message);
    expect(r.json.message).not.toContain('tier1.mode: tier1.mode');
  });

  it('list one errorMessages entry per bad field', async () => {
    const r = await put({ mode: 'loud', rules: { NOPE: {} } });
    expect(r.status).toBe(400);
    const messages: string[] = r.json.errorMessages.map((e: { message: string }) => e.message);
    expect(messages.map((m) => m.split(': ')[0])).toEqual(expect.arrayContaining(['tier1.mode', 'tier1.rules.NOPE']));
    expect(r.json.message).toBe(messages.join('; '));
    for (const m of messages) expect(m.split(': ')[1]).not.toMatch(/^tier1\./);
  });
});

// Per-tenant Tier-1 config: file watch and admin API hot reload (no restart, no dropped request),
// observe mode, validation errors naming the field path, the effective config readable.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { call, newConsumer, transcript, until } from './helpers/client.ts';

let s: TestServer;
const configDir = tempDir('cfg');
const file = path.join(configDir, 'tenants', 'acme.yaml');
const acme = (tier1: string): string => `site: acme\ncredentials: [{ user: acme, password: s3cret }]\nagents: [{ user: acme-agent, password: s3cret }]\ntier1:\n${tier1}\n`;
const admin = { authorization: 'Bearer test-admin' };

beforeAll(async () => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, acme('  rules:\n    LEN_MAX: { block: 2000 }'));
  s = await startTestServer({ configDir, logLevel: process.env.TEST_LOG ?? 'silent' });
});
afterAll(async () => s?.stop());

const consumer = () => newConsumer(s.url, 'acme', undefined, ['acme', 's3cret']);
const effective = async () => (await call(s.url, 'GET', '/admin/v1/tenants/acme/tier1', { headers: admin })).json;

describe('tenant Tier-1 config', () => {
  it('serves the effective config with defaults filled, to the admin only', async () => {
    expect((await call(s.url, 'GET', '/admin/v1/tenants/acme/tier1')).status).toBe(401);
    const e = await effective();
    expect(e.tier1.rules.LEN_MAX.block).toBe(2000);
    expect(e.tier1.rules.RATE_BURST.burst).toBe(10);
    expect(e.tier1.screenAgents).toBe(true);
  });

  it('picks up a changed threshold from the file without a restart', async () => {
    const c = await consumer();
    const text = 'a perfectly normal sentence that goes on for a while to be long enough';
    expect((await c.post(text)).status).toBe(200);
    const before = (await effective()).version;
    fs.writeFileSync(file, acme('  rules:\n    LEN_MAX: { block: 40, flag: 20 }'));
    expect(await until(async () => (await effective()).version !== before, 5000)).toBe(true);
    // shards get the snapshot on their port; give it a moment to land
    expect(await until(async () => {
      const probe = await consumer();
      await probe.post(text + ' again');
      return (await transcript(s.url, probe.engagementId)).json.messages.some((m: { kind: string }) => m.kind === 'notice');
    }, 5000)).toBe(true);
  });

  it('rejects a bad file, keeps the old config live and names the field path in the log', async () => {
    const before = await effective();
    fs.writeFileSync(file, acme('  rules:\n    LEN_MAX: { block: -5 }\n    NO_SUCH_RULE: {}'));
    await new Promise((r) => setTimeout(r, 600));
    const after = await effective();
    expect(after.version).toBe(before.version);
    expect(after.tier1.rules.LEN_MAX.block).toBe(before.tier1.rules.LEN_MAX.block);
  });

  it('PUT replaces the config atomically; invalid RE2 patterns and unknown rules are refused with the path', async () => {
    const bad = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { rules: { REGEX: { action: 'block', patterns: ['(a)\\1'] } } } } });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('INVALID_FIELD');
    expect(bad.json.message).toContain('tier1.rules.REGEX.patterns');
    const unknown = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { rules: { NOPE: {} } } } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toContain('tier1.rules');
    const ok = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { rules: { KEYWORD: { action: 'block', phrases: ['free crypto'] } } } } });
    expect(ok.status).toBe(200);
    expect(await until(async () => {
      const c = await consumer();
      await c.post('get FREE  CRYPTO now');
      return (await transcript(s.url, c.engagementId)).json.messages.some((m: { kind: string }) => m.kind === 'notice');
    }, 5000)).toBe(true);
  });

  it('observe mode lets a flood through (delivered, 200) while still deciding', async () => {
    const ok = await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { mode: 'observe' } } });
    expect(ok.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const c = await consumer();
    const sts: number[] = [];
    for (let i = 0; i < 15; i++) sts.push((await c.post(`buy now buy now buy now ${i}`)).status);
    expect(sts.every((x) => x === 200)).toBe(true);
    const t = await transcript(s.url, c.engagementId);
    expect(t.json.messages.filter((m: { kind: string }) => m.kind === 'message')).toHaveLength(15);
    expect(t.json.messages.filter((m: { kind: string }) => m.kind === 'notice')).toHaveLength(0);
  });

  it('mode off disables the screen for the tenant', async () => {
    await call(s.url, 'PUT', '/admin/v1/tenants/acme/tier1', { headers: admin, body: { tier1: { mode: 'off' } } });
    await new Promise((r) => setTimeout(r, 200));
    const c = await consumer();
    expect((await c.post('XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X')).status).toBe(200);
  });
});

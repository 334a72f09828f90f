// Property: the issuer and the admin API answer 2xx or a coded 4xx to anything an integration,
// an agent desktop or an operator's script sends — random sessionInformation, random Tier-1
// documents shaped like real ones (rule names, fields and values mixed up), broken bytes — never a
// 5xx, a hang or a crash; a rejected Tier-1 document leaves the live config alone.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { basic, call, newConsumer } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  // the Tier-1 documents go to a tenant of their own (written to its file when valid); demo stays as it is
  s = await startTestServer({ configDir: tenantConfigDir({ 'fz.yaml': 'site: fz\ncredentials: [{ user: fz, password: fz }]\n' }), authMaxFailures: 0, authMaxFailuresPerAddress: 0 });
});
afterAll(async () => s?.stop());

const ISSUER = '/services/rest/crossChannelServices/latest';
const admin = { authorization: 'Bearer test-admin' };
const isFine = (r: { status: number; json: { code?: unknown } | undefined }): boolean =>
  (r.status >= 200 && r.status < 300) || (r.status >= 400 && r.status < 500 && typeof r.json?.code === 'string');

const RULES = ['LEN_MAX', 'URL_COUNT', 'URL_RATE', 'URL_DENY', 'DUP_EXACT', 'DUP_NEAR', 'CAMPAIGN_XCONV', 'EMOJI_FLOOD', 'SYMBOL_FLOOD', 'CHAR_RUN', 'CAPS', 'ZALGO', 'INVISIBLE_FLOOD', 'MIXED_SCRIPT', 'KEYWORD', 'REGEX', 'RATE_BURST', 'SLOWMODE', 'EMPTY', 'NOPE'];
const FIELDS = ['mode', 'action', 'extreme', 'block', 'flag', 'extremeAt', 'max', 'windowMs', 'phrases', 'patterns', 'allow', 'deny', 'seconds', 'burst', 'refillMs', 'cannedReplies', 'minLength', 'domain'];
const leaf = fc.oneof(
  fc.constantFrom('off', 'observe', 'enforce', 'block', 'flag', 'soft', '(a+)+$', '[', 'casino*', 'bad.example.com', '', '\u0000'),
  fc.integer({ min: -5, max: 100_000 }), fc.double(), fc.boolean(), fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('(', 'a{99999}', '*', 'x.com')), { maxLength: 4 }),
);
const rule = fc.dictionary(fc.constantFrom(...FIELDS), leaf, { maxKeys: 4 });
const tier1 = fc.record(
  {
    mode: fc.constantFrom('off', 'observe', 'enforce', 'loud', 3),
    screenAgents: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
    version: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)),
    strikes: fc.dictionary(fc.constantFrom('shortCount', 'shortWindowMs', 'longCount', 'longWindowMs', 'x'), leaf, { maxKeys: 3 }),
    notices: fc.dictionary(fc.constantFrom('slowDown', 'duplicate', 'blocked', 'terminated', 'x'), fc.oneof(fc.string({ maxLength: 20 }), fc.integer()), { maxKeys: 3 }),
    rules: fc.dictionary(fc.constantFrom(...RULES), fc.oneof(rule, leaf), { maxKeys: 4 }),
  },
  { requiredKeys: [] },
);
const anything = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1')),
);

describe('fuzzed issuer and admin requests', () => {
  it('establishSessions answers 2xx or coded 4xx to any body and sessionInformation', async () => {
    const info = fc.oneof(fc.jsonValue(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ maxLength: 30 }));
    const bodies = fc.oneof(anything, info.map((i) => JSON.stringify({ sessionInformation: i })));
    await fc.assert(
      fc.asyncProperty(bodies, async (raw) => {
        const r = await call(s.url, 'POST', `${ISSUER}/establishSessions`, { raw, headers: { authorization: basic('fz', 'fz'), 'content-type': 'application/json' } });
        expect(isFine(r), `${raw.slice(0, 60)} → ${r.status} ${r.text.slice(0, 80)}`).toBe(true);
      }),
      { numRuns: 120 },
    );
  }, 60_000);

  it('PUT tier1 answers 2xx or coded 4xx to any document, and a rejected one leaves the live config alone', async () => {
    const live = async (): Promise<string> => JSON.stringify((await call(s.url, 'GET', '/admin/v1/tenants/fz/tier1', { headers: admin })).json.tier1);
    await fc.assert(
      fc.asyncProperty(fc.oneof(tier1.map((t) => JSON.stringify({ tier1: t })), anything), async (raw) => {
        const before = await live();
        const r = await call(s.url, 'PUT', '/admin/v1/tenants/fz/tier1', { raw, headers: { ...admin, 'content-type': 'application/json' } });
        expect(isFine(r), `${raw.slice(0, 80)} → ${r.status} ${r.text.slice(0, 100)}`).toBe(true);
        if (r.status >= 400) expect(await live()).toBe(before);
      }),
      { numRuns: 150 },
    );
  }, 90_000);

  it('admin and agent-token endpoints answer coded errors to broken credentials and paths', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), fc.constantFrom('transcript', 'terminate'), async (junk, op) => {
        const ascii = junk.replace(/[^\x21-\x7e]/g, '');
        const t = await call(s.url, 'POST', `${ISSUER}/agentTokens`, { raw: '{}', headers: { authorization: `Basic ${ascii}`, 'content-type': 'application/json' } });
        expect(isFine(t)).toBe(true);
        const e = await call(s.url, op === 'transcript' ? 'GET' : 'POST', `/admin/v1/engagements/${encodeURIComponent(junk)}/${op}`, { headers: admin });
        expect(isFine(e), `${op} ${junk} → ${e.status}`).toBe(true);
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('still serves afterwards', async () => {
    const c = await newConsumer(s.url);
    expect((await c.post('still here after the fuzzing')).status).toBe(200);
  });
});

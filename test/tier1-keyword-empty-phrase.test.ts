// A KEYWORD phrase made only of invisible characters ("\u200b", a soft hyphen) normalizes to an
// empty key. It used to pass validation and compile to an empty alternative that matches at every
// word boundary: "Hi, I need help with my order." was blocked with a strike, and three ordinary
// messages ended the chat. Now such a phrase (or allow phrase) is rejected with its path, and the
// matcher ignores empty keys should one reach it anyway.
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTier1, TIER1_DEFAULTS, type ResolvedTier1Config } from '../src/config/tier1.ts';
import { initTier1 } from '../workers/tier1/index.ts';
import { harness } from './tier1-helpers.ts';
import { startTestServer } from './helpers/server.ts';
import { call } from './helpers/client.ts';

const errs = (input: unknown): string[] => {
  const r = resolveTier1(input);
  return r.ok ? [] : r.errors.map((e) => e.message);
};
const VISIBLE = 'expected a phrase with at least one visible character';

beforeAll(() => initTier1());

describe('KEYWORD phrases that normalize to nothing', () => {
  it('are rejected with their path, in phrases and in allow', () => {
    expect(errs({ rules: { KEYWORD: { phrases: ['casino', '\u200b'] } } })).toEqual([`tier1.rules.KEYWORD.phrases[1]: ${VISIBLE} (nothing is left once invisible characters are removed)`]);
    expect(errs({ rules: { KEYWORD: { phrases: ['\u00ad'] } } })[0]).toMatch(/^tier1\.rules\.KEYWORD\.phrases\[0\]: expected a phrase with at least one visible/);
    expect(errs({ rules: { KEYWORD: { phrases: ['*\u200b\u200d*'] } } })[0]).toMatch(/^tier1\.rules\.KEYWORD\.phrases\[0\]: expected a phrase with at least one visible/);
    expect(errs({ rules: { KEYWORD: { phrases: ['casino'], allow: ['ok', '\u2060'] } } })[0]).toMatch(/^tier1\.rules\.KEYWORD\.allow\[1\]: expected a phrase with at least one visible/);
    expect(errs({ rules: { KEYWORD: { phrases: ['casino'], allow: ['*'] } } })[0]).toMatch(/^tier1\.rules\.KEYWORD\.allow\[0\]: expected a phrase with at least one visible/);
    // a lone * phrase keeps its own, single error
    expect(errs({ rules: { KEYWORD: { phrases: ['**'] } } })).toEqual(['tier1.rules.KEYWORD.phrases[0]: expected words with an optional * only at the start or end']);
    expect(resolveTier1({ rules: { KEYWORD: { phrases: ['free crypto', 'cas\u200bino', '*coin', '!!!'], allow: ['bitcoin*'] } } }).ok).toBe(true);
  });

  it('over the admin API: 400 with the path', async () => {
    const s = await startTestServer();
    try {
      const put = await call(s.url, 'PUT', '/admin/v1/tenants/demo/tier1', { headers: { authorization: 'Bearer test-admin' }, body: { tier1: { rules: { KEYWORD: { action: 'block', phrases: ['\u200b'] } } } } });
      expect(put.status).toBe(400);
      expect(JSON.stringify(put.json)).toContain(`tier1.rules.KEYWORD.phrases[0]: ${VISIBLE}`);
    } finally {
      await s.stop();
    }
  });

  // bypasses validation on purpose: the matcher must not turn an empty key into "match everything"
  const unvalidated = (phrases: string[], allow: string[] = []): ResolvedTier1Config =>
    ({ ...TIER1_DEFAULTS, rules: { ...TIER1_DEFAULTS.rules, RATE_BURST: { ...TIER1_DEFAULTS.rules.RATE_BURST, mode: 'off' }, KEYWORD: { ...TIER1_DEFAULTS.rules.KEYWORD, phrases, allow } } }) as ResolvedTier1Config;

  it('the matcher ignores an empty phrase: ordinary messages pass', () => {
    const h = harness(unvalidated(['\u200b', '*\u00ad*']));
    for (const text of ['hello there', 'Hi, I need help with my order.', 'thanks!', 'Are you there?']) expect(h.screen(text).outcome).toBe('allow');
    expect(h.codes()).not.toContain('KEYWORD');
  });

  it('the matcher ignores an empty allow phrase: keywords still match', () => {
    const h = harness(unvalidated(['casino'], ['\u200b', '*']));
    expect(h.screen('best casino in town').outcome).toBe('block');
    expect(h.screen('a normal message').outcome).toBe('allow');
  });
});

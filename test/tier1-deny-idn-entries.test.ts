// A URL_DENY / allow entry names a domain however it is written: punycode (`xn--vil-qdd.com`),
// Unicode (`еvil.com` with a Cyrillic е), fullwidth, upper case or stretched, each matches the
// message hosts that are that domain. Message hosts are de-obfuscated (IDN → confusable skeleton,
// runs cut to 3) and entries were only lower-cased, so before, a punycode or Unicode entry was
// accepted and matched nothing — not even a message with the identical text. Entries are now
// normalized like a message's host when the config is compiled; one that is no host name after
// that is rejected with its path.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1, resolveTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);

describe('URL_DENY entries in IDN forms', () => {
  const messages = ['go to evil.com now', 'go to еvil.com now', 'go to xn--vil-qdd.com now', 'go to https://www.xn--vil-qdd.com/x', 'go to ＥＶＩＬ.com'];
  for (const entry of ['evil.com', 'xn--vil-qdd.com', 'еvil.com', 'ЕVIL.COM', 'ｅｖｉｌ.ｃｏｍ', 'XN--VIL-QDD.COM']) {
    it(`deny ${JSON.stringify(entry)} withholds every spelling of the domain`, () => {
      const h = harness(cfg({ rules: { URL_DENY: { deny: [entry] } } }));
      messages.forEach((m, i) => expect(h.screen(m, { senderKey: `s${i}`, engagementId: `e${i}` }).outcome, m).toBe('block'));
      expect(h.screen('go to devil.com now', { senderKey: 'other', engagementId: 'eo' }).outcome).not.toBe('block');
    });
  }

  it('an allow entry in Unicode exempts the same host written in ASCII', () => {
    const h = harness(cfg({ rules: { URL_DENY: { deny: ['evil.com'], allow: ['docs.еvil.com'] } } }));
    expect(h.screen('see docs.evil.com/help', { senderKey: 'a', engagementId: 'ea' }).outcome).not.toBe('block');
    expect(h.screen('see www.evil.com/help', { senderKey: 'b', engagementId: 'eb' }).outcome).toBe('block');
  });

  it('an entry with a stretched label matches the host as messages are read (runs cut to 3)', () => {
    const h = harness(cfg({ rules: { URL_DENY: { deny: ['baaaad.com'] } } }));
    expect(h.screen('go to baaaad.com now').outcome).toBe('block');
  });

  it('the config keeps the entries as written', () => {
    const r = resolveTier1({ rules: { URL_DENY: { deny: ['xn--vil-qdd.com', { domain: 'еvil.net', extreme: true }], allow: ['ＯＫ.com'] } } });
    expect(r.ok && r.value.rules.URL_DENY).toMatchObject({ deny: [{ domain: 'xn--vil-qdd.com', extreme: false }, { domain: 'еvil.net', extreme: true }], allow: ['ｏｋ.com'] });
  });

  it('an entry that is no host name once normalized is rejected with its path', () => {
    const r = resolveTier1({ rules: { URL_DENY: { deny: ['-evil.com', { domain: 'xn--.com' }, 'ok.com'], allow: ['ok.123'] } } });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['tier1.rules.URL_DENY.deny[0]', 'tier1.rules.URL_DENY.deny[1].domain', 'tier1.rules.URL_DENY.allow[0]']);
  });
});

// A token with a scheme is a link, and its host is what follows the userinfo: browsers open
// spamsite.com for `https://foo@spamsite.com/win` and `http://www.acme.com@spamsite.com/` (the
// classic look-alike). Before, such tokens were read as e-mail addresses (checked before links), so
// URL_DENY and URL_COUNT never saw them: with `spamsite.com` denied, all three below were
// delivered, and 21 userinfo links were delivered instead of terminating.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
const denied = () => harness(cfg({ rules: { URL_DENY: { deny: ['spamsite.com'] } } }));

describe('links with userinfo', () => {
  for (const t of ['see https://foo@spamsite.com/win', 'see http://www.acme.com@spamsite.com/', 'see http://user:pw@spamsite.com', 'see https://a@b@spamsite.com:8080/x']) {
    it(`${JSON.stringify(t)} is one link to spamsite.com and is withheld`, () => {
      const v = analyze(t);
      expect(v.urls.map((u) => u.host)).toEqual(['spamsite.com']);
      expect(v.strongUrls).toBe(1);
      expect(v.masked).toBe('see <url>');
      const h = denied();
      expect(h.screen(t).outcome).toBe('block');
      expect(h.codes()).toContain('URL_DENY');
    });
  }

  it('4 userinfo links block on URL_COUNT, 21 terminate', () => {
    const links = (n: number) => Array.from({ length: n }, (_, i) => `https://x@s${i}.com/p`).join(' ');
    expect(analyze(links(4)).strongUrls).toBe(4);
    expect(harness().screen(links(4)).outcome).toBe('block');
    expect(harness().screen(links(21)).outcome).toBe('terminate');
  });

  it('a Markdown link followed by an address: both hosts are checked against the deny list', () => {
    // rendered, the link goes to spamsite.com; as plain text a linkifier may take the whole token
    const t = '[x](https://spamsite.com)@ok.com';
    expect(analyze(t).urls.map((u) => u.host).sort()).toEqual(['ok.com', 'spamsite.com']);
    expect(analyze(t).strongUrls).toBe(1);
    expect(denied().screen(t).outcome).toBe('block');
    expect(denied().screen('https://ok.com)@spamsite.com').outcome).toBe('block');
  });

  it('e-mail addresses, mailto: and handles are still addresses, not links', () => {
    for (const t of ['write to bob@spamsite.com', 'mailto:bob@spamsite.com', 'ping @spamsite.com', 'me: first.last@mail.example.co.uk']) {
      const v = analyze(t);
      expect(v.urls, t).toEqual([]);
      expect(v.masked, t).toContain('<at>');
      expect(v.contact, t).toBe(true);
    }
  });
});

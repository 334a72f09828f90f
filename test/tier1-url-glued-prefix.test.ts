// A link is a link wherever its scheme starts in a token: a Markdown link `[x](https://…)`, an HTML
// href, `see:https://…`, `url=https://…`, `»https://…` are clickable in rich-text fronts and found
// by linkifiers. Before, the scheme was recognised only within the first 6 characters of the token
// (after a few stripped brackets): with `spamsite.com` denied, `see https://spamsite.com/x` was
// withheld and all of these were delivered, and 21 Markdown links were delivered where 21 plain
// ones terminate. The closing `)` or quote is not part of the host.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
const denied = () => harness(cfg({ rules: { URL_DENY: { deny: ['spamsite.com'] } } }));
const hosts = (t: string): string[] => analyze(t).urls.map((u) => u.host);

describe('links glued to what comes before the scheme', () => {
  const glued = [
    'see [click](https://spamsite.com/x)',
    'see <a href="https://spamsite.com/x">here</a>',
    'see <a href="https://spamsite.com">here</a>',
    "see <a href='http://spamsite.com'>here</a>",
    'see:https://spamsite.com/x',
    'see `https://spamsite.com/x`',
    'url=https://spamsite.com/x',
    '»https://spamsite.com/x',
    '—https://spamsite.com/x',
    '“https://spamsite.com”',
    '1.https://spamsite.com/x',
    'clickhttps://spamsite.com/x',
    'see [click](hxxps://spamsite[.]com)',
  ];
  for (const t of glued) {
    it(`${JSON.stringify(t)}: the denied host is found (and nothing stuck to it) and the post is withheld`, () => {
      expect(hosts(t)).toEqual(['spamsite.com']);
      expect(analyze(t).strongUrls).toBe(1);
      const h = denied();
      expect(h.screen(t).outcome).toBe('block');
      expect(h.codes()).toContain('URL_DENY');
    });
  }

  it('21 Markdown links terminate like 21 plain ones, also written without spaces between them', () => {
    const md = Array.from({ length: 21 }, (_, i) => `[x](https://s${i}.com/p)`);
    expect(analyze(md.join(' ')).strongUrls).toBe(21);
    expect(harness().screen(md.join(' ')).outcome).toBe('terminate');
    expect(analyze(md.join('')).strongUrls).toBe(21);
    expect(harness().screen(md.join('')).outcome).toBe('terminate');
    expect(hosts(md.slice(0, 3).join(''))).toEqual(['s0.com', 's1.com', 's2.com']);
  });

  it('a denied link behind an open redirect is found; the redirect counts as its own link', () => {
    expect(hosts('https://www.google.com/url?q=https://spamsite.com/x')).toEqual(['www.google.com', 'spamsite.com']);
    expect(denied().screen('go https://www.google.com/url?q=https://spamsite.com/x').outcome).toBe('block');
  });

  it('a scheme host with an underscore in a label (browsers open it) is a link', () => {
    expect(hosts('see https://a_b.spamsite.com/x')).toEqual(['a_b.spamsite.com']);
    expect(denied().screen('see https://a_b.spamsite.com/x').outcome).toBe('block');
  });

  it('scheme-less www links after a glued prefix, and bare hosts in typographic quotes or guillemets', () => {
    for (const t of ['url=www.spamsite.com/x', 'see:www.spamsite.com', '[click](www.spamsite.com)', '»www.spamsite.com«', '“spamsite.com”', '«spamsite.com»']) {
      expect(hosts(t), t).toEqual([t.includes('www') ? 'www.spamsite.com' : 'spamsite.com']);
      expect(denied().screen(t).outcome, t).toBe('block');
    }
  });

  it('text and code that only look glued stay what they are', () => {
    for (const t of ['ratio was 1:2.5 today', 'meet at 10:30.ok', 'Re:hello.there', 'see readme.md:12', 'foo::bar.baz()', 'ftp:', 'http://', 'http://localhost/x', 'x=foo.bar(1)', 'a.b;c']) {
      expect(analyze(t).urls, t).toEqual([]);
    }
  });
});

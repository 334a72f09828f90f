// A bare host glued to the word before it by a symbol, with no scheme or `www.` (`see:spam.com`,
// `url=spam.com`, `hi,spam.com`, `see»spam.com`), is read as a link by the same rule as the host
// standing alone: a reader (and a linkifier) sees `spam.com`. Before, only a www host was taken
// there, so with `spamsite.com` denied, `see spamsite.com` was withheld and `see:spamsite.com` was
// delivered; and `see»spamsite.com` was read as the one host `see»spamsite.com`, which no entry
// names. Brackets and quotes before a host (`(spam.com)`, `"spam.com"`, `>spam.com`, `=spam.com`)
// were already stripped. Code and file names stay what they were: the suffix must pass the
// free-standing rule (`app.js`, `value.txt`, `10.30` do not), the word must end in a letter
// (`10:30.ok` is a time), and `( [ { <` after a word (a call, an index: `get(user.id)`) glue nothing.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { blankView } from '../workers/tier1/analysis.ts';
import { analyzeAscii } from '../workers/tier1/asciiFast.ts';
import { cfg, harness, linksOf } from './tier1-helpers.ts';

beforeAll(initTier1);
const denied = () => harness(cfg({ rules: { URL_DENY: { deny: ['spamsite.com'] } } }));

const links = linksOf;

describe('a bare host glued after a word by a symbol', () => {
  const glued = [
    'see:spamsite.com', 'url=spamsite.com', 'hi,spamsite.com', 'see;spamsite.com', 'go!spamsite.com', 'go?spamsite.com',
    'a|spamsite.com', 'see*spamsite.com', 'see~spamsite.com', 'a>spamsite.com', 'SEE:SPAMSITE.COM', 'visit:spamsite.com/x',
    'see:"spamsite.com"', '{"url":"spamsite.com"}', 'see:(spamsite.com)', 'see:spamsite[.]com', 'see:spamsite.com:8080/x',
    'see»spamsite.com', 'see—spamsite.com', 'see•spamsite.com', 'see、spamsite.com', 'voir：spamsite.com', 'смотри:spamsite.com',
  ];
  for (const t of glued) {
    it(`${JSON.stringify(t)}: the denied host is found (and nothing of the word) and the post is withheld`, () => {
      expect(links(`go to ${t} now`)).toEqual(['spamsite.com']);
      expect(analyze(t).strongUrls).toBe(1);
      const h = denied();
      expect(h.screen(t).outcome).toBe('block');
      expect(h.codes()).toContain('URL_DENY');
    });
  }

  it('brackets and quotes before a free-standing host were already stripped, and still are', () => {
    for (const t of ['(spamsite.com)', '"spamsite.com"', '>spamsite.com', '=spamsite.com', '[spamsite.com]']) expect(links(t), t).toEqual(['spamsite.com']);
  });

  it('4 glued hosts block on URL_COUNT like 4 free-standing ones; a word-suffix host stays weak as it does alone', () => {
    expect(harness().screen('a:one-shop.com b:two-shop.com c:three-shop.com d:four-shop.com').outcome).toBe('block');
    expect(harness().screen('one-shop.com two-shop.com three-shop.com four-shop.com').outcome).toBe('block');
    expect(links('ok,bye.love')).toEqual(['bye.love(weak)']);
    expect(links('bye.love')).toEqual(['bye.love(weak)']);
  });

  it('the ASCII fast pass reads them itself', () => {
    for (const t of ['see:spamsite.com now', 'url=spamsite.com', 'hi,spamsite.com']) expect(analyzeAscii(blankView(), t, Infinity), t).toBe(true);
  });

  it('a glued host is read exactly as the same text standing alone (property, over hosts, code and file names)', () => {
    const label = fc.stringOf(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), { minLength: 1, maxLength: 8 });
    const suffix = fc.constantFrom('com', 'net', 'io', 'co.uk', 'love', 'you', 'ok', 'js', 'py', 'md', 'txt', 'name', 'id', 'app', 'zip', 'java', 'x', '30', 'com/x', 'com/?a=1');
    const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), suffix).map(([ls, s]) => `${ls.join('.')}.${s}`);
    const text = fc.oneof(host, fc.constantFrom('app.js', 'value.txt', '10.30', 'hello.there', 'readme.md', 'com.example.foo', 'foo.bar(1)', 'a.b;c', 'user@mail.com', 'www.spamsite.com'));
    const word = fc.stringOf(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), { minLength: 0, maxLength: 5 }).map((w) => `${w}e`);
    fc.assert(fc.property(word, fc.constantFrom(...':=,;!?>"*~|'), text, (w, g, h) => {
      expect(links(`see ${w}${g}${h} now`), `${w}${g}${h}`).toEqual(links(`see ${h} now`));
    }), { numRuns: 3000 });
  });

  it('code and file names glued to a word stay no links', () => {
    for (const t of ['config:app.js', 'key=value.txt', 'time:10.30', 'meet at 10:30.ok', 'Re:hello.there', 'see readme.md:12', 'x=foo.bar(1)', 'foo::bar.baz()',
      'at Foo.bar(Foo.java:42)', 'java.lang.NullPointerException:null', 'file:report.pdf', 'color:red;margin:0.5em', 'name:John.Smith', 'ratio=16:9.5']) {
      expect(links(t), t).toEqual([]);
    }
  });

  it('after ( [ { < (a call, an index, a type), an apostrophe, or a name, path, address or query character, nothing is glued', () => {
    for (const t of ['get(spamsite.com)', 'arr[spamsite.com]', 'map{spamsite.com}', 'List<spamsite.com>', "it's.spamsite.com", 'obj.url=spamsite.com', 'path/to/spamsite.com',
      'a@spamsite.com', 'a#spamsite.com', 'a%spamsite.com', 'a&spamsite.com', 'a+spamsite.com', 'a$spamsite.com', 'a^spamsite.com', 'a_spamsite.com', 'a\\spamsite.com', 'a`spamsite.com']) {
      expect(analyze(t).urls.map((u) => u.host), t).not.toContain('spamsite.com');
    }
  });
});

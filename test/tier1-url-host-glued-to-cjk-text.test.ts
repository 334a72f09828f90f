// A bare host written straight after or before text of a script that puts no spaces between
// words — Chinese, Japanese, Thai — or Korean, whose particles are written onto the word before
// them (`请访问spam.com`, `詳細はspam.comへ`, `spam.com에서`, `ดูที่spam.comครับ`), is read as the
// host a reader sees: that text separates words as a space would. Before, a host label took any
// non-ASCII letter, so with `spamsite.com` denied, `请访问spamsite.com` was read as the one host
// `请访问spamsite.com` (which no entry names) and delivered, and `spamsite.com请访问` as no link
// at all (no top-level domain `com请访问`). Hosts whose labels are in those scripts (`例子.com`,
// `中文.中国`) stay whole, as do Latin IDN hosts (`münchen.de`), and a host after a scheme is read as
// before but for text glued after its last label (`http://spam.com请访问`).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness, linksOf } from './tier1-helpers.ts';

beforeAll(initTier1);
const denied = () => harness(cfg({ rules: { URL_DENY: { deny: ['spamsite.com'] } } }));

const links = linksOf;

describe('a bare host glued to Chinese, Japanese, Korean or Thai text', () => {
  const glued = [
    // text before the host
    '请访问spamsite.com', '請訪問spamsite.com', '点击spamsite.com/x', '詳細はspamsite.com', 'カタカナspamsite.com', '스팸은spamsite.com',
    'ดูที่spamsite.com', 'คลิกspamsite.com', 'ทางspamsite.com', '请访问以下spamsite.com', '详情如下：spamsite.com', 'みなさんspamsite.com',
    '网址:spamsite.com', '你好？spamsite.com', '请访问「spamsite.com」', '点击www.spamsite.com',
    // text after it
    'spamsite.com请访问', 'spamsite.comです', 'spamsite.comへ', 'spamsite.com에서', 'spamsite.com는', 'spamsite.comครับ', 'spamsite.comค่ะ', 'spamsite.comนะ',
    'spamsite.com下载', 'spamsite.com。谢谢', 'spamsite.com，谢谢', 'spamsite.com、其他', 'spamsite.com.谢谢', 'spamsite.com/下载',
    // both, and the dot written as a fullwidth full stop (an ideographic one makes no counted
    // link, only a denied one: test/tier1-ideographic-full-stop-ends-a-sentence.test.ts)
    '詳細はspamsite.comへ', '请访问spamsite.com谢谢', 'สมัครที่spamsite.comเลย', '请访问spamsite．com', '请访问ｓｐａｍｓｉｔｅ．ｃｏｍ',
    '请访问SPAMSITE.COM。',
  ];
  for (const t of glued) {
    it(`${JSON.stringify(t)}: the denied host is found (and nothing of the text) and the post is withheld`, () => {
      expect(links(`${t} 谢谢`)).toEqual([t.includes('www.') ? 'www.spamsite.com' : 'spamsite.com']);
      expect(analyze(t).strongUrls).toBe(1);
      const h = denied();
      expect(h.screen(t).outcome).toBe('block');
      expect(h.codes()).toContain('URL_DENY');
    });
  }

  it('after a scheme, text glued after the last label is no part of the host', () => {
    for (const t of ['http://spamsite.com请访问', 'https://spamsite.comです', 'http://spamsite.com下载', 'http://spamsite.comครับ', 'http://spamsite.com에서']) {
      expect(links(t), t).toEqual(['spamsite.com']);
      expect(denied().screen(t).outcome, t).toBe('block');
    }
  });

  it('every host separated by such text is read, not only the first (a decoy first host hides nothing)', () => {
    expect(links('请访问good-shop.com或spamsite.com')).toEqual(['good-shop.com', 'spamsite.com']);
    expect(links('好example.org好spamsite.com好')).toEqual(['example.org', 'spamsite.com']);
    expect(denied().screen('好example.org好spamsite.com好').outcome).toBe('block');
  });

  it('hosts whose labels are in those scripts, and Latin IDN hosts, stay whole hosts (as after a scheme)', () => {
    for (const idn of ['例子.com', '中文.中国', 'www.例子.com', 'ไทย.com', '日本語.jp', '下载.com', 'münchen.de', 'abc例子.com', '访问例子.com']) {
      expect(links(idn), idn).toEqual(links(`http://${idn}/`));
      expect(links(idn), idn).toHaveLength(1);
    }
    expect(links('例子.com')).toEqual(['例子.com']);
    expect(links('http://пример.рф/')).toEqual(links('http://xn--e1afmkfd.xn--p1ai/'));
    expect(links('http://пример.рф/')).toHaveLength(1);
    // text glued after one is not part of it
    expect(links('例子.com请访问')).toEqual(links('例子.com'));
  });

  it('code and file names glued to that text stay no links, as they are with spaces', () => {
    for (const t of ['参见app.js文件', '使用readme.md', '请运行main.py', '版本v1.2中', '配置config.json里', 'Node.jsのバージョン', '请把10.30改成11.00',
      '日本語テキスト。次の文', '我用的是iPhone.谢谢', '联系abc@mail.com谢谢']) {
      expect(links(t), t).toEqual([]);
    }
  });

  it('the host glued to that text is read as the same host written with spaces around it (property)', () => {
    const label = fc.stringOf(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), { minLength: 2, maxLength: 8 });
    const suffix = fc.constantFrom('com', 'net', 'io', 'co.uk', 'love', 'cn', 'jp', 'xyz', 'com/x', 'com/?a=1', 'com/下载');
    const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), suffix).map(([ls, s]) => `${ls.join('.')}.${s}`);
    const before = fc.constantFrom('请访问', '以下', '如下：', '詳細は', 'みなさん', 'カタカナ', '스팸은', 'ดูที่', 'คลิก', 'ทาง', '你好？', '网址:', '「');
    const after = fc.constantFrom('', '谢谢', 'です', 'へ', '에서', 'ครับ', 'ค่ะ', 'นะ', '下载', '。', '，谢谢', '」', '.谢谢');
    fc.assert(fc.property(before, host, after, (b, h, a) => {
      expect(links(`${b}${h}${a}`), `${b}${h}${a}`).toEqual(links(`${b} ${h} ${a}`));
    }), { numRuns: 3000 });
  });
});

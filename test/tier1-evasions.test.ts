// tier1.md §4: evasion classes must be caught, and real text must pass untouched.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1, analyze } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
const kw = () => cfg({ rules: { KEYWORD: { action: 'block', phrases: ['free crypto', 'whatsapp me', 'casino*'], allow: ['scunthorpe'] }, URL_DENY: { deny: ['evil-shop.com', { domain: 'worse-shop.net', extreme: true }] } } });

describe('evasions are folded into the key', () => {
  const cases: [string, string][] = [
    ['zero-width insertion', 'fr\u200Bee cr\u200Cy\u200Dpto'],
    ['Cyrillic homoglyphs', 'frее сrурtо'],
    ['fullwidth', 'Ｆｒｅｅ ｃｒｙｐｔｏ'],
    ['mathematical bold', '𝐟𝐫𝐞𝐞 𝐜𝐫𝐲𝐩𝐭𝐨'],
    ['small capitals', 'ꜰʀᴇᴇ ᴄʀʏᴘᴛᴏ'],
    ['spaced letters', 'f r e e crypto'],
    ['dotted letters', 'f.r.e.e c.r.y.p.t.o'],
    ['leetspeak', 'fr33 crypt0'],
    ['stretching', 'freeeeeee cryyyyypto'],
    ['light zalgo', 'f\u0301r\u0302e\u0303e c\u0301rypto'],
  ];
  for (const [name, text] of cases) {
    it(`KEYWORD catches ${name}`, () => {
      const h = harness(kw());
      expect(h.screen(`get ${text} now`).outcome).toBe('block');
      expect(h.codes()).toContain('KEYWORD');
    });
  }
  it('wildcard suffix matches, and the allow list wins', () => {
    const h = harness(kw());
    expect(h.screen('best casinoroyale deals').outcome).toBe('block');
    const g = harness(cfg({ rules: { KEYWORD: { phrases: ['*cunt*'], allow: ['scunthorpe'] } } }));
    expect(g.screen('I live in Scunthorpe').outcome).toBe('allow');
  });
});

describe('URL obfuscation', () => {
  const hosts: [string, string][] = [
    ['example[.]com', 'example.com'], ['hxxp://evil-shop.com/x', 'evil-shop.com'], ['example(dot)com', 'example.com'],
    ['example．com', 'example.com'], ['shop.xyz', 'shop.xyz'], ['bit.ly/abc', 'bit.ly'], ['https://еvil-shop.com', 'evil-shop.com'],
    ['www.%65vil-shop.com', 'www.evil-shop.com'], ['example . com', 'example.com'], ['http:∕∕site.example∕a', 'site.example'],
  ];
  for (const [text, host] of hosts) {
    it(`recognizes ${text}`, () => {
      expect(analyze(`see ${text} today`).urls.map((u) => u.host)).toContain(host);
    });
  }
  it('deny list matches subdomains of the de-obfuscated host; extreme entries terminate', () => {
    const h = harness(kw());
    expect(h.screen('go to hxxp://a.b.evil-shop[.]com/now').outcome).toBe('block');
    expect(h.screen('go to worse-shop(dot)net please', { senderKey: 'bob' }).outcome).toBe('terminate');
  });
  it('more than 3 strong URLs block; more than 20 terminate', () => {
    const h = harness();
    expect(h.screen('shop.com news.net mail.org store.io').outcome).toBe('block');
    const many = Array.from({ length: 21 }, (_, i) => `site${i}.com`).join(' ');
    expect(h.screen(many, { senderKey: 'bob' }).outcome).toBe('terminate');
  });
  it('code identifiers are not links', () => {
    expect(analyze('at com.example.Foo.bar(Foo.java:42) see readme.md').urls).toHaveLength(0);
  });
});

describe('floods and invisibles', () => {
  it('ZALGO blocks > 8 marks on one base (NFC absorbs one into é first)', () => {
    expect(harness().screen('he' + '\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309' + 'llo').outcome).toBe('block');
  });
  it('INVISIBLE_FLOOD blocks > 20 invisibles and flags bidi overrides', () => {
    expect(harness().screen('hello' + '\u200B'.repeat(21) + ' there').outcome).toBe('block');
    const h = harness();
    expect(h.screen('invoice \u202Efdp.exe').outcome).toBe('flag');
    expect(h.codes()).toContain('INVISIBLE_FLOOD');
  });
  it('emoji sequences count once and are not invisible or marks', () => {
    const v = analyze('👨‍👩‍👧 ❤️ 🇺🇸 1️⃣');
    expect(v.emoji).toBe(4);
    expect(v.invisibles).toBe(0);
    expect(v.maxMarks).toBe(0);
  });
  it('EMOJI_FLOOD blocks more than 30 emoji, including 31 flags', () => {
    expect(harness().screen('🇺🇸'.repeat(31)).outcome).toBe('block');
    expect(harness().screen('nice 👍').outcome).toBe('allow');
  });
  it('SYMBOL_FLOOD and CHAR_RUN block floods', () => {
    expect(harness().screen('#$%&*+=<>^~|'.repeat(6)).outcome).toBe('block');
    expect(harness().screen('a'.repeat(250)).outcome).toBe('block');
  });
  it('NBSP, ideographic, braille and Hangul-filler blanks are an empty message, not a strike', () => {
    const r = harness().screen('\u00A0\u3000\u2800\u3164 \u200B');
    expect(r.reject).toBe('EMPTY_MESSAGE');
    expect(r.strike).toBe(false);
  });
  it('MIXED_SCRIPT flags three spoofed words with a strike', () => {
    const r = harness().screen('your раураl ассоunt is lосkеd');
    expect(r.outcome).toBe('flag');
    expect(r.strike).toBe(true);
  });
  it('duplicate-defeating noise still matches the near-duplicate key', () => {
    const a = analyze('Win a prize now, call 0800123456 😀');
    const b = analyze('Win a prize now, call 0800999999 😃\u200B');
    expect(a.masked).toBe(b.masked);
  });
});

describe('real text passes', () => {
  const ok: [string, string][] = [
    ['Vietnamese', 'Xin chào, tôi muốn hỏi về đơn hàng của tôi. Khi nào thì được giao ạ? Cảm ơn bạn rất nhiều!'],
    ['Arabic', 'مَرْحَبًا، أُرِيدُ الاسْتِفْسَارَ عَنْ طَلَبِي. مَتَى سَيَصِلُ؟ شُكْرًا جَزِيلًا'],
    ['CJK', '你好，我想查询一下我的订单。什么时候能送到？谢谢！こんにちは、注文について質問があります。'],
    ['Russian', 'Здравствуйте! Мой заказ до сих пор не доставлен. Подскажите, пожалуйста, когда его ждать?'],
    ['Hindi', 'नमस्ते, मेरा ऑर्डर अभी तक नहीं आया है। कृपया स्थिति बताइए। धन्यवाद'],
    ['Scunthorpe words', 'The assassin in Scunthorpe ordered a cocktail in Essex, then a Sussex class.'],
    ['code snippet', 'try this: `const x = arr.filter((a) => a.id !== 3).map(f); if (x.length) { return x[0]; }`'],
  ];
  for (const [name, text] of ok) {
    it(`${name} is allowed with no rule hit`, () => {
      const h = harness(kw());
      expect(h.screen(text).outcome).toBe('allow');
      expect(h.codes()).toEqual([]);
    });
  }
  it('a long pasted stack trace under the cap is delivered', () => {
    const frame = (i: number) => `    at com.example.service.OrderService.process${i}(OrderService.java:${100 + i})`;
    const trace = 'java.lang.IllegalStateException: order not found\n' + Array.from({ length: 40 }, (_, i) => frame(i)).join('\n');
    expect(trace.length).toBeLessThan(4000);
    const r = harness(kw()).screen(trace);
    expect(['allow', 'flag']).toContain(r.outcome);
  });
});

describe('sentence run-ons vs bare hosts (word-like public suffixes)', () => {
  it('a missing space after a full stop is not a strong URL ("her.love", "time.You", "her.My")', () => {
    for (const t of ['I miss her.love you', 'See you next time.You ok?', 'Tell her.My phone died', 'Hello.How are you']) {
      const v = analyze(t);
      expect(v.strongUrls).toBe(0);
      expect(v.contact).toBe(false);
    }
    const h = harness();
    expect(h.screen('I miss her.love you so much').outcome).toBe('allow');
    expect(h.codes()).toEqual([]);
  });
  it('word-suffix hosts still count with a scheme, www or a path, and still match the deny list', () => {
    expect(analyze('go to https://cheap.love now').strongUrls).toBe(1);
    expect(analyze('go to www.cheap.love now').strongUrls).toBe(1);
    expect(analyze('go to cheap.love/deal now').strongUrls).toBe(1);
    const h = harness(cfg({ rules: { URL_DENY: { deny: ['cheap.love'] } } }));
    expect(h.screen('buy at cheap.love today').outcome).toBe('block');
  });
  it('scheme-less new-gTLD hosts that are not words stay strong', () => {
    for (const t of ['buy at cheap-meds.xyz', 'see shop.xyz now', 'win at quiz.win', 'visit example[.]com']) expect(analyze(t).strongUrls).toBe(1);
  });
});

describe('URL parsing cap', () => {
  it('stops parsing past URL_COUNT.extremeAt when enforced — the message terminates either way', () => {
    const many = Array.from({ length: 60 }, (_, i) => `host${i}.com`).join(' ');
    expect(analyze(many).strongUrls).toBe(60);
    expect(analyze(many, 20).strongUrls).toBe(21);
    expect(harness().screen(many).outcome).toBe('terminate');
  });
});

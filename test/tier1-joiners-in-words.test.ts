// tier1.md §4: real text must pass, Arabic script and Indic scripts included. ZWNJ (U+200C) and
// ZWJ (U+200D) are part of how Persian, Urdu, Kurdish and the Indic scripts spell words
// (`می‌خواهم`, `সফট‌ওয়্যার`, `ශ්‍රී`); between two letters of those scripts, or after a virama, they
// are not invisible characters. Everywhere else — runs of them, between Latin letters, next to a
// space — INVISIBLE_FLOOD counts them as before.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { harness } from './tier1-helpers.ts';

beforeAll(initTier1);

const joiners = (t: string) => [...t].filter((c) => c === '\u200c' || c === '\u200d').length;

// An ordinary Persian customer message: 381 code points, 22 ZWNJ (the tester's paragraph).
const persian = 'سلام، من می‌خواهم بدانم که سفارش‌هایم کی می‌رسند. من دو هفته پیش سفارش‌ها را ثبت کردم و هنوز هیچ خبری نشده است. می‌توانید به من کمک کنید؟ کتاب‌ها و دفترچه‌ها و مداد‌ها و خودکار‌ها را می‌خواستم. همچنین می‌خواهم بدانم آیا می‌شود آدرس را تغییر داد؟ خانه‌ام عوض شده و نامه‌ها به خانه‌ی قبلی می‌روند. ممنون می‌شوم اگر پاسخ بدهید. کارت‌های هدیه‌ام هم کار نمی‌کنند و پیام‌های خطا می‌دهند.';
// Urdu, with ZWNJ where Urdu typists put it.
const urdu = 'السلام علیکم، میں نے دو ہفتے پہلے آرڈر کیا تھا لیکن ابھی تک نہیں ملا۔ براہ‌کرم بتائیں کہ میرا آرڈر کب پہنچے گا؟ شکریہ‌ ادا کرتا ہوں۔';
// Sinhala: the rakaransaya and yansaya forms are al-lakuna + ZWJ + ra/ya (22 ZWJ).
const sinhala = 'ශ්‍රී ලංකාවේ ප්‍රධාන කාර්යාලයට මගේ ප්‍රශ්නය යොමු කරන්න. මගේ ඇණවුමේ ප්‍රමාදය ගැන ප්‍රතිචාරයක් නැත. ප්‍රවාහන ක්‍රමය සහ ප්‍රමාණය ගැන ව්‍යාපාරයේ ප්‍රකාශය ප්‍රසිද්ධ කරන්න. විද්‍යාලයේ ද්‍රව්‍ය ප්‍රදේශයට ග්‍රාහකයාට ක්‍රියාවලිය අනුව ප්‍රයෝජනවත් වේ. ශ්‍රේණිය සහ ක්‍රීඩා ප්‍රවෘත්ති ද ප්‍රකාශ කරන්න.';
// Malayalam in the old chillu encoding (virama + ZWJ, often at the end of a word).
const malayalam = 'നമസ്കാരം, എന്‍റെ ഓര്‍ഡര്‍ ഇതുവരെ എത്തിയില്ല. അവന്‍ പറഞ്ഞത് രണ്ടു ദിവസത്തിനുള്ളില്‍ എത്തുമെന്നാണ്. ദയവായി എന്‍റെ ഓര്‍ഡറിന്‍റെ നില അറിയിക്കാമോ? കൊച്ചിയില്‍ നിന്ന് ഞാന്‍ വീണ്ടും വിളിക്കാം. നന്ദി, അവള്‍ക്കും അവന്‍റെ കൂട്ടുകാര്‍ക്കും.';
// Bengali: ra-phala after র with ZWJ (র‍্যা), and ZWNJ between parts of a compound.
const bengali = 'নমস্কার, আমি র‍্যাপিং পেপার আর র‍্যাক অর্ডার করেছিলাম। সফট‌ওয়্যার আপডেটের পর র‍্যাম দেখাচ্ছে না। দয়া করে র‍্যাঙ্কিং তালিকা আর র‍্যালির সময়সূচি পাঠাবেন। ধন্যবাদ।';
// Hindi / Marathi: explicit half forms (virama + ZWJ) and the eyelash ra (र्‍).
const marathi = 'नमस्कार, माझी ऑर्डर अजून आली नाही. कर्‍हाडच्या दुकानातून सर्‍या वस्तू पाठवा. पुढार्‍यांनी सांगितलं की क्‍ष आणि द्‍व अशी अक्षरे वेगळी दिसतात. धन्यवाद.';

describe('joiners that spell a word are not invisible characters', () => {
  const texts: [string, string, number][] = [['Persian', persian, 22], ['Urdu', urdu, 1], ['Sinhala', sinhala, 21], ['Malayalam', malayalam, 12], ['Bengali', bengali, 6], ['Marathi / Hindi', marathi, 5]];
  for (const [name, text, atLeast] of texts) {
    it(`${name}: a real message is delivered with no rule hit`, () => {
      expect(joiners(text)).toBeGreaterThanOrEqual(atLeast);
      expect(analyze(text).invisibles).toBe(name === 'Urdu' ? 1 : 0); // Urdu's `شکریہ‌ ` has one before a space
      const h = harness();
      expect(h.screen(text).outcome).toBe('allow');
      expect(h.codes()).toEqual([]);
    });
  }

  it('three Persian messages in a row from one customer: no block, no strike, no termination', () => {
    const h = harness();
    const outs = [persian, persian.replace('سلام', 'درود'), persian.replace('سلام', 'سلام دوباره')].map((t) => h.screen(t));
    expect(outs.map((o) => o.outcome)).toEqual(['allow', 'allow', 'allow']);
    expect(outs.filter((o) => o.strike)).toHaveLength(0);
  });
});

describe('invisible characters are still counted', () => {
  it('between Latin letters, in runs, next to spaces, at the ends', () => {
    expect(analyze('fr\u200cee cr\u200dypto').invisibles).toBe(2);
    expect(analyze('می\u200c\u200cخواهم').invisibles).toBe(2);
    expect(analyze('می\u200c خواهم \u200cسلام\u200c').invisibles).toBe(3);
    expect(analyze('سلام\u200chello').invisibles).toBe(1);
    expect(analyze('क\u200dx').invisibles).toBe(1);
  });

  it('other invisibles inside Persian or Hindi words are counted', () => {
    expect(analyze('می\u200bخواهم नम\u200bस्ते').invisibles).toBe(2);
  });

  it('INVISIBLE_FLOOD still blocks stuffed Latin words and joiner runs in any script', () => {
    expect(harness().screen('f' + 'r\u200c'.repeat(21) + 'ee').outcome).toBe('block');
    expect(harness().screen('سلام' + '\u200c'.repeat(21) + 'دوست').outcome).toBe('block');
    expect(harness().screen(persian + '\u200b'.repeat(21)).outcome).toBe('block');
    expect(harness().screen('नमस्ते' + '\u200d'.repeat(22)).outcome).toBe('block');
  });
});

// In Chinese and Japanese the ideographic full stop `。` (halfwidth `｡`) is the sentence full stop,
// so `…最新版iOS。Android用户…` is two sentences, not the host `ios.android` (a real top-level
// domain). Since text of those scripts separates words like a space (dfc4aef), a `。` between two
// Latin words made a strong link of them: an agent sending that canned reply to 8 chats a minute
// was flagged (URL_COUNT), then blocked (URL_RATE, strikes) and ejected. A `。` makes no counted
// link now; a host spelled with one (`spam。com`) is still matched against URL_DENY.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness, linksOf } from './tier1-helpers.ts';

beforeAll(initTier1);

const CANNED = [
  '您好！请在设置中更新至最新版iOS。Android用户请前往Google Play更新。Thank you!',
  '我用的是iPhone。Apple的售后说要等一周。',
  '请使用Chrome。Google账号登录后同步。',
  '请先更新Windows。Office会自动更新。',
  '我们推荐X200 Pro。Pro版有现货。',
  'ご利用のiOS。Androidの方はGoogle Playから更新してください。',
  '请更新iOS｡Android用户请前往Google Play。',
];

describe('an ideographic full stop between two Latin words', () => {
  for (const t of CANNED) {
    it(`${JSON.stringify(t)} has no counted link and a new sender's post is delivered`, () => {
      const v = analyze(t);
      expect(v.strongUrls, t).toBe(0);
      expect(linksOf(t).filter((l) => !l.endsWith('(weak)')), t).toEqual([]);
      const h = harness();
      expect(h.screen(t).outcome, t).toBe('allow');
      expect(h.codes(), t).toEqual([]);
    });
  }

  it('a host spelled with it is still denied, but counts as no link', () => {
    const h = () => harness(cfg({ rules: { URL_DENY: { deny: ['spamsite.com', 'shop.example.com'] } } }));
    for (const t of ['spamsite。com', '。spamsite。com', '请访问spamsite。com', '请访问spamsite｡com领取', 'see shop。example。com today']) {
      expect(analyze(t).strongUrls, t).toBe(0);
      const g = h();
      expect(g.screen(t).outcome, t).toBe('block');
      expect(g.codes(), t).toEqual(['URL_DENY']);
    }
  });

  it('the fullwidth full stop `．` is still a dot (NFKC)', () => {
    expect(linksOf('请访问spamsite．com')).toEqual(['spamsite.com']);
    expect(analyze('请访问spamsite．com').strongUrls).toBe(1);
  });
});

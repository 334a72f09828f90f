// Browsers open spamsite.com for `http://spamsite%2Ecom/x` (percent-decoding the host) and for
// `http:\\spamsite.com\x` (a backslash is a slash in a web URL; any number of them, or none, after
// the scheme). tier1.md §3 step 8 de-obfuscates URLs with percent decoding. Before, a host whose only
// dot was `%2E` was never parsed (the pre-check wanted a literal '.') and `http:\\` was no scheme:
// with `spamsite.com` denied these were delivered while `http://%73pamsite.com` was withheld.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { analyzeNfc, blankView } from '../workers/tier1/analysis.ts';
import { analyzeAscii } from '../workers/tier1/asciiFast.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
const denied = () => harness(cfg({ rules: { URL_DENY: { deny: ['spamsite.com'] } } }));

describe('percent-encoded dots and backslashes', () => {
  for (const t of ['see http://spamsite%2Ecom/x', 'see http://spamsite%2ecom', 'see HTTP://SPAMSITE%2ECOM', 'see http://%73pamsite.com', 'see http:\\\\spamsite.com\\x', 'see https:/\\spamsite.com', 'see https:spamsite.com/x', 'see http:///spamsite.com']) {
    it(`${JSON.stringify(t)} is a link to spamsite.com and is withheld, on both analysis passes`, () => {
      const v = analyze(t);
      expect(v.urls.map((u) => u.host)).toEqual(['spamsite.com']);
      expect(v.strongUrls).toBe(1);
      expect(analyzeNfc(t, Infinity, t.normalize('NFC'))).toEqual(v);
      expect(denied().screen(t).outcome).toBe('block');
    });
  }

  it('the fast pass still takes ordinary text with a percent sign', () => {
    for (const t of ['50% off today', 'it is 100%.', 'a %2 b']) {
      expect(analyzeAscii(blankView(), t, Infinity), t).toBe(true);
      expect(analyze(t).urls).toEqual([]);
    }
  });
});

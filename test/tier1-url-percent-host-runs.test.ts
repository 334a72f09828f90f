// URL_DENY matches the host as the key reads it (tier1.md §3: case fold, then runs longer than 3 cut
// to 3, then URL de-obfuscation), and a deny entry is normalised the same way (domainKey.ts), so
// `aaaa.com` denied withholds `http://aaaa.com/x`. A percent-encoded host was decoded after the key
// had cut its runs and folded its case: `http://%61%61%61%61.com/x` read as `aaaa.com` (only
// flagged, URL_COUNT) and `http://%41%41%41%41.com/x` as no link at all, while browsers open both.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { analyzeNfc } from '../workers/tier1/analysis.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
const denied = (d: string) => harness(cfg({ rules: { URL_DENY: { deny: [d] } } }));
const hosts = (t: string) => analyze(t).urls.map((u) => u.host);

describe('a percent-encoded host is read as the key reads the same host typed plainly', () => {
  it('the plain host is withheld (the baseline)', () => {
    expect(hosts('see http://aaaa.com/x')).toEqual(['aaa.com']);
    const h = denied('aaaa.com');
    expect(h.screen('see http://aaaa.com/x').outcome).toBe('block');
    expect(h.codes()).toContain('URL_DENY');
  });

  for (const t of ['see http://%61%61%61%61.com/x', 'see http://%41%41%41%41.com/x', 'see http://aa%61%61a.com/', 'see http://%61%61%61%61%61%61%61.com', 'see http://%D0%B0aaa.com/x']) {
    it(`${JSON.stringify(t)} is the same link as http://aaaa.com/x and is withheld, on both analysis passes`, () => {
      const v = analyze(t);
      expect(v.urls).toEqual(analyze('see http://aaaa.com/x').urls);
      expect(analyzeNfc(t, Infinity, t.normalize('NFC'))).toEqual(v);
      const h = denied('aaaa.com');
      expect(h.screen(t).outcome).toBe('block');
      expect(h.codes()).toContain('URL_DENY');
    });
  }

  it('a capital decoded in a host is folded as the key folds a typed one', () => {
    expect(hosts('see http://%53hop.com/%7Euser')).toEqual(['shop.com']);
    expect(hosts('see http://SHOP%2ECOM/x')).toEqual(['shop.com']);
  });

  it('a deny entry in capitals or with a longer run names the same host', () => {
    for (const d of ['AAAA.com', 'aaaaaa.com']) {
      expect(denied(d).screen('see http://aaaa.com/x').outcome, d).toBe('block');
      expect(denied(d).screen('see http://%61%61%61%61.com/x').outcome, d).toBe('block');
    }
  });

  it('runs of 3 or fewer, a percent-encoded path and an IPv4 host are read as before', () => {
    expect(hosts('see http://%61%61%61.com/x')).toEqual(['aaa.com']);
    expect(hosts('see http://b%6F%6Fk.com/x')).toEqual(['book.com']);
    expect(analyze('see http://shop.com/%7Euser').urls).toEqual([{ host: 'shop.com', domain: 'shop.com', strong: true }]);
    // an address is read from the digits as typed: no run is cut from it (ipHost.ts)
    expect(hosts('see http://1.1%30%30%30%30/x')).toEqual(hosts('see http://1.10000/x'));
    expect(hosts('see http://1.10000/x')).toEqual(['1.0.39.16']);
  });

  it('an ordinary message is not blocked by the entry', () => {
    expect(denied('aaaa.com').screen('see http://shop.com/%7Euser').outcome).not.toBe('block');
  });
});

// An IPv4 address and its IPv4-mapped IPv6 form (`192.168.1.1` and `[::ffff:192.168.1.1]`, which
// browsers write `[::ffff:c0a8:101]`) are one machine: a dual-stack system connects to the IPv4
// address for either. So a URL_DENY or allow entry naming one covers links to the other. Before,
// with `192.168.1.1` denied, `http://[::ffff:192.168.1.1]/` was delivered (another host to the
// list), and a mapped IPv6 entry did not cover `http://192.168.1.1/`. Link hosts are still read as
// browsers write them (`::ffff:c0a8:101`); other IPv6 forms holding the same 32 bits
// (`::192.168.1.1`, the NAT64 `64:ff9b::192.168.1.1`) are other addresses.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);

const denying = (...entries: unknown[]) => harness(cfg({ rules: { URL_DENY: { deny: entries } } }));
/** The outcome of one post from a fresh sender. */
const outcome = (h: ReturnType<typeof harness>, text: string) => h.screen(text, { senderKey: text, engagementId: text }).outcome;

describe('an IPv4 URL_DENY entry and its IPv4-mapped IPv6 form', () => {
  const mapped = ['go http://[::ffff:192.168.1.1]/', 'go http://[::ffff:c0a8:101]/x', 'go https://[0:0:0:0:0:FFFF:C0A8:0101]:8443/', 'see:http://[::ffff:192.168.1.1]'];
  const v4 = ['go http://192.168.1.1/', 'go http://3232235777/x', 'go 192.168.1.1/x', 'go http://0xc0a80101/'];

  for (const entry of ['192.168.1.1', '192.168.257', '0300.0250.1.1']) {
    it(`deny ${entry} withholds links to the address in its IPv4-mapped IPv6 form as in its IPv4 form`, () => {
      const h = denying(entry);
      for (const m of [...v4, ...mapped]) expect(outcome(h, m), m).toBe('block');
      expect(h.codes().filter((c) => c === 'URL_DENY')).toHaveLength(v4.length + mapped.length);
    });
  }

  for (const entry of ['::ffff:192.168.1.1', '[::ffff:c0a8:101]', '0:0:0:0:0:ffff:c0a8:0101']) {
    it(`deny ${entry} withholds links to the IPv4 address as well as to the mapped one`, () => {
      const h = denying(entry);
      for (const m of [...mapped, ...v4]) expect(outcome(h, m), m).toBe('block');
    });
  }

  it('other addresses, and other IPv6 forms of the same 32 bits, are not covered', () => {
    const h = denying('192.168.1.1');
    for (const m of ['go http://[::ffff:192.168.1.2]/', 'go http://[::c0a8:101]/', 'go http://[64:ff9b::192.168.1.1]/', 'go http://[::ffff:0:c0a8:101]/', 'go http://[2001:db8::c0a8:101]/']) {
      expect(outcome(h, m), m).not.toBe('block');
    }
    expect(outcome(denying('::ffff:192.168.1.1'), 'go http://192.168.1.2/')).not.toBe('block');
  });

  it('an extreme entry terminates in either form; an allowed address is the tenant\'s own in either form', () => {
    expect(outcome(denying({ domain: '10.0.0.1', extreme: true }), 'go http://[::ffff:a00:1]/')).toBe('terminate');
    expect(outcome(denying({ domain: '[::ffff:10.0.0.1]', extreme: true }), 'go http://10.0.0.1/')).toBe('terminate');
    const allowed = harness(cfg({ rules: { URL_DENY: { deny: ['::ffff:192.168.1.1'], allow: ['192.168.1.1'] } } }));
    const four = Array.from({ length: 4 }, (_, i) => `http://[::ffff:192.168.1.1]/p${i}`).join(' ');
    expect(outcome(harness(), four)).toBe('block');
    expect(outcome(allowed, four)).toBe('allow');
  });

  it('the link host is still the address as browsers write it', () => {
    expect(analyze('go http://[::ffff:192.168.1.1]/').urls.map((u) => u.host)).toEqual(['::ffff:c0a8:101']);
    expect(analyze('go http://192.168.1.1/').urls.map((u) => u.host)).toEqual(['192.168.1.1']);
  });

  it('an entry covers a link exactly when the two name one IPv4 address, mapped or not (property, against new URL())', () => {
    const quad = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((q) => q.join('.'));
    const v6 = (q: string) => new URL(`http://[::ffff:${q}]/`).hostname.slice(1, -1); // as browsers write it
    // the address as an IPv4 link, or mapped in one of the spellings browsers read
    const spell = (q: string, how: number) => [`http://${q}/`, `http://[::ffff:${q}]/`, `http://[${v6(q).toUpperCase()}]/`, `http://[0:0:0:0:0:ffff:${q}]/`][how] ?? '';
    fc.assert(fc.property(quad, fc.nat(2), fc.option(quad), fc.nat(3), (a, entryForm, other, how) => {
      const entry = [a, v6(a), `[::ffff:${a}]`][entryForm] ?? a;
      const b = other ?? a;
      const link = `go ${spell(b, how)}`;
      const got = outcome(denying(entry), link);
      if (a === b) expect(got, `${entry} vs ${link}`).toBe('block');
      else expect(got, `${entry} vs ${link}`).not.toBe('block');
    }), { numRuns: 500 });
  });
});

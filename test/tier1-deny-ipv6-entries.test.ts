// A URL_DENY (or allow) entry may be an IPv6 address, written plainly (`2001:db8::1`) or in
// brackets (`[2001:db8::1]`), and it matches a message link to that address however it is spelled
// (zeros compressed or written out, hex in either case, leading zeros, the IPv4-mapped tail as a
// dotted quad): the same address is the one `new URL()` writes the same. Before, links to bracketed
// IPv6 hosts were read and counted but no entry could name one: `2001:db8::1` and `[2001:db8::1]`
// were refused as no domain name, so an IPv6 spam host could not be denied at all.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1, resolveTier1 } from '../workers/tier1/index.ts';
import { analyzeNfc } from '../workers/tier1/analysis.ts';
import { cfg, harness } from './tier1-helpers.ts';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { newConsumer, transcript } from './helpers/client.ts';

beforeAll(initTier1);

/** The IPv6 address a browser reads in `[inside]` (no brackets); null when it refuses it. */
function browserV6(inside: string): string | null {
  try {
    return new URL(`http://[${inside}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

/** The hosts analyze() reads in t, after checking the general path reads the same view. */
function hosts(t: string): string[] {
  const v = analyze(t);
  expect(analyzeNfc(t, Infinity, t.normalize('NFC')), t).toEqual(v);
  return v.urls.map((u) => u.host);
}

const denying = (entry: unknown) => harness(cfg({ rules: { URL_DENY: { deny: [entry] } } }));

describe('URL_DENY entries that are IPv6 addresses', () => {
  const spellings = [
    'see http://[2001:db8::1]/x',
    'see http://[2001:DB8::1]/x',
    'see https://[2001:0db8:0000:0000:0000:0000:0000:0001]:8443/',
    'see http://[2001:db8:0:0:0:0:0:1]/',
    'see http://[2001:db8:0::0:1]/',
    'see [x](http://[2001:Db8::0001])',
    'see:https://[2001:db8::1]/',
  ];
  for (const entry of ['2001:db8::1', '[2001:db8::1]', '2001:DB8:0:0:0:0:0:1', '[2001:0db8::0001]', ' 2001:db8::1 ']) {
    it(`deny ${JSON.stringify(entry)} withholds a link to that address in every spelling, and no other address`, () => {
      const h = denying(entry);
      spellings.forEach((m, i) => expect(h.screen(m, { senderKey: `s${i}`, engagementId: `e${i}` }).outcome, m).toBe('block'));
      expect(h.codes().filter((c) => c === 'URL_DENY')).toHaveLength(spellings.length);
      for (const other of ['see http://[2001:db8::2]/x', 'see http://[2001:db8:1::1]/x', 'see http://[::1]/x']) {
        expect(h.screen(other, { senderKey: other, engagementId: other }).outcome, other).not.toBe('block');
      }
    });
  }

  it('an IPv4-mapped entry matches the mapped address in hex or dotted form', () => {
    for (const entry of ['::ffff:192.168.0.1', '[::ffff:c0a8:1]', '0:0:0:0:0:FFFF:C0A8:0001']) {
      const h = denying(entry);
      ['go http://[::ffff:192.168.0.1]/', 'go http://[::FFFF:C0A8:1]/x', 'go http://[0:0:0:0:0:ffff:c0a8:0001]/']
        .forEach((m, i) => expect(h.screen(m, { senderKey: `s${i}`, engagementId: `e${i}` }).outcome, `${entry}: ${m}`).toBe('block'));
    }
  });

  it('an extreme IPv6 entry terminates; an allowed IPv6 address is the tenant\'s own (not counted, not denied)', () => {
    expect(denying({ domain: '[2001:db8::dead]', extreme: true }).screen('go http://[2001:DB8:0::DEAD]/').outcome).toBe('terminate');
    const four = Array.from({ length: 4 }, (_, i) => `http://[2001:db8::0:1]/p${i}`).join(' ');
    expect(harness().screen(four).outcome).toBe('block');
    const allowed = harness(cfg({ rules: { URL_DENY: { deny: ['2001:db8::1'], allow: ['[2001:0db8::1]'] } } }));
    expect(allowed.screen(four).outcome).toBe('allow');
  });

  it('IPv6 entries are accepted (and kept as written); malformed ones are refused, each naming its path', () => {
    const ok = resolveTier1({ rules: { URL_DENY: { deny: ['2001:DB8::1', { domain: '[::1]', extreme: true }, '::ffff:1.2.3.4', '::'], allow: ['[fe80::1]'] } } });
    expect(ok.ok && ok.value.rules.URL_DENY).toMatchObject({
      deny: [{ domain: '2001:db8::1', extreme: false }, { domain: '[::1]', extreme: true }, { domain: '::ffff:1.2.3.4', extreme: false }, { domain: '::', extreme: false }],
      allow: ['[fe80::1]'],
    });
    const bad = ['2001:db8:::1', '[::1', '::1]', '[1:2]', 'gggg::1', '::1%eth0', '[::1]:80', '1:2:3:4:5:6:7:8:9', '[]', 'example.com:8080', '::1.2.3'];
    const r = resolveTier1({ rules: { URL_DENY: { deny: [...bad, { domain: '[::g]' }], allow: ['12345::'] } } });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual([
      ...bad.map((_, i) => `tier1.rules.URL_DENY.deny[${i}]`), `tier1.rules.URL_DENY.deny[${bad.length}].domain`, 'tier1.rules.URL_DENY.allow[0]',
    ]);
  });

  // One address in random spellings: groups with or without leading zeros, hex in either case, a
  // run of zero groups compressed (any run, as browsers accept), the last 32 bits maybe a dotted quad.
  const group = fc.oneof(fc.constant(0), fc.constant(0), fc.constant(1), fc.constant(0xffff), fc.constant(0xdb8), fc.integer({ min: 0, max: 0xffff }));
  const address = fc.array(group, { minLength: 8, maxLength: 8 });
  const spelling = (a: number[]) => fc.record({
    pad: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
    upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    compress: fc.nat(),
    dotted: fc.boolean(),
  }).map(({ pad, upper, compress, dotted }) => {
    const hex = (g: number, i: number) => {
      const s = g.toString(16);
      const p = '0'.repeat(Math.min(pad[i] ?? 0, 4 - s.length)) + s;
      return upper[i] ? p.toUpperCase() : p;
    };
    const quad = dotted ? `${(a[6] ?? 0) >> 8}.${(a[6] ?? 0) & 255}.${(a[7] ?? 0) >> 8}.${(a[7] ?? 0) & 255}` : null;
    const parts = (quad === null ? a : a.slice(0, 6)).map(hex);
    // the zero runs among the hex groups; compress one of them (or none)
    const runs: Array<[number, number]> = [];
    for (let i = 0; i < parts.length; i++) {
      if ((quad === null ? a : a.slice(0, 6))[i] !== 0) continue;
      let j = i;
      while (j + 1 < parts.length && (quad === null ? a : a.slice(0, 6))[j + 1] === 0) j++;
      for (let s = i; s <= j; s++) for (let e = s; e <= j; e++) runs.push([s, e]);
      i = j;
    }
    const pick = compress % (runs.length + 1);
    let text: string;
    if (pick === runs.length) text = parts.join(':');
    else {
      const [s, e] = runs[pick] ?? [0, 0];
      text = `${parts.slice(0, s).join(':')}::${parts.slice(e + 1).join(':')}`;
    }
    if (quad !== null) text = text.endsWith('::') ? text + quad : `${text}:${quad}`;
    return text;
  });
  const pair = address.chain((a) => fc.tuple(
    spelling(a),
    fc.oneof(fc.constant(a), address, fc.nat(7).chain((i) => fc.integer({ min: 0, max: 0xffff }).map((g) => a.map((x, k) => (k === i ? g : x))))).chain(spelling),
    fc.boolean(),
  ));

  it('an entry matches exactly the links new URL() reads as the same address (property, against the platform parser)', () => {
    fc.assert(fc.property(pair, fc.constantFrom('go ', 'f r e e '), ([entry, link, bracket], before) => {
      const want = browserV6(link);
      expect(want, link).not.toBeNull();
      const u = `http://[${link}]/x`;
      expect(hosts(before + u), u).toEqual([want]);
      const r = resolveTier1({ rules: { URL_DENY: { deny: [bracket ? `[${entry}]` : entry] } } });
      expect(r.ok, entry).toBe(true);
      if (!r.ok) return;
      const outcome = harness(r.value).screen(before + u).outcome;
      expect(outcome === 'block', `${entry} vs ${link}`).toBe(browserV6(entry) === want);
    }), { numRuns: 2000 });
  });

  it('an entry with a colon is accepted exactly when new URL() reads it as an IPv6 address (property)', () => {
    const text = fc.stringOf(fc.constantFrom(...'0123456789abcdefABCDEF:::.g%'), { minLength: 1, maxLength: 24 }).filter((s) => s.includes(':') && s.trim() === s);
    fc.assert(fc.property(text, fc.boolean(), (s, bracket) => {
      const r = resolveTier1({ rules: { URL_DENY: { deny: [bracket ? `[${s}]` : s] } } });
      expect(r.ok, s).toBe(browserV6(s) !== null);
      if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['tier1.rules.URL_DENY.deny[0]']);
    }), { numRuns: 3000 });
  });
});

describe('over HTTP: a tenant file denying an IPv6 address', () => {
  let s: TestServer;
  beforeAll(async () => {
    const configDir = tempDir('ipv6deny');
    fs.mkdirSync(path.join(configDir, 'tenants'), { recursive: true });
    fs.writeFileSync(path.join(configDir, 'tenants', 'acme.yaml'), [
      'site: acme',
      'credentials: [{ user: acme, password: pw }]',
      'tier1:',
      '  rules:',
      '    URL_DENY:',
      '      deny:',
      '        - 2001:db8::bad',
      '        - "[2001:db8::f00]"',
      '',
    ].join('\n'));
    s = await startTestServer({ configDir, longPollMs: 300 });
  });
  afterAll(async () => s?.stop());

  /** One post from a fresh customer: its status and whether it reached the transcript. */
  async function post(body: string): Promise<string> {
    const c = await newConsumer(s.url, 'acme', undefined, ['acme', 'pw']);
    const r = await c.post(body);
    const msgs = (await transcript(s.url, c.engagementId)).json.messages as Array<{ kind: string; body: string }>;
    return `${r.status} ${msgs.some((m) => m.kind === 'message' && m.body === body) ? 'delivered' : 'withheld'}`;
  }

  it('links to the denied addresses are withheld however spelled; another address is delivered', async () => {
    expect(await post('my box http://[2001:DB8:0:0:0:0:0:BAD]/ is down')).toBe('200 withheld');
    expect(await post('mirror at https://[2001:0db8::0f00]:8443/files')).toBe('200 withheld');
    expect(await post('my box http://[2001:db8::bad:1]/ is down')).toBe('200 delivered');
  });
});

// A browser opens `http://3232235777/`, `http://0xC0A80001/`, `http://0300.0250.0.1/` and
// `http://192.168.1/` (the WHATWG URL parser reads a host ending in a number as an IPv4 address in
// any of these forms) and `http://[::1]/` (an IPv6 literal). Before, Tier-1 read only the dotted
// quad as a link: `analyze('see http://3232235777/ now').urls` was `[]`, so 4 integer-IP links in
// one message were delivered where 4 dotted ones are withheld (URL_COUNT), they escaped URL_RATE and
// the contact payload of CAMPAIGN_XCONV, and a denied `192.168.1.1` did not withhold
// `http://3232235777/`. Such a host is now a strong link whose host is the address as a browser
// writes it (dotted decimal; IPv6 in its canonical text without brackets), on both analysis passes.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1, resolveTier1 } from '../workers/tier1/index.ts';
import { analyzeNfc, blankView } from '../workers/tier1/analysis.ts';
import { analyzeAscii } from '../workers/tier1/asciiFast.ts';
import { cfg, harness } from './tier1-helpers.ts';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { newConsumer, transcript } from './helpers/client.ts';

beforeAll(initTier1);

/** The host a browser goes to for u (brackets off an IPv6 literal); null when it refuses u. */
function browserHost(u: string): string | null {
  try {
    return new URL(u).hostname.replace(/^\[(.*)\]$/, '$1');
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

const IP_LINKS: Array<[string, string]> = [
  ['http://3232235777/', '192.168.1.1'],
  ['http://0xC0A80001/x', '192.168.0.1'],
  ['HTTP://0XC0A80001', '192.168.0.1'],
  ['http://0300.0250.0.1/', '192.168.0.1'],
  ['http://192.168.1/', '192.168.0.1'],
  ['http://192.11010049/', '192.168.0.1'],
  ['https://0xc0.0xa8.0x00.0x01/x', '192.168.0.1'],
  ['http://010.010.010.010/', '8.8.8.8'],
  ['http://192.168.0.1./x', '192.168.0.1'],
  ['http://3232235777:8080/x', '192.168.1.1'],
  ['http://user:pw@3232235777/', '192.168.1.1'],
  ['http://%33232235777/', '192.168.1.1'],
  ['http:\\\\3232235777\\x', '192.168.1.1'],
  // runs of one character longer than 3 are cut from the key (§3 step 7), not from an address
  ['ftp://0x7f000001/', '127.0.0.1'],
  ['HTTP://0X7F000001/x', '127.0.0.1'],
  ['http://1111111111/', '66.58.53.199'],
  ['http://10.0.0xffff/', '10.0.255.255'],
  ['http://0/', '0.0.0.0'],
  ['http://[::1]/x', '::1'],
  ['https://[2001:db8::1]:8080/', '2001:db8::1'],
  ['http://[2001:DB8:0:0:0:0:0:1]/', '2001:db8::1'],
  ['http://[::ffff:192.168.0.1]/', '::ffff:c0a8:1'],
];

describe('links whose host is an IP address in any form a browser reads', () => {
  for (const [u, host] of IP_LINKS) {
    it(`${u} is one strong link to ${host}, as a browser reads it, on both analysis passes`, () => {
      expect(browserHost(u)).toBe(host);
      const t = `see ${u} now`;
      expect(hosts(t)).toEqual([host]);
      const v = analyze(t);
      expect(v.urls).toEqual([{ host, domain: host, strong: true }]);
      expect(v.strongUrls).toBe(1);
      expect(v.contact).toBe(true);
      expect(v.masked).toBe('see <url> now');
    });
  }

  it('glued after other text, a defanged scheme, in a Markdown link, next to letters spelled out: still links', () => {
    expect(hosts('[x](http://3232235777/)')).toEqual(['192.168.1.1']);
    expect(hosts('http://0x7f000001/http://1111111111/x')).toEqual(['127.0.0.1', '66.58.53.199']);
    expect(hosts('f r e e http://0x7f000001/ and f r e e http://[::ffff:7f00:1]/ http://0x7f00001')).toEqual(['127.0.0.1', '::ffff:7f00:1', '7.240.0.1']);
    expect(hosts('see:https://[::1]/x')).toEqual(['::1']);
    expect(hosts('hxxp://0xC0A80001/x')).toEqual(['192.168.0.1']);
    expect(hosts('http://3232235777/a http://0300.0250.0.1/b')).toEqual(['192.168.1.1', '192.168.0.1']);
  });

  it('an IPv4 host in any number form reads as a browser reads it, or is no link when a browser refuses it', () => {
    // parts of 0–5 numbers in decimal, octal or hex (any case), in or out of range, maybe a trailing dot
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 32 + 5 }))
      .chain((n) => fc.constantFrom(String(n), `0${n.toString(8)}`, `0x${n.toString(16)}`, `0X${n.toString(16).toUpperCase()}`));
    const host = fc.tuple(fc.array(part, { minLength: 1, maxLength: 5 }), fc.boolean()).map(([ps, dot]) => ps.join('.') + (dot ? '.' : ''));
    // alone, and next to letters spelled out (the general path's token-array walk)
    fc.assert(fc.property(host, fc.constantFrom('go ', 'f r e e '), (h, before) => {
      const u = `http://${h}/x`;
      const want = browserHost(u);
      expect(hosts(before + u), u).toEqual(want === null ? [] : [want]);
    }), { numRuns: 3000 });
  });

  it('the same address written differently is the same host (duplicate and campaign rules see one link)', () => {
    const one = (u: string) => analyze(u).urls[0]?.host;
    expect(new Set(['http://3232235777/', 'http://0xc0a80101/', 'http://0300.0250.1.1/', 'http://192.168.257/', 'http://192.168.1.1/'].map(one))).toEqual(new Set(['192.168.1.1']));
    expect(analyze('free gift at http://3232235777/ claim now').masked).toBe(analyze('free gift at http://10.0.0.1/ claim now').masked);
  });

  it('numbers and addresses without a scheme, and hosts a browser refuses, are no links', () => {
    for (const t of ['order 3232235777', 'call 0xC0A80001 now', 'ip 192.168.1', 'see [::1]', '[2001:db8::1]:80', 'ratio 1:2', 'tips: 123', 'ps:42', 'http:', 'http://', 'https://[::1', 'http://[1:2]/',
      'http://[::1%25eth0]/', 'http://1.2.3.4.5/', 'http://256.1.1.1/', 'http://4294967296/', 'http://09/', 'http://1..2/', 'http://foo.0x1/', 'http://localhost/x']) {
      expect(hosts(t), t).toEqual([]);
    }
    // without a scheme a dotted quad with a path stays a link, read as browsers read it once linkified
    expect(hosts('see 192.168.1.1/x')).toEqual(['192.168.1.1']);
    expect(hosts('see 010.010.010.010/x')).toEqual(['8.8.8.8']);
    expect(hosts('see 256.1.1.1/x')).toEqual([]);
  });

  it('the ASCII fast pass takes these messages itself', () => {
    for (const t of ['see http://3232235777/ now', 'see https://[2001:db8::1]:8080/ now', 'tips: 123 ps:42', 'at 10:30']) {
      expect(analyzeAscii(blankView(), t, Infinity), t).toBe(true);
    }
  });
});

describe('the link rules on IP-address hosts', () => {
  const four = (f: (i: number) => string) => Array.from({ length: 4 }, (_, i) => f(i)).join(' ');

  it('URL_COUNT: 4 integer, hex or IPv6 links block where 4 dotted ones block; 21 terminate', () => {
    expect(harness().screen(four((i) => `http://10.0.0.${i + 1}/`)).outcome).toBe('block');
    expect(harness().screen(four((i) => `http://${167772161 + i}/`)).outcome).toBe('block');
    expect(harness().screen(four((i) => `http://0x0a00000${i + 1}/`)).outcome).toBe('block');
    expect(harness().screen(four((i) => `http://[2001:db8::${i + 1}]/`)).outcome).toBe('block');
    expect(harness().screen(Array.from({ length: 21 }, (_, i) => `http://${167772161 + i}/`).join(' ')).outcome).toBe('terminate');
  });

  it('URL_DENY: a denied address withholds a link to it in every form; an allowed one exempts it', () => {
    for (const entry of ['192.168.1.1', '0xc0.0xa8.1.1', '192.168.257']) {
      const h = harness(cfg({ rules: { URL_DENY: { deny: [entry] } } }));
      ['go http://3232235777/ now', 'go http://0xC0A80101/x', 'go http://0300.0250.1.1/', 'go http://192.168.1.1/', 'go https://u@3232235777:443/']
        .forEach((m, i) => expect(h.screen(m, { senderKey: `s${i}`, engagementId: `e${i}` }).outcome, `${entry}: ${m}`).toBe('block'));
      expect(h.codes().filter((c) => c === 'URL_DENY')).toHaveLength(5);
      expect(h.screen('go http://3232235778/ now', { senderKey: 'other', engagementId: 'eo' }).outcome).not.toBe('block');
    }
    const loopback = harness(cfg({ rules: { URL_DENY: { deny: ['127.0.0.1'] } } }));
    expect(loopback.screen('go http://0x7f000001/ now').outcome).toBe('block');
    const allowed = harness(cfg({ rules: { URL_DENY: { deny: ['10.0.0.1'], allow: ['192.168.1.1'] } } }));
    expect(allowed.screen(four((i) => `http://3232235777/p${i}`)).outcome).toBe('allow');
  });

  it('deny and allow entries may be IPv4 addresses written with a dot (IPv6: tier1-deny-ipv6-entries); an integer or no address is refused', () => {
    expect(resolveTier1({ rules: { URL_DENY: { deny: ['192.168.1.1', '0300.0250.1.1'] } } }).ok).toBe(true);
    const r = resolveTier1({ rules: { URL_DENY: { deny: ['3232235777', '[::1', '1.2.3.4.5'] } } });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['tier1.rules.URL_DENY.deny[0]', 'tier1.rules.URL_DENY.deny[1]', 'tier1.rules.URL_DENY.deny[2]']);
  });
});

describe('over HTTP: integer-IP links posted by customers', () => {
  let s: TestServer;
  beforeAll(async () => {
    const configDir = tempDir('iphosts');
    fs.mkdirSync(path.join(configDir, 'tenants'), { recursive: true });
    fs.writeFileSync(path.join(configDir, 'tenants', 'acme.json'), JSON.stringify({
      site: 'acme', credentials: [{ user: 'acme', password: 'pw' }], tier1: { rules: { URL_DENY: { deny: ['192.168.1.1'] } } },
    }));
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

  it('4 integer-IP links are withheld like 4 dotted-IP links (URL_COUNT); a denied address in integer form is withheld (URL_DENY)', async () => {
    const dotted = 'offers: http://10.0.0.1/a http://10.0.0.2/b http://10.0.0.3/c http://10.0.0.4/d';
    const integer = 'offers: http://167772161/a http://167772162/b http://167772163/c http://167772164/d';
    expect(await post(dotted)).toBe('200 withheld');
    expect(await post(integer)).toBe('200 withheld');
    expect(await post('my router page http://3232235777/ will not load')).toBe('200 withheld');
    // one link to an address not denied is delivered (a new sender's link is only flagged)
    expect(await post('my router page http://3232235778/ will not load')).toBe('200 delivered');
  });
});

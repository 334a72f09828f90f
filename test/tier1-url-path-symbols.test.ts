// A scheme-less link is a link whatever its path or query holds: `www.spamsite.com/?ref=1`,
// `spamsite.com?ref=abc`, `spamsite.com/a=b`, `spamsite.com/p;x`. Before, the test that spares code
// (`foo.bar(`, `obj.method(x=1)`, `a.b;c`) ran over the whole token, so any `=`, `;`, `|` or `"` in
// the path or query made it no link: with `spamsite.com` denied these were delivered, 4 such links
// did not block on URL_COUNT, and a campaign of `www.deals.xyz/?ref=N` carried no payload. The
// code test now looks at the host only.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, initTier1 } from '../workers/tier1/index.ts';
import { cfg, harness } from './tier1-helpers.ts';

beforeAll(initTier1);
const denied = () => harness(cfg({ rules: { URL_DENY: { deny: ['spamsite.com'] } } }));

describe('scheme-less links with symbols in the path or query', () => {
  for (const t of ['see www.spamsite.com/?ref=1', 'see spamsite.com?ref=abc', 'see spamsite.com/a=b', 'see spamsite.com/p;x', 'see spamsite.com/a|b', 'see spamsite.com/"x"', 'see spamsite.com/a?b=[1]&c={2}', 'see spamsite.com/x\\y']) {
    it(`${JSON.stringify(t)} is a strong link to spamsite.com and is withheld`, () => {
      const v = analyze(t);
      expect(v.urls.map((u) => u.host.replace(/^www\./, ''))).toEqual(['spamsite.com']);
      expect(v.strongUrls).toBe(1);
      expect(denied().screen(t).outcome).toBe('block');
    });
  }

  it('4 www links with ?ref= block on URL_COUNT, 21 terminate', () => {
    const links = (n: number) => Array.from({ length: n }, (_, i) => `www.s${i}.com/?ref=1`).join(' ');
    expect(harness().screen(links(4)).outcome).toBe('block');
    expect(harness().screen(links(21)).outcome).toBe('terminate');
  });

  it('a campaign linking www.deals.xyz/?ref=1 from 5 senders is flagged with a strike at the 5th, later copies blocked', () => {
    const h = harness();
    const outs = [0, 1, 2, 3, 4, 5].map((i) => h.screen('Huge discounts this week only, grab yours at www.deals.xyz/?ref=1', { senderKey: `s${i}`, engagementId: `e${i}` }));
    // the first four: a new sender's link (URL_COUNT flag, no strike)
    expect(outs.slice(0, 4).map((r) => r.strike)).toEqual([false, false, false, false]);
    expect(outs[4]).toMatchObject({ outcome: 'flag', strike: true });
    expect(outs[5]?.outcome).toBe('block');
  });

  it('a campaign rotating ?ref=N per sender is caught at 3× the sender threshold, as a rotating link is', () => {
    const h = harness();
    const outs = Array.from({ length: 16 }, (_, i) => h.screen(`Huge discounts this week only, grab yours at www.deals.xyz/?ref=${i}`, { senderKey: `r${i}`, engagementId: `er${i}` }));
    expect(outs.slice(0, 14).map((r) => r.strike)).not.toContain(true);
    expect(outs[14]).toMatchObject({ outcome: 'flag', strike: true });
    expect(outs[15]?.outcome).toBe('block');
  });

  it('code with a dotted name stays no link', () => {
    for (const t of ['call obj.method(x=1) first', 'a.b;c', 'foo.bar(', 'x.y=z.com', 'arr[i].com', 'if (a.b|c.d)', 'str.replace("a.com")', 'cfg.net={x}']) {
      expect(analyze(t).urls, t).toEqual([]);
    }
  });
});

// CAMPAIGN_XCONV on one shard and across shards through the main-thread CampaignTable.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTier1 } from '../workers/tier1/index.ts';
import { CampaignTable } from '../src/shards/campaign.ts';
import { cfg, harness, T0 } from './tier1-helpers.ts';

beforeAll(initTier1);
const SPAM = (_n: number) => 'Great offer for you today, message me at +44 7700 900100';
// the same promotion, a different number per sender
const ROTATING = (n: number) => `Great offer for you today only, message me at +44 7700 900${100 + n}`;

describe('campaigns', () => {
  it('5 senders with one payload message: 5th flagged with a strike, later copies blocked', () => {
    const h = harness();
    const outs = [0, 1, 2, 3, 4, 5].map((i) => h.screen(SPAM(i), { senderKey: `s${i}`, engagementId: `e${i}` }));
    expect(outs.slice(0, 4).map((r) => r.outcome)).toEqual(['allow', 'allow', 'allow', 'allow']);
    expect(outs[4]).toMatchObject({ outcome: 'flag', strike: true });
    expect(outs[5]?.outcome).toBe('block');
  });
  it('a campaign rotating its number per sender is caught at 3× the sender threshold', () => {
    const h = harness();
    const outs = Array.from({ length: 16 }, (_, i) => h.screen(ROTATING(i), { senderKey: `r${i}`, engagementId: `er${i}` }));
    expect(outs.slice(0, 14).map((r) => r.outcome)).not.toContain('block');
    expect(outs[14]).toMatchObject({ outcome: 'flag', strike: true });
    expect(outs[15]?.outcome).toBe('block');
  });
  it('customers giving their own contact details in the same words are not a campaign', () => {
    const h = harness();
    const outs: string[] = [];
    for (let i = 0; i < 30; i++) {
      outs.push(h.screen(`my email address is customer${i}.name@example.com`, { senderKey: `c${i}`, engagementId: `ec${i}` }).outcome);
      outs.push(h.screen(`You can reach me at +1 555 010 ${1000 + i}`, { senderKey: `c${i}`, engagementId: `ec${i}` }).outcome);
      outs.push(h.screen(`I placed an order yesterday and my order number is ${5_500_000 + i * 7}`, { senderKey: `c${i}`, engagementId: `ec${i}` }).outcome);
    }
    expect(outs).not.toContain('block');
    expect(outs).not.toContain('terminate');
  });
  it('a tenant canned reply is exempt, its words with another number or link are not', () => {
    const CANNED = 'Thanks for contacting Acme! Call us at +1 800 555 0100 or visit https://www.acme-support.com/help anytime.';
    const h = harness(cfg({ rules: { CAMPAIGN_XCONV: { cannedReplies: [CANNED] } } }));
    const copies = Array.from({ length: 8 }, (_, i) => h.screen(CANNED, { senderKey: `q${i}`, engagementId: `eq${i}` }).outcome);
    expect(copies).not.toContain('block'); // flagged by URL_COUNT as new senders' links, delivered
    expect(h.codes()).not.toContain('CAMPAIGN_XCONV');
    const riders = Array.from({ length: 6 }, (_, i) => h.screen(CANNED.replace('+1 800 555 0100', '+44 7700 900123'), { senderKey: `x${i}`, engagementId: `ex${i}` }));
    expect(riders[4]).toMatchObject({ outcome: 'flag', strike: true });
    expect(riders[5]?.outcome).toBe('block');
  });
  it('payload-free openers from many customers are never a campaign', () => {
    const h = harness();
    const outs = Array.from({ length: 20 }, (_, i) => h.screen('Hi, I need help with my order please', { senderKey: `s${i}`, engagementId: `e${i}` }).outcome);
    expect(new Set(outs)).toEqual(new Set(['allow']));
  });
  it('the CampaignTable sums other shards and excludes the asking shard', () => {
    const t = new CampaignTable(3_600_000);
    t.ingest(0, 'acme', [{ fp: 'aa', senders: 2, engagements: 2, windowStartMs: T0 }]);
    t.ingest(1, 'acme', [{ fp: 'aa', senders: 1, engagements: 1, windowStartMs: T0 + 5 }]);
    t.ingest(2, 'acme', [{ fp: 'aa', senders: 3, engagements: 4, windowStartMs: T0 + 9 }]);
    t.ingest(1, 'other', [{ fp: 'aa', senders: 9, engagements: 9, windowStartMs: T0 }]);
    expect(t.remoteFor(0, 'acme', T0 + 10)).toEqual([{ fp: 'aa', senders: 4, engagements: 5, windowStartMs: T0 + 5 }]);
    t.ingest(1, 'acme', [{ fp: 'aa', senders: 2, engagements: 2, windowStartMs: T0 + 5 }]); // replaces, not adds
    expect(t.remoteFor(0, 'acme', T0 + 10)[0]?.senders).toBe(5);
    expect(t.remoteFor(0, 'acme', T0 + 3_600_000 + 10)).toEqual([]);
    t.expire(T0 + 3_600_000 + 10);
    expect(t.size).toBe(0);
  });
  it('an engine decides on local + remote senders after one exchange', () => {
    const shardA = harness();
    const shardB = harness();
    const table = new CampaignTable();
    for (let i = 0; i < 3; i++) shardA.screen(SPAM(i), { senderKey: `a${i}`, engagementId: `ea${i}`, nowMs: T0 + i });
    shardB.screen(SPAM(9), { senderKey: 'b0', engagementId: 'eb0', nowMs: T0 + 10 });
    table.ingest(0, 'acme', shardA.engine.drainCampaignDeltas());
    table.ingest(1, 'acme', shardB.engine.drainCampaignDeltas());
    expect(shardA.engine.drainCampaignDeltas()).toEqual([]);
    shardB.engine.applyCampaignRemote(table.remoteFor(1, 'acme', T0 + 20));
    expect(shardB.screen(SPAM(10), { senderKey: 'b1', engagementId: 'eb1', nowMs: T0 + 30 })).toMatchObject({ outcome: 'flag', strike: true });
    expect(shardB.screen(SPAM(11), { senderKey: 'b2', engagementId: 'eb2', nowMs: T0 + 40 }).outcome).toBe('block');
  });
  it('agents and canned replies are exempt', () => {
    const h = harness();
    const outs = Array.from({ length: 8 }, (_, i) => h.screen(SPAM(i), { senderKey: `agent${i}`, engagementId: `e${i}`, role: 'AGENT' }).outcome);
    expect(outs).not.toContain('block');
  });
});

// Main-thread aggregation of CAMPAIGN_XCONV counts across shards. Pure: no timers, no ports.
// A sender's engagements all live on one shard, so tenant-wide distinct senders for a key are
// the sum of the per-shard counts. Each shard is sent the totals of the OTHER shards.
import type { CampaignDelta, CampaignRemote } from '../../workers/tier1/campaignBook.ts';

interface Cell { senders: number; engagements: number; windowStartMs: number }

export class CampaignTable {
  // site → fp → shardIndex → latest counts from that shard
  private readonly sites = new Map<string, Map<string, Map<number, Cell>>>();

  constructor(private readonly windowMs = 3_600_000) {}

  ingest(shardIndex: number, site: string, deltas: readonly CampaignDelta[]): void {
    let fps = this.sites.get(site);
    if (fps === undefined) { fps = new Map(); this.sites.set(site, fps); }
    for (const d of deltas) {
      let shards = fps.get(d.fp);
      if (shards === undefined) { shards = new Map(); fps.set(d.fp, shards); }
      shards.set(shardIndex, { senders: d.senders, engagements: d.engagements, windowStartMs: d.windowStartMs });
    }
  }

  /** Totals from every shard but `shardIndex`, for keys whose windows are still open at nowMs. */
  remoteFor(shardIndex: number, site: string, nowMs: number): CampaignRemote[] {
    const fps = this.sites.get(site);
    if (fps === undefined) return [];
    const out: CampaignRemote[] = [];
    for (const [fp, shards] of fps) {
      let senders = 0;
      let engagements = 0;
      let start = Infinity;
      for (const [idx, c] of shards) {
        if (idx === shardIndex || nowMs - c.windowStartMs >= this.windowMs) continue;
        senders += c.senders;
        engagements += c.engagements;
        if (c.windowStartMs < start) start = c.windowStartMs;
      }
      if (senders > 0) out.push({ fp, senders, engagements, windowStartMs: start });
    }
    return out;
  }

  /** Drop cells whose window has closed; call on the exchange tick. */
  expire(nowMs: number): void {
    for (const [site, fps] of this.sites) {
      for (const [fp, shards] of fps) {
        for (const [idx, c] of shards) if (nowMs - c.windowStartMs >= this.windowMs) shards.delete(idx);
        if (shards.size === 0) fps.delete(fp);
      }
      if (fps.size === 0) this.sites.delete(site);
    }
  }

  get size(): number {
    let n = 0;
    for (const fps of this.sites.values()) n += fps.size;
    return n;
  }
}

// Per-tenant CAMPAIGN_XCONV counts on this shard: for each masked-key fingerprint, the distinct
// senders and engagements seen inside the current window, plus the totals other shards reported.
// Bounded: at most MAX_KEYS keys (oldest window evicted), at most MAX_SENDERS senders tracked
// per key (enough to cross any sane threshold; the count saturates there).

const MAX_KEYS = 50_000;
const MAX_SENDERS = 256;
const MAX_ENG_PER_SENDER = 64;

export interface CampaignDelta { fp: string; senders: number; engagements: number; windowStartMs: number }
export interface CampaignRemote { fp: string; senders: number; engagements: number; windowStartMs: number }

interface Entry {
  windowStartMs: number;
  senders: Map<string, Set<string>>; // sender → engagements
  engagements: number;
  remoteSenders: number;
  remoteWindowStartMs: number;
  dirty: boolean;
}

export class CampaignBook {
  private readonly keys = new Map<string, Entry>();
  private readonly dirty = new Set<string>();

  /** Record one message; returns local+remote distinct senders and this sender's engagements. */
  record(fp: string, senderKey: string, engagementId: string, nowMs: number, windowMs: number): { senders: number; senderEngagements: number } {
    let e = this.keys.get(fp);
    if (e !== undefined && nowMs - e.windowStartMs >= windowMs) {
      this.keys.delete(fp);
      e = undefined;
    }
    if (e === undefined) {
      if (this.keys.size >= MAX_KEYS) this.evict(nowMs, windowMs);
      e = { windowStartMs: nowMs, senders: new Map(), engagements: 0, remoteSenders: 0, remoteWindowStartMs: 0, dirty: false };
      this.keys.set(fp, e);
    }
    let engs = e.senders.get(senderKey);
    if (engs === undefined && e.senders.size < MAX_SENDERS) {
      engs = new Set();
      e.senders.set(senderKey, engs);
      this.dirty.add(fp);
    }
    if (engs !== undefined && !engs.has(engagementId) && engs.size < MAX_ENG_PER_SENDER) {
      engs.add(engagementId);
      e.engagements++;
      this.dirty.add(fp);
    }
    const remote = nowMs - e.remoteWindowStartMs < windowMs ? e.remoteSenders : 0;
    return { senders: e.senders.size + remote, senderEngagements: engs?.size ?? 0 };
  }

  private evict(nowMs: number, windowMs: number): void {
    for (const [fp, e] of this.keys) {
      if (this.keys.size < MAX_KEYS || nowMs - e.windowStartMs < windowMs / 2) {
        if (this.keys.size < MAX_KEYS) return;
      }
      this.keys.delete(fp); // Map iterates in insertion order: oldest windows go first
      this.dirty.delete(fp);
    }
  }

  drain(): CampaignDelta[] {
    const out: CampaignDelta[] = [];
    for (const fp of this.dirty) {
      const e = this.keys.get(fp);
      if (e !== undefined) out.push({ fp, senders: e.senders.size, engagements: e.engagements, windowStartMs: e.windowStartMs });
    }
    this.dirty.clear();
    return out;
  }

  /** Totals from the other shards (replaces what they said before; not added to local counts). */
  applyRemote(entries: readonly CampaignRemote[], nowMs: number, windowMs: number): void {
    for (const r of entries) {
      let e = this.keys.get(r.fp);
      if (e === undefined) {
        if (r.senders <= 0) continue;
        if (this.keys.size >= MAX_KEYS) this.evict(nowMs, windowMs);
        e = { windowStartMs: r.windowStartMs, senders: new Map(), engagements: 0, remoteSenders: 0, remoteWindowStartMs: 0, dirty: false };
        this.keys.set(r.fp, e);
      }
      e.remoteSenders = r.senders;
      e.remoteWindowStartMs = r.windowStartMs;
    }
  }

  get size(): number {
    return this.keys.size;
  }
}

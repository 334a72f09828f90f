// CAMPAIGN_XCONV: one masked key carrying a contact payload, from many senders (tenant-wide,
// local + other shards) or many engagements of one sender within the window. The message that
// reaches the threshold is flagged with a strike; later copies are blocked. Payload-free
// repeats ("Hi, I need help with my order") are never a campaign.
import type { Detector } from './detector.ts';

export const campaign: Detector = {
  name: 'cross-conversation campaign', code: 'CAMPAIGN_XCONV',
  check(v, ctx) {
    const r = ctx.rules.CAMPAIGN_XCONV;
    if (!v.contact || ctx.role === 'AGENT' || v.masked.length < r.minLength || ctx.compiled.canned.has(ctx.fpMasked)) return null;
    const c = ctx.campaign.record(ctx.fpMasked, ctx.senderKey, ctx.engagementId, ctx.nowMs, r.windowMs);
    const bySenders = c.senders >= r.senders;
    const byEngs = c.senderEngagements >= r.engagements;
    if (!bySenders && !byEngs) return null;
    const observed = bySenders ? c.senders : c.senderEngagements;
    const threshold = bySenders ? r.senders : r.engagements;
    const first = bySenders ? c.senders === r.senders : c.senderEngagements === r.engagements;
    if (first) return { action: 'flag', observed, threshold, strike: r.strike };
    return { action: r.action, observed, threshold };
  },
};

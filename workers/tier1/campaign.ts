// CAMPAIGN_XCONV: one masked key carrying a contact payload, from many senders (tenant-wide,
// local + other shards) or many engagements of one sender within the window. The message that
// reaches the threshold is flagged with a strike; later copies are blocked. Payload-free
// repeats ("Hi, I need help with my order") are never a campaign.
//
// A campaign pushes people to ONE destination, so its identity is the masked text *and* the
// payload it carries (link hosts, e-mail addresses and handles, phone digits). Customers who
// each give their own contact details in the same words ("my email address is …", "you can
// reach me at …") carry different payloads and are not one campaign; the sender's own e-mail
// and hosts on the tenant's URL allow list are not payloads at all. Cost: this runs only for
// the few messages that carry a contact payload, over the already-normalized key.
import type { Detector } from './detector.ts';
import type { View } from './analysis.ts';
import type { Ctx } from './detector.ts';
import { fp64 } from './hash.ts';

export interface Payload {
  /** the payload part of the campaign identity; '' when nothing left counts as a payload */
  signature: string;
  /** a link, an address or handle, or a number written like a phone (+…, or split in groups) —
   *  not a bare digit run, which in support chat is mostly an order or account number */
  strong: boolean;
}

export function payloadOf(v: View, ctx: Ctx): Payload {
  const parts: string[] = [];
  let strong = false;
  for (const u of v.urls) {
    if (!u.strong || ctx.compiled.allow.has(u.domain) || ctx.compiled.allow.has(u.host)) continue;
    parts.push(u.host);
    strong = true;
  }
  const own = ctx.senderKey.startsWith('email:') ? ctx.senderKey.slice(6) : '';
  let digits = '';
  let digitTokens = 0;
  let phoneShaped = false;
  for (const t of v.key.split(' ')) {
    if (t.includes('@')) {
      if (t !== own) {
        parts.push(t);
        strong = true;
      }
    } else if (/\d/.test(t) && !t.includes('.')) {
      digits += t.replace(/\D+/g, '');
      digitTokens++;
      if (t.startsWith('+') || /\d[-()]\d|\d\)/.test(t)) phoneShaped = true;
    }
  }
  // phone numbers are often split over tokens ("+1 800 555 0100"): all digits together
  if (digits.length >= 7) {
    parts.push(digits);
    if (phoneShaped || digitTokens >= 2) strong = true;
  }
  if (parts.length === 0) return { signature: '', strong: false };
  parts.sort();
  return { signature: parts.join(' '), strong };
}

/** Masked-only identity (payload ignored): catches payload-rotating campaigns, later and only for long texts. */
const ROTATING_FACTOR = 3;
const ROTATING_MIN_MASKED = 40;

export const campaign: Detector = {
  name: 'cross-conversation campaign', code: 'CAMPAIGN_XCONV',
  check(v, ctx) {
    const r = ctx.rules.CAMPAIGN_XCONV;
    if (!v.contact || ctx.role === 'AGENT' || v.masked.length < r.minLength || ctx.compiled.canned.has(ctx.fpMasked)) return null;
    const payload = payloadOf(v, ctx);
    if (payload.signature === '') return null;
    // 1. same words, same destination: the spec's thresholds
    const c = ctx.campaign.record(fp64(`${ctx.fpMasked}|${payload.signature}`), ctx.senderKey, ctx.engagementId, ctx.nowMs, r.windowMs);
    let senders = c.senders >= r.senders ? { observed: c.senders, threshold: r.senders } : undefined;
    const byEngs = c.senderEngagements >= r.engagements ? { observed: c.senderEngagements, threshold: r.engagements } : undefined;
    // 2. same long promotional words, rotating destinations (one number or link per sender):
    //    counted on the masked text alone, at ROTATING_FACTOR × the sender threshold
    if (payload.strong && v.masked.length >= ROTATING_MIN_MASKED) {
      const m = ctx.campaign.record(ctx.fpMasked, ctx.senderKey, ctx.engagementId, ctx.nowMs, r.windowMs);
      const t = r.senders * ROTATING_FACTOR;
      if (!senders && m.senders >= t) senders = { observed: m.senders, threshold: t };
    }
    const hit = senders ?? byEngs;
    if (!hit) return null;
    if (hit.observed === hit.threshold) return { action: 'flag', observed: hit.observed, threshold: hit.threshold, strike: r.strike };
    return { action: r.action, observed: hit.observed, threshold: hit.threshold };
  },
};

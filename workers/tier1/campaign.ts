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
import { allowedHost } from './allowedLinks.ts';
import { fp64, hex64 } from './hash.ts';

/** key[s, e) matches /^[+(]?[\d()\-./]+[,;:.!?)]?$/ (a number written like a phone, or part of one). */
function phoneToken(key: string, s: number, e: number): boolean {
  if (key.charCodeAt(s) === 43) s++; // '+'; a leading '(' is a body char anyway
  if (e > s) {
    const last = key.charCodeAt(e - 1);
    if (last === 44 || last === 59 || last === 58 || last === 33 || last === 63) e--; // , ; : ! ?
  }
  if (e <= s) return false;
  for (let i = s; i < e; i++) {
    const c = key.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 40 || c === 41 || c === 45 || c === 46 || c === 47)) return false;
  }
  return true;
}

/** Which of 32 classes (code unit mod 32) the units of s[a, e) fall in, one bit each. */
function charMask(s: string, a: number, e: number): number {
  let m = 0;
  for (let i = a; i < e; i++) m |= 1 << (s.charCodeAt(i) & 31);
  return m;
}

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
  // links count with their whole text (host and path): customers link their own order pages on
  // the merchant's site; a campaign links one landing page
  // Each host once: every dotted token is tested against all of them, and a message repeating
  // one link 200 times made that 200 × 200 substring searches.
  let hosts: string[] = [];
  for (const u of v.urls) if (u.strong && !allowedHost(ctx.compiled.allow, u.host, u.domain)) hosts.push(u.host);
  if (hosts.length > 1) {
    let one = true; // the usual case: one link, repeated
    for (let j = 1; j < hosts.length && one; j++) one = hosts[j] === hosts[0];
    hosts = one ? [hosts[0]!] : [...new Set(hosts)];
  }
  const hostMasks = hosts.length > 2 ? hosts.map((h) => charMask(h, 0, h.length)) : null;
  if (hosts.length > 0) strong = true;
  const own = ctx.senderKey.startsWith('email:') ? ctx.senderKey.slice(6) : '';
  // phone numbers: runs of consecutive number-only tokens ("+1 (555) 010-1234") of 7–15 digits
  // (E.164); tokens with letters (code, stack traces, ids) end a run and are never phones
  let run = '';
  let runTokens = 0;
  let runShaped = false;
  const closeRun = (): void => {
    if (run.length >= 7 && run.length <= 15) {
      parts.push(run);
      if (runShaped || runTokens >= 2) strong = true;
    }
    run = '';
    runTokens = 0;
    runShaped = false;
  };
  // The key's space-separated tokens (as split(' ') gives them), classified from their chars;
  // only tokens that become part of the payload are sliced out.
  const key = v.key;
  const n = key.length;
  for (let s = 0; s <= n; ) {
    let e = key.indexOf(' ', s);
    if (e < 0) e = n;
    let dot = false;
    let at = false;
    let digit = false;
    let shaped = false; // '-', '(' or ')'
    for (let i = s; i < e; i++) {
      const c = key.charCodeAt(i);
      if (c === 46) dot = true;
      else if (c === 64) at = true;
      else if (c >= 48 && c <= 57) digit = true;
      else if (c === 45 || c === 40 || c === 41) shaped = true;
    }
    if (dot && hosts.length > 0) {
      const t = key.slice(s, e);
      // A host inside t uses only characters of t: with several hosts, a one-word bitmask check
      // first (exact filter), so long messages of distinct links do few substring searches.
      let hit = false;
      if (hostMasks === null) {
        for (let j = 0; j < hosts.length && !hit; j++) hit = t.includes(hosts[j]!);
      } else {
        const tm = charMask(key, s, e);
        for (let j = 0; j < hosts.length && !hit; j++) hit = (hostMasks[j]! & ~tm) === 0 && t.includes(hosts[j]!);
      }
      if (hit) {
        closeRun();
        parts.push(t);
        s = e + 1;
        continue;
      }
    }
    if (at) {
      closeRun();
      const t = key.slice(s, e);
      if (t !== own) {
        parts.push(t);
        strong = true;
      }
    } else if (digit && phoneToken(key, s, e)) {
      for (let i = s; i < e; i++) {
        const c = key.charCodeAt(i);
        if (c >= 48 && c <= 57) run += key[i];
      }
      runTokens++;
      if (key.charCodeAt(s) === 43 || shaped) runShaped = true;
    } else {
      closeRun();
    }
    s = e + 1;
  }
  closeRun();
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
    if (!v.contact || ctx.role === 'AGENT' || v.masked.length < r.minLength || ctx.compiled.canned.has(ctx.fpKey)) return null;
    const payload = payloadOf(v, ctx);
    if (payload.signature === '') return null;
    // 1. same words, same destination: the spec's thresholds
    const fpMasked = hex64(ctx.fpMasked); // campaign identities cross shards as hex
    const c = ctx.campaign.record(fp64(`${fpMasked}|${payload.signature}`), ctx.senderKey, ctx.engagementId, ctx.nowMs, r.windowMs);
    let senders = c.senders >= r.senders ? { observed: c.senders, threshold: r.senders } : undefined;
    const byEngs = c.senderEngagements >= r.engagements ? { observed: c.senderEngagements, threshold: r.engagements } : undefined;
    // 2. same long promotional words, rotating destinations (one number or link per sender):
    //    counted on the masked text alone, at ROTATING_FACTOR × the sender threshold
    if (payload.strong && v.masked.length >= ROTATING_MIN_MASKED) {
      const m = ctx.campaign.record(fpMasked, ctx.senderKey, ctx.engagementId, ctx.nowMs, r.windowMs);
      const t = r.senders * ROTATING_FACTOR;
      if (!senders && m.senders >= t) senders = { observed: m.senders, threshold: t };
    }
    const hit = senders ?? byEngs;
    if (!hit) return null;
    if (hit.observed === hit.threshold) return { action: 'flag', observed: hit.observed, threshold: hit.threshold, strike: r.strike };
    return { action: r.action, observed: hit.observed, threshold: hit.threshold };
  },
};

// New engagements, rate-limited per client address and site. Anyone can get consumer JWTs (a
// tenant's web site mints one for every visitor), so one script could open engagements as fast as
// the server answers: measured, 2,842 in 10 s from one address, every one queued ahead of the real
// customers (a customer after a 5 s flood was told position 641, 5 h 20 min). A token bucket per
// (site, address) lets a burst through — an office behind one NAT opening chats together — then one
// engagement per refill interval; past it requestEngagement is answered 429 TOO_MANY_ENGAGEMENTS
// with Retry-After on the HTTP thread, before anything reaches a shard, so the JWT is not used up.
//
// The address is the one the sign-in throttle uses (auth-throttle.ts clientAddress): behind a
// reverse proxy without PARLEY_TRUST_PROXY every client has the proxy's address and shares one bucket.
//
// Each bucket is one number, the time it is full again (GCRA, the "virtual scheduling" form of a
// token bucket): a request is admitted when, one interval later, that time would be at most `burst`
// intervals ahead of now. A full bucket is the same as none, so it is forgotten; at most `maxKeys`
// are kept, the least recently admitted dropped first (which gives that key a full bucket again).
import type { HttpContext } from './context.ts';
import { sendError, type Exchange } from './respond.ts';
import { setRecent } from './recent-map.ts';

/** How many full buckets one take looks at to forget: more than one, so idle keys leave faster than new ones come. */
const FORGET_PER_TAKE = 2;
/** An address as a proxy writes it is short; a longer key is cut, so no client can make one large. */
const MAX_ADDRESS_CHARS = 64;

export class EngagementRateLimit {
  /** key → when its bucket is full again (ms); Map order = least recently admitted first */
  private readonly fullAt = new Map<string, number>();
  /** refusals with 429, for the operator metrics */
  refused = 0;
  private nextLogAt = 0;

  /** `burst` 0: no limit. */
  constructor(
    private readonly burst: number,
    private readonly refillMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes a token of `key`'s bucket: 0 when admitted, else the milliseconds until one is back (nothing taken, a refusal counted). */
  take(key: string, now = Date.now()): number {
    if (this.burst <= 0) return 0;
    this.forgetFull(now);
    const full = this.fullAt.get(key);
    const next = (full !== undefined && full > now ? full : now) + this.refillMs;
    const wait = next - now - this.burst * this.refillMs;
    if (wait > 0) {
      this.refused++;
      return wait;
    }
    setRecent(this.fullAt, key, next, this.maxKeys); // the most recently admitted key is dropped last
    return 0;
  }

  /** Gives back the token of an admission that created nothing (the shard refused it). */
  refund(key: string, now = Date.now()): void {
    const full = this.fullAt.get(key);
    if (full === undefined) return;
    const back = full - this.refillMs;
    if (back <= now) this.fullAt.delete(key);
    else this.fullAt.set(key, back); // keeps its place: the order is by admission
  }

  // The least recently admitted bucket is full at most `burst` intervals after its admission, so
  // looking only at the front forgets every idle key within about that long.
  private forgetFull(now: number): void {
    let n = 0;
    for (const [key, full] of this.fullAt) {
      if (full > now || n++ === FORGET_PER_TAKE) return;
      this.fullAt.delete(key);
    }
  }

  /** True at most once per `everyMs`: a flood of refusals is logged as a line now and then, not a line each. */
  logDue(now: number, everyMs: number): boolean {
    if (now < this.nextLogAt) return false;
    this.nextLogAt = now + everyMs;
    return true;
  }

  get size(): number {
    return this.fullAt.size;
  }
}

/**
 * Takes the token of `address` (auth-throttle.ts peerOf) on `site` for a new engagement: the bucket's
 * key when admitted (to refund it if the shard refuses), else undefined after answering 429
 * TOO_MANY_ENGAGEMENTS with Retry-After (whole seconds, at least 1). Refusals are logged at most once
 * per LOG_EVERY_MS, with the count so far, so a flood cannot flood the log.
 */
export function admitEngagement(ctx: HttpContext, x: Exchange, site: string, address: string): string | undefined {
  const key = `${site}\u0000${address.slice(0, MAX_ADDRESS_CHARS)}`;
  const now = Date.now();
  const wait = ctx.engagementRate.take(key, now);
  if (wait === 0) return key;
  if (ctx.engagementRate.logDue(now, LOG_EVERY_MS)) {
    ctx.log.warn(
      { site, peer: address, burst: ctx.cfg.engagementRateBurst, refillMs: ctx.cfg.engagementRateRefillMs, refusedTotal: ctx.engagementRate.refused },
      'new engagements refused for an address over its allowance (429 TOO_MANY_ENGAGEMENTS); at most one such line per 10 s',
    );
  }
  sendError(x, 'TOO_MANY_ENGAGEMENTS', { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) });
  return undefined;
}

const LOG_EVERY_MS = 10_000;

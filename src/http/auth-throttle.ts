// Failed credentials, throttled. The issuer's Basic-auth endpoints (establishSessions,
// chatAuthenticate, serviceSettings, agentTokens) and the admin bearer token sit on the same
// internet-facing port as the chat API; unthrottled, one client could try passwords as fast as the
// server answers (tens of thousands a second here). Two limits, each a sliding window of failures
// refused with 429 TOO_MANY_ATTEMPTS and Retry-After until its oldest failure leaves the window —
// before the password is even compared, so a blocked client learns nothing:
//
// - per (client address, user name) — the address alone for the admin token: many guesses at one
//   account. A success clears it. An attacker elsewhere cannot lock a real agent out from the
//   agent's own address.
// - per client address, across every user name: password spraying, one password tried on many user
//   names, which the first never sees (305 names from one address: all 401, none 429). Off unless
//   PARLEY_AUTH_MAX_FAILURES_PER_ADDRESS is set: it makes the address a lock-out handle — anyone
//   sharing it (a NAT, a proxy without PARLEY_TRUST_PROXY) can, with made-up names, lock out every
//   user there that has not signed in within the window. A success does not clear it (one valid
//   account would otherwise reset it between sprays), nor count. A user that signed in from the
//   address within the window is let past it — its own limit still applies. The admin token is
//   outside it, neither checked nor counted: a long random secret leaves nothing to spray, and the
//   issuer's failures must never lock the operator out.
//
// Behind a reverse proxy every client has the proxy's address: set PARLEY_TRUST_PROXY so the address
// is the one the proxy appends to X-Forwarded-For (without it, the first limit degrades to the user
// name alone and the second is shared by every client of the proxy).
//
// Memory: each of the three maps (two limits, recent sign-ins) holds at most `maxKeys` keys, a
// limit's key at most its `max` timestamps; the least recently touched key goes first.
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';
import { sendError, type Exchange } from './respond.ts';
import { lastEntry } from './public-address.ts';
import type { HttpContext } from './context.ts';
import { setRecent } from './recent-map.ts';

export class AuthThrottle {
  /** key → failure times (ms), oldest first; Map order = least recently failed first */
  private readonly failures = new Map<string, number[]>();
  /** refusals with 429, for the operator metrics */
  refused = 0;

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  private recent(key: string, now: number): number[] | undefined {
    const f = this.failures.get(key);
    if (!f) return undefined;
    while (f.length > 0 && (f[0] as number) <= now - this.windowMs) f.shift();
    if (f.length === 0) {
      this.failures.delete(key);
      return undefined;
    }
    return f;
  }

  /** Milliseconds until `key` may try again; 0: it may try now. Counts a refusal. */
  blockedFor(key: string, now = Date.now()): number {
    if (this.max <= 0) return 0;
    const f = this.recent(key, now);
    if (!f || f.length < this.max) return 0;
    this.refused++;
    return (f[0] as number) + this.windowMs - now;
  }

  /** Counts a failure; true when it is the one that blocks the key (log it: a guessing attempt). */
  fail(key: string, now = Date.now()): boolean {
    if (this.max <= 0) return false;
    const f = this.recent(key, now) ?? [];
    f.push(now);
    if (f.length > this.max) f.shift();
    setRecent(this.failures, key, f, this.maxKeys); // the most recently failed key is evicted last
    return f.length === this.max;
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  get size(): number {
    return this.failures.size;
  }
}

/** Which limit a sign-in met: one account's, or its address's budget across accounts. */
export type Limit = 'user' | 'address';

/** The two limits and the recent sign-ins that pass the address budget (see the top of the file). */
export class SignInThrottle {
  private readonly perUser: AuthThrottle;
  private readonly perAddress: AuthThrottle;
  /** key → time of its last success (ms); Map order = least recently succeeded first */
  private readonly signedIn = new Map<string, number>();
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(o: { perUser: number; perAddress: number; windowMs: number; maxKeys?: number }) {
    this.windowMs = o.windowMs;
    this.maxKeys = o.maxKeys ?? 100_000;
    this.perUser = new AuthThrottle(o.perUser, o.windowMs, this.maxKeys);
    this.perAddress = new AuthThrottle(o.perAddress, o.windowMs, this.maxKeys);
  }

  /** refusals with 429, for the operator metrics */
  get refused(): number {
    return this.perUser.refused + this.perAddress.refused;
  }

  /**
   * Milliseconds until `key` may try again, 0: now; counts a refusal. `address`: the budget it
   * draws on, undefined for one outside it (the admin token).
   */
  blockedFor(address: string | undefined, key: string, now = Date.now()): number {
    const own = this.perUser.blockedFor(key, now);
    if (own > 0 || address === undefined) return own;
    const at = this.signedIn.get(key);
    if (at !== undefined && at > now - this.windowMs) return 0;
    return this.perAddress.blockedFor(address, now);
  }

  /** Counts a failure against its limits; returns the limits this failure reached (log them). */
  failed(address: string | undefined, key: string, now = Date.now()): Limit[] {
    const reached: Limit[] = [];
    if (this.perUser.fail(key, now)) reached.push('user');
    if (address !== undefined && this.perAddress.fail(address, now)) reached.push('address');
    return reached;
  }

  succeeded(key: string, now = Date.now()): void {
    this.perUser.succeed(key);
    setRecent(this.signedIn, key, now, this.maxKeys);
  }

  /** keys held, all maps together */
  get size(): number {
    return this.perUser.size + this.perAddress.size + this.signedIn.size;
  }
}

/**
 * The client's address: the socket's peer, or with a trusted proxy in front the last X-Forwarded-For
 * entry (the one that proxy appended; entries left of it come from the client and prove nothing).
 */
export function clientAddress(peer: string, forwardedFor: string, trustProxy: boolean): string {
  if (!trustProxy || forwardedFor === '') return peer;
  return lastEntry(forwardedFor) || peer;
}

/** The caller's address, read while the request is valid (before any await). */
export function peerOf(res: HttpResponse, req: HttpRequest, trustProxy: boolean): string {
  return clientAddress(Buffer.from(res.getRemoteAddressAsText()).toString(), req.getHeader('x-forwarded-for'), trustProxy);
}

/**
 * One sign-in under the throttle: `key` is the address and user name (the address alone for the
 * admin token); `address` the cross-user budget it draws on (undefined for the admin token).
 * Blocked, it gets 429 TOO_MANY_ATTEMPTS with Retry-After and `verify` is not even called; a miss gets 401 (with `challenge` headers) and counts — `onBlocked` runs for each limit
 * this failure reached (log it: a guessing attempt); a match clears the key's own count.
 * Returns the match, or undefined once the exchange is answered.
 */
export function signInThrottled<T>(
  throttle: SignInThrottle,
  x: Exchange,
  who: { address: string | undefined; key: string },
  verify: () => T | undefined,
  onBlocked: (limit: Limit) => void,
  challenge?: Record<string, string>,
): T | undefined {
  const wait = throttle.blockedFor(who.address, who.key);
  if (wait > 0) {
    sendError(x, 'TOO_MANY_ATTEMPTS', { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) });
    return undefined;
  }
  const found = verify();
  if (found === undefined) {
    for (const limit of throttle.failed(who.address, who.key)) onBlocked(limit);
    sendError(x, 'UNAUTHORIZED', challenge);
    return undefined;
  }
  throttle.succeeded(who.key);
  return found;
}

/** The warning for a failure that reached a limit: `user` undefined for the admin token. */
export function blockedLog(ctx: HttpContext, limit: Limit, peer: string, user: string | undefined): void {
  const windowS = ctx.cfg.authFailureWindowS;
  if (limit === 'address') {
    ctx.log.warn({ peer, failures: ctx.cfg.authMaxFailuresPerAddress, windowS }, 'sign-ins from one address blocked after repeated failures across users (password spraying?): 429 TOO_MANY_ATTEMPTS');
  } else if (user === undefined) {
    ctx.log.warn({ peer, failures: ctx.cfg.authMaxFailures, windowS }, 'admin token blocked after repeated failures (429 TOO_MANY_ATTEMPTS)');
  } else {
    ctx.log.warn({ peer, user, failures: ctx.cfg.authMaxFailures, windowS }, 'sign-in blocked after repeated failures (429 TOO_MANY_ATTEMPTS)');
  }
}

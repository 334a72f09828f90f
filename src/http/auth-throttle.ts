// Failed credentials, throttled. The issuer's Basic-auth endpoints (establishSessions,
// serviceSettings, agentTokens) and the admin bearer token sit on the same internet-facing port as
// the chat API; unthrottled, one client could try passwords as fast as the server answers (tens of
// thousands a second here). After `max` failures within `windowMs` a key is refused with 429
// TOO_MANY_ATTEMPTS and Retry-After until its oldest failure leaves the window — before the
// password is even compared, so a blocked client learns nothing — and a success clears its count.
//
// The key is the client address plus the user name (the address alone for the admin token): one
// address guessing many users, and many addresses guessing one user, are both slowed, while an
// attacker elsewhere cannot lock a real agent out from the agent's own address. Behind a reverse
// proxy every client has the proxy's address: set PARLEY_TRUST_PROXY so the address is the one the
// proxy appends to X-Forwarded-For (without it, the key degrades to the user name alone).
//
// Memory: at most `maxKeys` keys with at most `max` timestamps each; the least recently failed key
// goes first.
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';
import { sendError, type Exchange } from './respond.ts';
import { lastEntry } from './public-address.ts';

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
    this.failures.delete(key); // re-inserted last: the most recently failed key is evicted last
    f.push(now);
    if (f.length > this.max) f.shift();
    this.failures.set(key, f);
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    return f.length === this.max;
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  get size(): number {
    return this.failures.size;
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
 * One sign-in under the throttle. A blocked `key` gets 429 TOO_MANY_ATTEMPTS with Retry-After and
 * `verify` is not even called; a miss gets 401 (with `challenge` headers) and counts — `onBlocked`
 * runs for the failure that blocks the key (log it: a guessing attempt); a match clears the key.
 * Returns the match, or undefined once the exchange is answered.
 */
export function signInThrottled<T>(
  throttle: AuthThrottle,
  x: Exchange,
  key: string,
  verify: () => T | undefined,
  onBlocked: () => void,
  challenge?: Record<string, string>,
): T | undefined {
  const wait = throttle.blockedFor(key);
  if (wait > 0) {
    sendError(x, 'TOO_MANY_ATTEMPTS', { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) });
    return undefined;
  }
  const found = verify();
  if (found === undefined) {
    if (throttle.fail(key)) onBlocked();
    sendError(x, 'UNAUTHORIZED', challenge);
    return undefined;
  }
  throttle.succeed(key);
  return found;
}

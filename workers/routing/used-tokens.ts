// Agent logon JWTs are single-use, as consumer JWTs are (spec §2.2: replayed tokens → 403): a token
// copied off the wire would otherwise open sessions for its agent for its whole hour, each taking
// over the real agent's session. The tenant's home shard answers every logon of the tenant, so it
// alone keeps the ids it accepted — in meta keys, group-committed with the logon, so a restart
// still refuses them — until the token expires and is refused for that anyway.
import type { Journal } from '../../src/store/journal.ts';
import type { Keys } from './agent-session.ts';

export class UsedTokens {
  /** jti → expiry (s), roughly in expiry order: every agent token has the issuer's one TTL */
  private readonly used = new Map<string, number>();

  constructor(
    private readonly journal: Journal,
    private readonly keys: Keys,
  ) {}

  has(jti: string): boolean {
    return this.used.has(jti);
  }

  use(jti: string, exp: number): void {
    this.used.set(jti, exp);
    this.journal.putMeta(this.keys.usedToken(jti), exp);
  }

  restore(now: number): void {
    const prefix = this.keys.usedTokenPrefix;
    const kept: Array<[string, number]> = [];
    for (const { key, value } of this.journal.metaRange(prefix)) {
      if (typeof value === 'number' && value * 1000 >= now) kept.push([key.slice(prefix.length), value]);
      else this.journal.removeMeta(key);
    }
    // meta comes back in key order; the sweep below relies on expiry order
    kept.sort((a, b) => a[1] - b[1]);
    for (const [jti, exp] of kept) this.used.set(jti, exp);
  }

  /** Forgets the expired ones; stops at the first still valid (order is near enough expiry order). */
  sweep(now: number): void {
    for (const [jti, exp] of this.used) {
      if (exp * 1000 >= now) break;
      this.used.delete(jti);
      this.journal.removeMeta(this.keys.usedToken(jti));
    }
  }
}

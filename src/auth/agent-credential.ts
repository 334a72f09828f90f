// What identifies an agent's sign-in secret without carrying it: a stamp of the tenant, user and
// password. Agent sessions and agent tokens keep the stamp they were made under, so a password
// changed in the tenant document ends the sessions and refuses the unused tokens made with the old
// one (a password change is the usual answer to a compromised account).
//
// The stamp is an HMAC under a key derived from the JWT key (data dir), never a plain hash: it rides
// in every agent token, and tokens end up in bot configs, proxy logs and browser storage, next to
// the site and user they name. A public function of the password there let anyone holding a token
// test guesses offline, at millions a second, around the sign-in throttle. Without the key a stamp
// tells nothing; whoever has the key can sign tokens anyway. A new JWT key (an operator moving it
// away) therefore also ends the agent sessions made under the old one.
import crypto from 'node:crypto';

/** the label the stamp key is derived under, so it is never the signing key itself */
export const STAMP_KEY_LABEL = 'parley agent credential stamp v1';

/** full HMAC-SHA256, base64url: 43 characters (a legacy stamp has 22, which is how they are told apart) */
const STAMP_CHARS = 43;
const LEGACY_CHARS = 22;

export class AgentStamps {
  constructor(private readonly key: Uint8Array) {}

  /** the stamp tokens and sessions are made under now */
  of(site: string, user: string, password: string): string {
    return crypto.createHmac('sha256', this.key).update(`${site}\0${user}\0${password}`).digest('base64url');
  }

  /** `stamp` (a token's, made by this version or an older one) was made under this password */
  matches(stamp: string, site: string, user: string, password: string): boolean {
    if (stamp.length === STAMP_CHARS) return sameStamp(stamp, this.of(site, user, password));
    return isLegacyStamp(stamp) && sameStamp(stamp, legacyAgentCredential(site, user, password));
  }
}

/**
 * The stamp of the versions before the keyed one: a plain sha256 anyone can compute. Never issued
 * or written any more; it recognises what those versions left behind — an unused token (an hour at
 * most) and the journaled agent sessions, which get the keyed stamp when first checked
 * (workers/routing/roster.ts), so an upgrade neither ends them nor keeps them under an old password.
 */
export function legacyAgentCredential(site: string, user: string, password: string): string {
  return crypto.createHash('sha256').update(`parley-agent\0${site}\0${user}\0${password}`).digest('base64url').slice(0, LEGACY_CHARS);
}

export function isLegacyStamp(stamp: string): boolean {
  return stamp.length === LEGACY_CHARS;
}

/** Constant-time equality of two stamps (a length differing says nothing about the secret). */
export function sameStamp(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

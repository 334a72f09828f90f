// What identifies an agent's sign-in secret without carrying it: a stamp of the tenant, user and
// password. Agent sessions and agent tokens keep the stamp they were made under, so a password
// changed in the tenant document ends the sessions and refuses the unused tokens made with the old
// one (a password change is the usual answer to a compromised account). The stamp reaches the shard
// threads and the journal instead of the password; it is not a password hash meant to resist a
// guessing attack on its own — the data dir that holds it also holds the JWT key.
import crypto from 'node:crypto';

export function agentCredential(site: string, user: string, password: string): string {
  return crypto.createHash('sha256').update(`parley-agent\0${site}\0${user}\0${password}`).digest('base64url').slice(0, 22);
}

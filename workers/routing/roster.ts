// Which agent sessions the tenant's document no longer stands behind. The document is the list of
// who may act for the tenant: an agent taken out of it, given another accountId or user name, or
// given a new password (the usual answer to a compromised account) must not keep a session it made
// before — refusing only new agentTokens left a client that keeps polling (so never idle) offered
// customers, accepting and posting for good. The router ends them as logoffs.
//
// A record journaled by a version before the keyed stamp (src/auth/agent-credential.ts) holds the
// plain-hash stamp: it is compared with that, and a session still listed is given the keyed stamp
// and saved, so the old stamp does not outlive the upgrade's first check in the journal.
import type { TenantSnapshot } from '../../src/protocol/shard.ts';
import { isLegacyStamp, sameStamp } from '../../src/auth/agent-credential.ts';
import type { AgentSession } from './agent-session.ts';

export function unlistedSessions(sessions: Iterable<AgentSession>, agents: TenantSnapshot['agents']): AgentSession[] {
  const byAccount = new Map(agents.map((a) => [a.accountId, a]));
  const out: AgentSession[] = [];
  for (const s of sessions) {
    const a = byAccount.get(s.rec.accountId);
    const stamp = s.rec.credential;
    // records journaled before stamps carry no user or credential: held to their accountId only
    const legacy = stamp !== undefined && isLegacyStamp(stamp);
    const same = stamp === undefined || (a !== undefined && sameStamp(stamp, legacy ? a.legacyCredential : a.credential));
    if (!a || (s.rec.user !== undefined && s.rec.user !== a.user) || !same) {
      out.push(s);
    } else if (legacy) {
      s.rec.credential = a.credential;
      s.save();
    }
  }
  return out;
}

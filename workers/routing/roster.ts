// Which agent sessions the tenant's document no longer stands behind. The document is the list of
// who may act for the tenant: an agent taken out of it, given another accountId or user name, or
// given a new password (the usual answer to a compromised account) must not keep a session it made
// before — refusing only new agentTokens left a client that keeps polling (so never idle) offered
// customers, accepting and posting for good. Selection only; the router ends them as logoffs.
import type { TenantSnapshot } from '../../src/protocol/shard.ts';
import type { AgentSession } from './agent-session.ts';

export function unlistedSessions(sessions: Iterable<AgentSession>, agents: TenantSnapshot['agents']): AgentSession[] {
  const byAccount = new Map(agents.map((a) => [a.accountId, a]));
  const out: AgentSession[] = [];
  for (const s of sessions) {
    const a = byAccount.get(s.rec.accountId);
    // records journaled by older versions carry no user or credential: held to their accountId only
    if (!a || (s.rec.user !== undefined && s.rec.user !== a.user) || (s.rec.credential !== undefined && s.rec.credential !== a.credential)) out.push(s);
  }
  return out;
}

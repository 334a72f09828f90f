// The main thread's copy of the live agent sessions: token → who. The tenant's home shard owns
// sessions and publishes every logon/logoff (and, after its recovery, every surviving session) as
// an `agentSession` event before it answers the call that caused it, so an agent request is
// authenticated here with no round trip, and routed straight to the shard that acts on it.
import type { AgentWho } from '../protocol/shard.ts';
import { err, type ErrorData } from '../errors.ts';

export class AgentDirectory {
  private readonly byToken = new Map<string, AgentWho>();

  up(who: AgentWho): void {
    this.byToken.set(who.token, who);
  }

  down(token: string): void {
    this.byToken.delete(token);
  }

  /**
   * The session behind X-JSESSIONID, checked against the site and X-AID, which every agent call
   * carries (spec §1.3, §4). A missing X-AID is ACCESS_DENIED as a wrong one is, not
   * SESSION_UNKNOWN: the session is alive, and a client told it ended would log on again and so
   * take over (end) the session it holds.
   */
  check(site: string, token: string, aid: string): AgentWho | { error: ErrorData } {
    const who = token ? this.byToken.get(token) : undefined;
    if (!who || who.site !== site) return { error: err('SESSION_UNKNOWN') };
    if (aid === '') return { error: err('ACCESS_DENIED', 'X-AID (the agent account id) is required with X-JSESSIONID.') };
    if (aid !== String(who.accountId)) return { error: err('ACCESS_DENIED', 'X-AID does not match the agent session.') };
    return who;
  }

  get size(): number {
    return this.byToken.size;
  }
}

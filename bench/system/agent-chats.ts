// The bench agent logged on with E engagements accepted: the set-up the fanout and chat scenarios
// share (one agent, E customers' chats, each accepted through the agent API as a bot would).
import { ApiError, agentLogon, agentPath, offeredEngagementIds, type Api, type AgentSession } from './parley-api.ts';
import { createEngagements } from './setup.ts';
import { BENCH_AGENT, BENCH_PASS, BENCH_SITE, BENCH_USER } from './servers.ts';
import type { LoadSession } from './plan.ts';

export interface AgentChats {
  agent: AgentSession;
  /** engagement ids the agent accepted, each with its consumer session */
  chats: Array<{ engagementId: string; sessionId: string; pool: string }>;
}

export async function agentWithChats(api: Api, base: string, count: number, tag: string): Promise<AgentChats | { reason: string }> {
  let agent;
  try {
    agent = await agentLogon(api, BENCH_SITE, BENCH_AGENT.user, BENCH_AGENT.password);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { reason: `agent API not available yet: ${e.step} answered 404, so no second participant can post into an engagement` };
    throw e;
  }
  const made = await createEngagements({ base, site: BENCH_SITE, user: BENCH_USER, pass: BENCH_PASS, count, processes: 1, concurrency: 16, keepSessions: true, tag });
  if (made.created === 0) return { reason: `no engagement could be created: ${made.firstError ?? ''}` };
  const byEngagement = new Map(made.sessions.map((s) => [s.engagementId, s]));
  const ra = await api.request('POST', agentPath(BENCH_SITE, 'requestAssignment', agent.pool), { assignmentRequested: true, idleSessionCount: count, maxSessionCount: count }, agent.headers);
  if (ra.status !== 200) return { reason: `requestAssignment answered ${ra.status}: ${ra.text.slice(0, 160)}` };
  const accepted: string[] = [];
  const deadline = Date.now() + 60_000;
  while (accepted.length < made.created && Date.now() < deadline) {
    const poll = await api.request('POST', agentPath(BENCH_SITE, 'getMessages', agent.pool), {}, agent.headers);
    if (poll.status !== 200) return { reason: `agent getMessages answered ${poll.status}: ${poll.text.slice(0, 160)}` };
    for (const id of offeredEngagementIds(poll.json)) {
      if (!byEngagement.has(id) || accepted.includes(id)) continue;
      const ack = await api.request(
        'POST',
        agentPath(BENCH_SITE, 'assignmentAcknowledgement', agent.pool),
        { action: 'ACCEPT', actionType: 'MANUAL', assignmentType: 'LEAD', engagementId: id },
        agent.headers,
      );
      if (ack.status === 200) accepted.push(id);
    }
  }
  if (accepted.length === 0) return { reason: `the agent was offered none of the ${made.created} engagements within 60 s` };
  return { agent, chats: accepted.map((id) => ({ engagementId: id, sessionId: byEngagement.get(id)!.sessionId, pool: byEngagement.get(id)!.pool })) };
}

/** The agent's postMessage into one engagement, as a load session (engagement ids as strings: lossless for any int64, chat-api §1.5). */
export function agentPostSession(agent: AgentSession, engagementId: string): LoadSession {
  return {
    kind: 'h',
    path: agentPath(BENCH_SITE, 'postMessage', agent.pool),
    bodyPrefix: `{"destinationId":${JSON.stringify(engagementId)},"destinationType":"ENGAGEMENT","body":`,
    bodySuffix: '}',
    headers: agent.headers,
  };
}

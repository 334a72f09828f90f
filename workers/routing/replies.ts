// Response bodies computed from a tenant's routing state (pure: state in, plain object out). The
// hot ones (queue stats: chat fronts ask before and while waiting) write their int64 pairs as
// literals, not twin() spreads (~7 µs per object: docs/performance.md, "The chat path").
import type { AgentOp, TenantSnapshot } from '../../src/protocol/shard.ts';
import { i64, twin } from '../../src/protocol/json.ts';
import { oracleTime } from '../actor/consumer-messages.ts';
import { invalidField } from '../../src/errors.ts';
import { freeSlots, type AgentSession } from './agent-session.ts';
import type { TenantQueue } from './queue.ts';

/** rerouteAvailability: a best guess for the escalation queue (spec §7.15). */
export function agentRoutingReply(engagementId: number, queueId: number, free: number, waiting: number, avgWaitSec: number): Record<string, unknown> {
  return {
    engagementId,
    engagementIdString: String(engagementId),
    queueId,
    queueIdString: String(queueId),
    available: free > 0,
    availableAgentSessions: free,
    engagementsInQueue: waiting,
    expectedWaitTimeSeconds: Math.round(avgWaitSec * (waiting + 1)),
  };
}

/**
 * A queueId the tenant does not have: refused (400), not answered with another queue's figures — a
 * chat front would be told agents are free in a queue that does not exist (the caller checks).
 */
export const UNKNOWN_QUEUE = invalidField('queueId', "the id of one of this site's queues");

/** Consumer getQueueStats / getEngagementQueue (spec §3.6, §3.7), from live routing state; `op.queueId` is one of `queueIds` or none. */
export function queueStatsBody(
  op: Extract<AgentOp, { op: 'queueStats' }>,
  queue: TenantQueue,
  sessions: AgentSession[],
  queueIds: number[],
  avgWaitSec: number,
): Record<string, unknown> {
  const queueId = op.queueId ?? (queueIds[0] as number);
  const waiting = queue.count(queueId);
  const body: Record<string, unknown> = { clientId: 0, clientIdString: '0', clientRequestTime: op.echo.clientRequestTime ?? null };
  const ctid = op.echo.clientTransactionId;
  if (ctid !== undefined) {
    body.clientTransactionId = i64(ctid);
    body.clientTransactionIdString = ctid;
  }
  if (op.kind === 'stats') {
    // AGENTS: available agents who asked for chats; SESSIONS: available agents whether or not they asked
    const n = sessions.filter((s) => s.rec.status === 'AVAILABLE' && (op.available === 'SESSIONS' || s.rec.requested)).length;
    body.availableAgentSessions = n;
    body.totalAvailableAgents = n;
    body.engagementsInQueue = waiting;
    body.queueId = queueId;
    body.queueIdString = String(queueId);
  } else {
    const free = freeSlots(sessions);
    const avg = Math.round(avgWaitSec);
    body.availableAgentSessions = free;
    body.chatRouteId = queueId;
    body.queueId = queueId;
    body.queueIdString = String(queueId);
    body.engagementsInQueue = waiting;
    body.expectedWaitTimeSeconds = Math.round(avgWaitSec * (waiting + 1));
    body.averageWaitTimeSeconds = avg;
    body.averageWaitTimeSecondsString = String(avg);
  }
  body.serviceStartTime = oracleTime(op.echo.t0);
  body.serviceFinishTime = oracleTime(Date.now());
  return body;
}

/** retrieveAgentsAndQueues (spec §7.14): the tenant's agents and queues; `id` + type AGENT narrows agents. */
export function retrieveBody(
  op: Extract<AgentOp, { op: 'retrieveAgentsAndQueues' }>,
  tenant: TenantSnapshot,
  byAccount: ReadonlyMap<number, AgentSession>,
  queue: TenantQueue,
  queueIds: number[],
  clientIdOf: (accountId: number) => number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (op.agents) {
    const only = op.type === 'AGENT' && op.id !== undefined ? Number(op.id) : undefined;
    out.agents = tenant.agents
      .filter((a) => only === undefined || a.accountId === only)
      .map((a) => {
        const s = byAccount.get(a.accountId);
        return {
          ...twin('accountId', a.accountId),
          ...twin('clientId', clientIdOf(a.accountId)),
          name: a.name,
          loggedIn: s !== undefined,
          status: s?.rec.status ?? 'NONE',
          activeSessionCount: s?.rec.held.length ?? 0,
          maxSessionCount: s?.rec.max ?? 0,
          mediaList: [{ mediaType: 'CHAT', environmentErrorList: [] }],
        };
      });
  }
  if (op.queues) {
    const queues: Record<string, unknown> = {};
    const names = new Map((tenant.queues ?? []).map((q) => [q.id, q.name]));
    for (const id of queueIds) {
      queues[String(id)] = {
        ...twin('queueId', id),
        name: names.get(id) ?? `Queue ${id}`,
        profileIdsList: [],
        ...(op.stats ? { engagementsInQueue: queue.count(id) } : {}),
      };
    }
    out.queues = queues;
  }
  return out;
}

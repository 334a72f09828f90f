// fanout: an agent accepts E engagements and posts into them under load; every engagement has
// `copies` WebSocket receivers (the consumer's session), so one post becomes `copies` deliveries.
// Consumer posts cannot be used for this: they are not echoed to their sender (chat-api §3.4).
import fs from 'node:fs';
import path from 'node:path';
import { Api, ApiError, agentLogon, agentPath, offeredEngagementIds } from './parley-api.ts';
import { createEngagements } from './setup.ts';
import { openReceivers } from './ws-receivers.ts';
import { renderSessionFile } from './plan.ts';
import type { LoadSession } from './plan.ts';
import { sampleUsage } from './proc.ts';
import type { Started } from './proc.ts';
import { BENCH_AGENT, BENCH_PASS, BENCH_SITE, BENCH_USER } from './servers.ts';
import { peakLoad, toRow } from './measure.ts';
import type { Ctx } from './scenarios.ts';
import type { ResultRow } from './types.ts';

export async function runFanout(ctx: Ctx, srv: Started): Promise<{ row: ResultRow } | { reason: string }> {
  const api = new Api(srv.base, 8);
  try {
    let agent;
    try {
      agent = await agentLogon(api, BENCH_SITE, BENCH_AGENT.user, BENCH_AGENT.password);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return { reason: `agent API not available yet: ${e.step} answered 404, so no second participant can post into an engagement` };
      throw e;
    }
    const E = ctx.fanoutEngagements;
    const made = await createEngagements({ base: srv.base, site: BENCH_SITE, user: BENCH_USER, pass: BENCH_PASS, count: E, processes: 1, concurrency: 16, keepSessions: true, tag: 'fanout' });
    if (made.created === 0) return { reason: `no engagement could be created: ${made.firstError ?? ''}` };
    const byEngagement = new Map(made.sessions.map((s) => [s.engagementId, s]));
    const ra = await api.request('POST', agentPath(BENCH_SITE, 'requestAssignment', agent.pool), { assignmentRequested: true, idleSessionCount: E, maxSessionCount: E }, agent.headers);
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
    const sessions = accepted.map((id) => byEngagement.get(id)!.sessionId);
    const ws = await openReceivers(srv.base, BENCH_SITE, sessions, ctx.fanoutCopies);
    try {
      if (ws.opened === 0) return { reason: `no WebSocket receiver could connect: ${ws.firstError ?? ''}` };
      const posts: LoadSession[] = accepted.map((id) => ({
        kind: 'h',
        path: agentPath(BENCH_SITE, 'postMessage', agent.pool),
        // engagement ids go out as strings: lossless for any int64 (chat-api §1.5)
        bodyPrefix: `{"destinationId":${JSON.stringify(id)},"destinationType":"ENGAGEMENT","body":`,
        bodySuffix: '}',
        headers: agent.headers,
      }));
      const file = path.join(ctx.tmpRoot, 'fanout-agent.tsv');
      fs.writeFileSync(file, renderSessionFile(posts));
      if (ctx.warmupS > 0) await peakLoad(ctx, srv.base, file, 0, false, ctx.warmupS);
      // let the warm-up's deliveries drain before counting
      await new Promise((r) => setTimeout(r, 1000));
      const w0 = ws.count();
      const usage = sampleUsage(srv.pid);
      const load = await peakLoad(ctx, srv.base, file, 0, false, ctx.durationS);
      const u = usage.stop();
      const row = toRow('fanout', 'parley', load, u, { delivered: ws.count() - w0, receivers: ws.opened });
      ctx.log(`[fanout] ${accepted.length} engagements × ${ctx.fanoutCopies} receivers: ${load.reqPerSec} agent posts/s, ${row.wsDeliveredPerSec ?? 0} WS msgs/s`);
      return { row };
    } finally {
      ws.close();
    }
  } finally {
    api.close();
  }
}

// fanout: an agent accepts E engagements and posts into them under load; every engagement has
// `copies` WebSocket receivers (the consumer's session), so one post becomes `copies` deliveries.
// Consumer posts cannot be used for this: they are not echoed to their sender (chat-api §3.4).
import fs from 'node:fs';
import path from 'node:path';
import { Api } from './parley-api.ts';
import { agentPostSession, agentWithChats } from './agent-chats.ts';
import { openReceivers } from './ws-receivers.ts';
import { renderSessionFile } from './plan.ts';
import { sampleUsage } from './proc.ts';
import type { Started } from './proc.ts';
import { BENCH_SITE } from './servers.ts';
import { peakLoad, toRow } from './measure.ts';
import type { Ctx } from './scenarios.ts';
import type { ResultRow } from './types.ts';

export async function runFanout(ctx: Ctx, srv: Started): Promise<{ row: ResultRow } | { reason: string }> {
  const api = new Api(srv.base, 8);
  try {
    const set = await agentWithChats(api, srv.base, ctx.fanoutEngagements, 'fanout');
    if ('reason' in set) return set;
    const ws = await openReceivers(srv.base, BENCH_SITE, set.chats.map((c) => c.sessionId), ctx.fanoutCopies);
    try {
      if (ws.opened === 0) return { reason: `no WebSocket receiver could connect: ${ws.firstError ?? ''}` };
      const file = path.join(ctx.tmpRoot, 'fanout-agent.tsv');
      fs.writeFileSync(file, renderSessionFile(set.chats.map((c) => agentPostSession(set.agent, c.engagementId))));
      if (ctx.warmupS > 0) await peakLoad(ctx, srv.base, file, 0, false, ctx.warmupS);
      // let the warm-up's deliveries drain before counting
      await new Promise((r) => setTimeout(r, 1000));
      const w0 = ws.count();
      const usage = sampleUsage(srv.pid);
      const load = await peakLoad(ctx, srv.base, file, 0, false, ctx.durationS);
      const u = usage.stop();
      const row = toRow('fanout', 'parley', load, u, { delivered: ws.count() - w0, receivers: ws.opened });
      ctx.log(`[fanout] ${set.chats.length} engagements × ${ctx.fanoutCopies} receivers: ${load.reqPerSec} agent posts/s, ${row.wsDeliveredPerSec ?? 0} WS msgs/s`);
      return { row };
    } finally {
      ws.close();
    }
  } finally {
    api.close();
  }
}

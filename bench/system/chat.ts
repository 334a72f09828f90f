// chat: customers and their agent talking, the path every message of a production chat takes. The
// bench agent accepts E engagements; the load walks, per engagement, the customer's postMessage
// (consumer API) then the agent's (agent API), so half the posts go each way; every customer reads
// over one WebSocket and the agent long-polls its deliveries all through the run, as a bot does. So
// each post is screened, journaled and delivered to the other side (the ham scenario's posts have
// no agent to deliver to). No baseline: a bare server has no second side to deliver to.
import fs from 'node:fs';
import path from 'node:path';
import { Api, agentPath } from './parley-api.ts';
import { agentPostSession, agentWithChats } from './agent-chats.ts';
import { openReceivers } from './ws-receivers.ts';
import { consumerPostSession, renderSessionFile } from './plan.ts';
import { sampleUsage } from './proc.ts';
import type { Started } from './proc.ts';
import { BENCH_SITE } from './servers.ts';
import { peakLoad, toRow } from './measure.ts';
import type { Ctx } from './scenarios.ts';
import type { ResultRow } from './types.ts';

/** Entries in one agent getMessages answer (ChatGetTimeout alone: none). */
function entries(reply: unknown): number {
  const types = typeof reply === 'object' && reply !== null ? (reply as { getResponseTypes?: unknown }).getResponseTypes : undefined;
  if (!Array.isArray(types)) return 0;
  return types.filter((t) => !(typeof t === 'object' && t !== null && 'ChatGetTimeout' in t)).length;
}

export async function runChat(ctx: Ctx, srv: Started): Promise<{ row: ResultRow } | { reason: string }> {
  const api = new Api(srv.base, 8);
  try {
    const set = await agentWithChats(api, srv.base, ctx.chatEngagements, 'chat');
    if ('reason' in set) return set;
    const { agent, chats } = set;
    const ws = await openReceivers(srv.base, BENCH_SITE, chats.map((c) => c.sessionId), 1);
    // the agent bot: one long poll after another until the run ends (its own connection)
    const poller = new Api(srv.base, 1);
    let polling = true;
    let delivered = 0;
    let pollErrors = 0;
    const bot = (async (): Promise<void> => {
      while (polling) {
        const r = await poller.request('POST', agentPath(BENCH_SITE, 'getMessages', agent.pool), {}, agent.headers).catch(() => null);
        if (r !== null && r.status === 200) delivered += entries(r.json);
        else {
          pollErrors++;
          // not a hot loop against a server that refuses: a bot would back off too
          if (polling) await new Promise((res) => setTimeout(res, 50));
        }
      }
    })();
    try {
      if (ws.opened === 0) return { reason: `no WebSocket receiver could connect: ${ws.firstError ?? ''}` };
      const file = path.join(ctx.tmpRoot, 'chat.tsv');
      fs.writeFileSync(file, renderSessionFile(chats.flatMap((c) => [consumerPostSession(BENCH_SITE, c.pool, c.sessionId), agentPostSession(agent, c.engagementId)])));
      if (ctx.warmupS > 0) await peakLoad(ctx, srv.base, file, 0, false, ctx.warmupS);
      await new Promise((r) => setTimeout(r, 1000));
      const w0 = ws.count();
      const d0 = delivered;
      const usage = sampleUsage(srv.pid);
      const load = await peakLoad(ctx, srv.base, file, 0, false, ctx.durationS);
      const u = usage.stop();
      const agentDeliveredPerSec = Math.round((delivered - d0) / Math.max(load.durationS, 1e-9));
      const row = toRow('chat', 'parley', load, u, { delivered: ws.count() - w0, receivers: ws.opened });
      ctx.log(
        `[chat] ${chats.length} chats, customer and agent posting in turn: ${load.reqPerSec} posts/s; delivered ${row.wsDeliveredPerSec ?? 0}/s to customers (WebSocket), ` +
          `${agentDeliveredPerSec}/s to the agent (long poll)${pollErrors > 0 ? `; ${pollErrors} agent polls failed` : ''}`,
      );
      return { row: { ...row, agentDeliveredPerSec } };
    } finally {
      // closing the poller's socket ends the long poll in flight now, not after its hold time
      polling = false;
      poller.close();
      ws.close();
      await bot;
    }
  } finally {
    api.close();
  }
}

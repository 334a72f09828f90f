// The bench's chat scenario as `npm run bench -- --scenario chat` runs it, briefly: the real server
// as a process, the bench agent accepting the chats through the agent API, the Node load client
// posting as customers and as the agent in turn, the customers' WebSockets and the agent's long-poll
// loop receiving. Each side must get the other side's half of the posts, or the scenario measures
// posts without their deliveries.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChat } from '../bench/system/chat.ts';
import { renderTextsFile } from '../bench/system/plan.ts';
import { makeTmpRoot, startParley } from '../bench/system/servers.ts';
import { stopServer } from '../bench/system/proc.ts';
import type { Ctx } from '../bench/system/scenarios.ts';

const tmpRoot = makeTmpRoot();
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

describe('bench chat scenario', () => {
  it('posts both ways in every chat and delivers each half to the other side', async () => {
    const hamFile = path.join(tmpRoot, 'ham.txt');
    fs.writeFileSync(hamFile, renderTextsFile(['hello, where is my order?', 'it should arrive on monday', 'thanks a lot for the help', 'can I change the address?']));
    const parley = { shards: 2, journal: true, logLevel: 'warn', tmpRoot, cpus: null, entry: null };
    const lines: string[] = [];
    const ctx: Ctx = {
      durationS: 2, fixedSlices: 1, rounds: 1, warmupS: 0, connections: 4, engagements: 4, idleEngagements: 1, idleTimeoutS: 1,
      wsReceivers: 0, fanoutEngagements: 1, fanoutCopies: 1, chatEngagements: 4, client: 'node', messageIds: true, wrkThreads: 1,
      clientProcs: 1, setupProcs: 1, parley, hamFile, advFile: hamFile, tmpRoot, background: [], log: (m) => lines.push(m),
    };
    const srv = await startParley(parley);
    try {
      const r = await runChat(ctx, srv);
      if ('reason' in r) throw new Error(r.reason);
      const row = r.row;
      expect(row.scenario).toBe('chat');
      expect(row.requests).toBeGreaterThan(100);
      // every post answered 200: a refused half would still count as load
      expect(Object.keys(row.statusCounts)).toEqual(['200']);
      // the agent's half reached the customers' sockets, the customers' half the agent's polls
      const perSec = row.reqPerSec;
      expect(row.wsDeliveredPerSec!).toBeGreaterThan(perSec * 0.3);
      expect(row.agentDeliveredPerSec!).toBeGreaterThan(perSec * 0.3);
      expect(lines.some((l) => l.startsWith('[chat] 4 chats'))).toBe(true);
    } finally {
      await stopServer(srv);
    }
  });
});

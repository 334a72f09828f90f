// getQueueStats (and getEngagementQueue, which honours a queueId too) for a queue the tenant does
// not have answers 400 INVALID_FIELD naming `queueId` — before, it answered 200 with the first
// queue's figures labelled `queueId: 1`, so a chat front asking about a mistyped or removed queue
// was told agents were free there and offered a chat that would be routed elsewhere. Its own
// queues, and no queueId at all (the default queue), answer as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { call, type Res } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  const configDir = tenantConfigDir({ 'qq.yaml': [
    'site: qq',
    'credentials: [{ user: qq, password: qq }]',
    'agents: [{ user: q1, password: qq, name: Q1, accountId: 61 }]',
    'queues: [{ id: 1, name: Default }, { id: 2, name: Billing }]',
  ].join('\n') });
  s = await startTestServer({ configDir });
});
afterAll(async () => s?.stop());

const ask = (op: 'getQueueStats' | 'getEngagementQueue', request: Record<string, unknown>): Promise<Res> =>
  call(s.url, 'GET', `/engagement/api/consumer/qq/v1/${op}?pool=1:1&request=${encodeURIComponent(JSON.stringify(request))}`);
const refusal = (r: Res): string => `${r.status} ${String(r.json?.code)} ${String(r.json?.message)}`;
const UNKNOWN = "400 INVALID_FIELD queueId: expected the id of one of this site's queues";

describe('queue statistics for a queue id', () => {
  it('getQueueStats: 400 INVALID_FIELD naming queueId for a queue the site does not have', async () => {
    expect(refusal(await ask('getQueueStats', { queueId: 999, chatProactiveAvailableType: 'AGENTS' }))).toBe(UNKNOWN);
    expect(refusal(await ask('getQueueStats', { queueId: '3' }))).toBe(UNKNOWN);
    expect(refusal(await ask('getQueueStats', { queueId: 0 }))).toBe(UNKNOWN);
  });

  it('getEngagementQueue: the same 400 for a queueId the site does not have', async () => {
    expect(refusal(await ask('getEngagementQueue', { queueId: 999, productId: 12 }))).toBe(UNKNOWN);
  });

  it('its own queues, and no queueId (the default queue), answer with that queue', async () => {
    for (const [req, queue] of [[{ queueId: 2, chatProactiveAvailableType: 'AGENTS' }, '2'], [{ queueId: '1' }, '1'], [{ chatProactiveAvailableType: 'SESSIONS' }, '1']] as const) {
      const r = await ask('getQueueStats', req);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ queueIdString: queue, availableAgentSessions: 0, engagementsInQueue: 0 });
    }
    const q = await ask('getEngagementQueue', { queueId: 2 });
    expect(q.status).toBe(200);
    expect(q.json).toMatchObject({ queueIdString: '2', chatRouteId: 2 });
    expect((await ask('getEngagementQueue', { productId: 12 })).json).toMatchObject({ queueIdString: '1' });
  });
});

// retrieveAgentsAndQueues refuses an agent-info `type` it does not know with 400 INVALID_FIELD
// naming `type` (spec §7.14) instead of answering every agent; AGENT (narrowed to `id`), NONE and
// no type still answer. And the code for accepting an offer twice is the README's: 409 CONFLICT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer } from './helpers/client.ts';
import { accept, isOfferOf, newAgent, ready, waitEntry, type Agent } from './helpers/agent-client.ts';

let s: TestServer;
let a: Agent;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 300 });
  a = await newAgent(s.url, 'agent1');
});
afterAll(async () => {
  await a?.call('logoff', { forceLogoff: true });
  await s?.stop();
});

const lookup = (fields: Record<string, unknown>) =>
  a.call('retrieveAgentsAndQueues', { includeAgentInformation: true, includeQueueInformation: false, includeQueueStatistics: false, ...fields });

describe('retrieveAgentsAndQueues type', () => {
  it('refuses an unknown agent-info type with 400 INVALID_FIELD naming type', async () => {
    for (const type of ['NO_SUCH_TYPE', 'agent', '']) {
      const r = await lookup({ id: Number(a.accountId), type, sequenceNumber: 5 });
      expect(r.status, type).toBe(400);
      expect(r.json.code).toBe('INVALID_FIELD');
      expect(String(r.json.message)).toMatch(/^type\b/);
    }
  });

  it('answers AGENT narrowed to the id, and NONE or no type with every agent', async () => {
    const one = await lookup({ id: Number(a.accountId), type: 'AGENT' });
    expect(one.status).toBe(200);
    expect(one.json.agents.map((x: { accountIdString: string }) => x.accountIdString)).toEqual([a.accountId]);
    const none = await lookup({ id: Number(a.accountId), type: 'NONE' });
    const all = await lookup({});
    expect(none.status).toBe(200);
    expect(all.status).toBe(200);
    expect(all.json.agents.length).toBeGreaterThan(1);
    expect(none.json.agents).toEqual(all.json.agents);
  });
});

describe('accepting an offer twice', () => {
  it('answers 409 CONFLICT, as the README error table says', async () => {
    await ready(a, 1);
    const u = await newConsumer(s.url);
    expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeDefined();
    expect((await accept(a, u.engagementId)).status).toBe(200);
    const again = await accept(a, u.engagementId);
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('CONFLICT');
    await u.conclude();
    await a.call('releaseChat', { engagementId: Number(u.engagementId) });
  });
});

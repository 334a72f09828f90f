// A terminated chat (Tier-1 or an operator) tells its agent once: one ChatDisconnectNotification,
// naming the customer who was disconnected (spec §8 termination sequence), not a second one for
// the conclusion that follows.
import { describe, expect, it } from 'vitest';
import { agentInChats } from './helpers/agent-chat.ts';
import { call, type Consumer } from './helpers/client.ts';
import { engOf, inner, typeOf, waitEntry } from './helpers/agent-client.ts';

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';

const t = agentInChats();
const chat = t.chat;

/** The agent's disconnect notifications for `u`'s chat, after polling past the first one. */
async function disconnects(u: Consumer): Promise<Array<Record<string, unknown>>> {
  const isIt = (e: Record<string, Record<string, unknown>>): boolean => typeOf(e) === 'ChatDisconnectNotification' && engOf(e) === u.engagementId;
  expect(await waitEntry(t.a, isIt)).toBeDefined();
  for (let i = 0; i < 3; i++) await t.a.poll(); // a second one would be in the same batch or the next
  return t.a.seen.filter(isIt).map((e) => inner(e));
}

describe('agent side of a termination', () => {
  it('gets one ChatDisconnectNotification when Tier-1 terminates the chat', async () => {
    const u = await chat();
    let last = await u.post(CANARY);
    for (let i = 0; i < 6 && last.status === 200; i++) last = await u.post(`${CANARY} ${'abcdef'.slice(0, i + 1)}`);
    expect(last.status).toBe(409);
    expect(last.json.code).toBe('ENGAGEMENT_TERMINATED');
    const d = await disconnects(u);
    expect(d.map((x) => ({ clientIdString: x.clientIdString, reason: x.reason }))).toEqual([{ clientIdString: u.clientId, reason: 'END_USER_DISCONNECTED' }]);
    expect((await t.a.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
  });

  it('gets one ChatDisconnectNotification when an operator terminates the chat', async () => {
    const u = await chat();
    const r = await call(t.s.url, 'POST', `/admin/v1/engagements/${u.engagementId}/terminate`, { headers: { authorization: 'Bearer test-admin' } });
    expect(r.json.terminated).toBe(true);
    const d = await disconnects(u);
    expect(d.map((x) => ({ clientIdString: x.clientIdString, reason: x.reason }))).toEqual([{ clientIdString: u.clientId, reason: 'END_USER_DISCONNECTED' }]);
    expect((await t.a.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
  });

  it('still gets one when the customer concludes', async () => {
    const u = await chat();
    expect((await u.conclude()).status).toBe(200);
    const d = await disconnects(u);
    expect(d.map((x) => ({ clientIdString: x.clientIdString, reason: x.reason }))).toEqual([{ clientIdString: u.clientId, reason: 'END_USER_CONCLUDED' }]);
    expect((await t.a.call('releaseChat', { engagementId: Number(u.engagementId) })).status).toBe(200);
  });
});

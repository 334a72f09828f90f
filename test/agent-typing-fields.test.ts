// setInteractionStatus honours what the agent sends (spec §7.13, §6.1): typing with visibility
// NOT_ENDUSER does not reach the customer, and the customer's RNEngagementActivityChangedMessage
// carries the agent's sneakPreviewState / sneakPreviewInterval (ENABLED / 500 when absent). Bad
// values are 400 INVALID_FIELD naming the field.
import { describe, expect, it } from 'vitest';
import { agentInChats } from './helpers/agent-chat.ts';
import type { Consumer } from './helpers/client.ts';
import { waitMessage } from './helpers/agent-client.ts';

const t = agentInChats();
const chat = t.chat;

const typing = (u: Consumer, fields: Record<string, unknown>) =>
  t.a.call('setInteractionStatus', { clientId: Number(t.a.clientId), engagementId: Number(u.engagementId), mode: 'RESPONDING', ...fields });
const activity = (u: Consumer) => u.seen.filter((m) => m.messageName === 'RNEngagementActivityChangedMessage');

describe('agent setInteractionStatus fields', () => {
  it('keeps typing with visibility NOT_ENDUSER from the customer', async () => {
    const u = await chat();
    const r = await typing(u, { visibility: 'NOT_ENDUSER', sequenceNumber: 4 });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ chatActivitySignalChangeResult: {}, sequenceNumberString: '4' });
    // a later visible signal arrives, and it is the only one
    expect((await typing(u, { mode: 'LISTENING', visibility: 'ALL' })).status).toBe(200);
    expect(await waitMessage(u, (m) => m.messageName === 'RNEngagementActivityChangedMessage')).toBeDefined();
    expect(activity(u).map((m) => m.mode)).toEqual(['LISTENING']);
    await u.conclude();
  });

  it("gives the customer the agent's sneakPreviewState and sneakPreviewInterval, ENABLED / 500 when absent", async () => {
    const u = await chat();
    expect((await typing(u, { sneakPreviewState: 'DISABLED', sneakPreviewInterval: 2000 })).status).toBe(200);
    expect((await typing(u, { mode: 'LISTENING' })).status).toBe(200);
    await waitMessage(u, () => activity(u).length >= 2);
    expect(activity(u).map((m) => [m.mode, m.sneakPreviewState, m.sneakPreviewInterval, m.sneakPreviewIntervalString])).toEqual([
      ['RESPONDING', 'DISABLED', 2000, '2000'],
      ['LISTENING', 'ENABLED', 500, '500'],
    ]);
    await u.conclude();
  });

  it('refuses bad values with 400 INVALID_FIELD naming the field, and tells the customer nothing', async () => {
    const u = await chat();
    const bad: Array<[string, unknown]> = [
      ['visibility', 'SECRET'],
      ['sneakPreviewState', 'MAYBE'],
      ['sneakPreviewInterval', -1],
      ['sneakPreviewInterval', 'fast'],
    ];
    for (const [field, value] of bad) {
      const r = await typing(u, { [field]: value });
      expect(r.status, `${field}=${String(value)}`).toBe(400);
      expect(r.json.code).toBe('INVALID_FIELD');
      expect(String(r.json.message)).toContain(field);
    }
    await u.poll();
    expect(activity(u)).toEqual([]);
    await u.conclude();
  });
});

// An agent's postMessage names its destination (spec §7.6): NONE, AGENT, END_USER, ENGAGEMENT, GROUP,
// PROFILE, QUEUE, SUBSCRIPTION_… — "accept unknown values". The chat server delivers into the
// engagement in destinationId: NONE (Oracle's unset value), END_USER, ENGAGEMENT and values outside
// the documented list reach the customer. The documented agent-side audiences (another agent, a
// group, a profile, a queue, a statistics subscription) are refused with a message saying so:
// delivered into the chat, a note meant for agents would be shown to the customer. Before, every
// value but ENGAGEMENT and END_USER was refused alike ("expected ENGAGEMENT").
import { describe, expect, it } from 'vitest';
import { agentInChats } from './helpers/agent-chat.ts';
import { waitMessage } from './helpers/agent-client.ts';

const t = agentInChats();

describe('agent postMessage destinationType', () => {
  it('NONE, an unknown value, or none at all deliver to the engagement', async () => {
    const u = await t.chat();
    const sent: string[] = [];
    for (const dt of ['NONE', 'SOME_FUTURE_VALUE', undefined, 'ENGAGEMENT', 'END_USER']) {
      const body = `an answer sent with destinationType ${dt ?? 'absent'}`;
      const r = await t.a.call('postMessage', { destinationId: Number(u.engagementId), ...(dt === undefined ? {} : { destinationType: dt }), body });
      expect(r.status, `${dt}: ${r.text}`).toBe(200);
      sent.push(body);
    }
    const posted = (): string[] => u.seen.filter((m) => m.messageName === 'RNEngagementMessagePostedMessage').map((m) => String(m.body));
    await waitMessage(u, () => posted().length >= sent.length);
    expect(posted()).toEqual(sent);
  });

  it('agent-side audiences are refused 400 INVALID_FIELD saying this server does not deliver them, and nothing reaches the customer', async () => {
    const u = await t.chat();
    for (const dt of ['AGENT', 'GROUP', 'PROFILE', 'QUEUE', 'SUBSCRIPTION_AGENT_STATS', 'SUBSCRIPTION_AGENT_STATS_BY_GROUP']) {
      const r = await t.a.call('postMessage', { destinationId: Number(u.engagementId), destinationType: dt, body: `for the team only (${dt})` });
      expect([dt, r.status, r.json?.code]).toEqual([dt, 400, 'INVALID_FIELD']);
      expect(r.json.message).toContain(`destinationType: ${dt}`);
      expect(r.json.message).toContain('not delivered by this server');
    }
    const bad = await t.a.call('postMessage', { destinationId: Number(u.engagementId), destinationType: 7, body: 'x' });
    expect([bad.status, bad.json?.message]).toEqual([400, expect.stringContaining('destinationType: expected a string')]);
    const last = await t.a.call('postMessage', { destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT', body: 'for the customer' });
    expect(last.status).toBe(200);
    await waitMessage(u, (m) => m.messageName === 'RNEngagementMessagePostedMessage');
    const posted = u.seen.filter((m) => m.messageName === 'RNEngagementMessagePostedMessage').map((m) => String(m.body));
    expect(posted).toEqual(['for the customer']);
  });
});

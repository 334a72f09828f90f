// Typing on a chat that has ended is refused like posting into it. Before, the customer's `activity`
// after concludeEngagement answered 200 (nothing was forwarded: the chat had ended), while
// postMessage answered 409 ENGAGEMENT_CONCLUDED — a client was told its signal went through. Now
// `activity` answers as postMessage does: 409 ENGAGEMENT_CONCLUDED, or ENGAGEMENT_TERMINATED for a
// chat Tier-1 or an operator ended; until the grace period ends, then 403 as every call. The agent's
// setInteractionStatus already answered as its postMessage: 409 ENGAGEMENT_CONCLUDED on a concluded
// chat (released or not), 409 NOT_PARTICIPANT on an open chat it released.
import { describe, expect, it } from 'vitest';
import { agentInChats } from './helpers/agent-chat.ts';
import { call, cpath, newConsumer, until, type Consumer, type Res } from './helpers/client.ts';
import { waitEntry } from './helpers/agent-client.ts';

const t = agentInChats();
const code = (r: Res): string => `${r.status} ${String(r.json?.code ?? '')}`;
const activity = (u: Consumer, mode = 'RESPONDING'): Promise<Res> =>
  call(t.s.url, 'POST', cpath('demo', 'activity'), { body: { mode, sneakPreviewText: 'where is my' }, headers: { SessionId: u.sessionId } });
const agentTyping = (u: Consumer): Promise<Res> =>
  t.a.call('setInteractionStatus', { clientId: Number(t.a.clientId), engagementId: Number(u.engagementId), mode: 'RESPONDING' });
const agentPost = (u: Consumer): Promise<Res> =>
  t.a.call('postMessage', { destinationId: Number(u.engagementId), body: 'still there?' });

describe('typing on an ended chat', () => {
  it("the customer's activity after its own conclusion: 409 ENGAGEMENT_CONCLUDED, as postMessage", async () => {
    const u = await newConsumer(t.s.url);
    expect(code(await activity(u))).toBe('200 ');
    expect(code(await u.conclude())).toBe('200 ');
    expect(code(await activity(u))).toBe('409 ENGAGEMENT_CONCLUDED');
    expect(code(await activity(u, 'LISTENING'))).toBe('409 ENGAGEMENT_CONCLUDED');
    expect(code(await u.post('hello?'))).toBe('409 ENGAGEMENT_CONCLUDED');
    expect(code(await u.conclude())).toBe('200 '); // concluding again stays an answer, not an error
  });

  it("the customer's activity after an operator's termination: 409 ENGAGEMENT_TERMINATED, as postMessage", async () => {
    const u = await newConsumer(t.s.url);
    const r = await call(t.s.url, 'POST', `/admin/v1/engagements/${u.engagementId}/terminate`, { headers: { authorization: 'Bearer test-admin' } });
    expect(r.status).toBe(200);
    expect(code(await activity(u))).toBe('409 ENGAGEMENT_TERMINATED');
    expect(code(await u.post('hello?'))).toBe('409 ENGAGEMENT_TERMINATED');
  });

  it("the agent's setInteractionStatus on a concluded chat: 409 ENGAGEMENT_CONCLUDED, as its postMessage, also once released", async () => {
    const u = await t.chat();
    expect(code(await agentTyping(u))).toBe('200 ');
    expect(code(await u.conclude())).toBe('200 ');
    await waitEntry(t.a, (e) => 'ChatDisconnectNotification' in e && String(e.ChatDisconnectNotification?.engagementIdString) === u.engagementId);
    expect(code(await agentTyping(u))).toBe('409 ENGAGEMENT_CONCLUDED');
    expect(code(await agentPost(u))).toBe('409 ENGAGEMENT_CONCLUDED');
    expect(code(await t.a.call('releaseChat', { engagementId: Number(u.engagementId) }))).toBe('200 ');
    expect(code(await agentTyping(u))).toBe('409 ENGAGEMENT_CONCLUDED');
    expect(code(await agentPost(u))).toBe('409 ENGAGEMENT_CONCLUDED');
  });

  it("the agent's setInteractionStatus on an open chat it released: 409 NOT_PARTICIPANT, as its postMessage", async () => {
    const u = await t.chat();
    expect(code(await t.a.call('releaseChat', { engagementId: Number(u.engagementId) }))).toBe('200 ');
    let last = '';
    await until(async () => (last = code(await agentTyping(u))) === '409 NOT_PARTICIPANT', 4000);
    expect(last).toBe('409 NOT_PARTICIPANT');
    expect(code(await agentPost(u))).toBe('409 NOT_PARTICIPANT');
    expect(code(await u.conclude())).toBe('200 ');
  });
});

// Typed chat fronts and bots send `"messageId": ""` for an id they do not set. An empty id is no id
// (as `null` is): taken as an id, every later post of that sender looked like a retry of the first
// — answered 200, echoed, and never delivered (3 posts, 1 delivered, both ways).
import { describe, expect, it } from 'vitest';
import { transcript } from './helpers/client.ts';
import { agentInChats } from './helpers/agent-chat.ts';
import { typeOf, inner, engOf, waitEntry, word } from './helpers/agent-client.ts';

const t = agentInChats();
const texts = (who: string): string[] => [0, 1, 2].map((i) => `${who} message about ${word(i)} ${word(i + 7)}`);

describe('a post with an empty messageId', () => {
  it('from the customer: each one is delivered to the agent and stored', async () => {
    const u = await t.chat();
    for (const body of texts('customer')) expect((await u.post(body, { messageId: '' })).status).toBe(200);
    const bodies = (): string[] => t.a.seen.filter((e) => typeOf(e) === 'ChatPostMessage' && engOf(e) === u.engagementId && inner(e).history !== true).map((e) => String(inner(e).body));
    await waitEntry(t.a, () => bodies().length >= 3);
    expect(bodies()).toEqual(texts('customer'));
    const tr = await transcript(t.s.url, u.engagementId);
    expect(tr.json.messages.map((m: { body: string }) => m.body)).toEqual(texts('customer'));
  });

  it('from the agent: each one reaches the customer', async () => {
    const u = await t.chat();
    for (const body of texts('agent')) {
      const r = await t.a.call('postMessage', { destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT', body, messageId: '' });
      expect(r.status).toBe(200);
    }
    const posted = (): string[] => u.seen.filter((m) => m.messageName === 'RNEngagementMessagePostedMessage').map((m) => String(m.body));
    for (let i = 0; i < 6 && posted().length < 3; i++) await u.poll();
    expect(posted()).toEqual(texts('agent'));
  });
});

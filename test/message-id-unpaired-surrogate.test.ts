// Two different messageIds that differ only in an unpaired surrogate (`m-\udc00`, `m-\udfff`: a
// widget that builds ids from a UTF-16 slice can cut an emoji in half) became one id: the second
// post was answered 200 as a retry of the first and never stored nor delivered. Such an id is now
// refused with 400 INVALID_FIELD naming messageId; ids with whole emoji stay ids of their own.
import { describe, expect, it } from 'vitest';
import { transcript } from './helpers/client.ts';
import { agentInChats } from './helpers/agent-chat.ts';

const t = agentInChats();

describe('a messageId with an unpaired surrogate', () => {
  it('is refused 400 INVALID_FIELD naming messageId, from the customer and from the agent; nothing is stored', async () => {
    const u = await t.chat();
    for (const id of ['m-\udc00', 'm-\udfff', 'm-\ud83d', '\ud83d-x']) {
      const r = await u.post('first message text about the order', { messageId: id });
      expect(r.status).toBe(400);
      expect(r.json.code).toBe('INVALID_FIELD');
      expect(String(r.json.message)).toContain('messageId');
    }
    const a = await t.a.call('postMessage', { destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT', body: 'hello from the agent', messageId: 'a-\udc00' });
    expect(a.status).toBe(400);
    expect(a.json.code).toBe('INVALID_FIELD');
    const tr = await transcript(t.s.url, u.engagementId);
    expect(tr.json.messages.filter((m: { kind: string }) => m.kind === 'message').map((m: { body: string }) => m.body)).toEqual([]);
  });

  it('with whole emoji: two ids that differ in their emoji are two messages, both stored', async () => {
    const u = await t.chat();
    expect((await u.post('first message text about the order', { messageId: 'm-😀' })).status).toBe(200);
    expect((await u.post('second, different message text', { messageId: 'm-😃' })).status).toBe(200);
    const tr = await transcript(t.s.url, u.engagementId);
    expect(tr.json.messages.filter((m: { kind: string }) => m.kind === 'message').map((m: { body: string }) => m.body)).toEqual(['first message text about the order', 'second, different message text']);
  });
});

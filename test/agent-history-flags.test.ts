// The history handed to the next agent (ChatPostMessage `history: true`, after a requeue) keeps each
// post's own `richText` and `visibility`: an internal note (NOT_ENDUSER) stays marked as one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer } from './helpers/client.ts';
import { accept, engOf, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, type Agent, type Entry } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 400 });
});
afterAll(async () => s?.stop());

const posts = (a: Agent, engagementId: string, history: boolean): Array<Record<string, unknown>> =>
  a.seen
    .filter((e: Entry) => typeOf(e) === 'ChatPostMessage' && engOf(e) === engagementId && (inner(e).history === true) === history)
    .map((e) => inner(e))
    .map((m) => ({ messageId: m.messageId, richText: m.richText, visibility: m.visibility }));

describe('history entries for the next agent', () => {
  it('carry the richText and visibility each post had', async () => {
    const a = await newAgent(s.url, 'agent1');
    const b = await newAgent(s.url, 'agent2');
    await ready(a, 1);
    const u = await newConsumer(s.url);
    expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeDefined();
    expect((await accept(a, u.engagementId)).status).toBe(200);

    expect((await u.post('<b>order</b> <i>number</i> please', { richText: true, messageId: 'rt1' })).status).toBe(200);
    expect((await u.post('plain words from the customer', { messageId: 'pl1' })).status).toBe(200);
    const eid = Number(u.engagementId);
    expect((await a.call('postMessage', { body: 'internal note about the customer', destinationId: eid, destinationType: 'ENGAGEMENT', visibility: 'NOT_ENDUSER', messageId: 'n1' })).status).toBe(200);
    expect((await a.call('postMessage', { body: 'hello there, looking now', destinationId: eid, destinationType: 'ENGAGEMENT', messageId: 'p1' })).status).toBe(200);
    expect(await waitEntry(a, (e) => typeOf(e) === 'ChatPostMessage' && inner(e).messageId === 'pl1')).toBeDefined();

    // logoff without force hands the chat back to the queue; the next agent gets the history
    expect((await a.call('logoff', { forceLogoff: false })).status).toBe(200);
    await ready(b, 1);
    expect(await waitEntry(b, isOfferOf(u.engagementId))).toBeDefined();
    expect((await accept(b, u.engagementId)).status).toBe(200);
    expect(await waitEntry(b, (e) => typeOf(e) === 'ChatPostMessage' && inner(e).history === true && inner(e).messageId === 'p1')).toBeDefined();

    expect(posts(b, u.engagementId, true)).toEqual([
      { messageId: 'rt1', richText: true, visibility: 'ALL' },
      { messageId: 'pl1', richText: false, visibility: 'ALL' },
      { messageId: 'n1', richText: false, visibility: 'NOT_ENDUSER' },
      { messageId: 'p1', richText: false, visibility: 'ALL' },
    ]);
    await u.conclude();
    await b.call('logoff', { forceLogoff: true });
  });
});

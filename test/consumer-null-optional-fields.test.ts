// Typed clients generated from Oracle's schema (Java, C#) send an unset optional field as JSON
// `null`. Every optional field of every consumer request takes `null` as "unset" (its default), as
// the agent side always did; a value of the wrong type that is not null is still 400 naming the
// field. Found by exploratory testing: `{"body":"Hello","richText":null}` → 400 "richText: expected
// a boolean", `offTheRecord: null` alike, and `activity` with `sneakPreviewFocus: null` → 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, establish, type Res } from './helpers/client.ts';
import { inner, isOfferOf, newAgent, ready, accept, typeOf, waitEntry } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 500 });
});
afterAll(async () => s?.stop());

const ECHO_NULLS = { clientRequestTime: null, clientTransactionId: null };

const invalidField = (r: Res, field: string): void => {
  expect(r.status, r.text).toBe(400);
  expect(r.json.code).toBe('INVALID_FIELD');
  expect(String(r.json.message).startsWith(`${field}:`), r.json.message).toBe(true);
};

describe('consumer requests with optional fields sent as null', () => {
  it('answer every endpoint as if the fields were left out, and the chat works on', async () => {
    const a = await newAgent(s.url, 'agent1');
    await ready(a);
    const est = await establish(s.url, { firstName: 'Nell', emailAddress: 'nell.nulls@example.com' });
    const start = await call(s.url, 'POST', cpath('demo', 'requestEngagement'), { body: ECHO_NULLS, headers: { authorization: `Bearer ${est.json.jwt}` } });
    expect(start.status, start.text).toBe(200);
    expect(start.json.clientRequestTime).toBeNull();
    const sid = start.json.sessionId as string;
    const eid = start.json.engagementIdString as string;
    const op = (name: string, body: unknown) => call(s.url, 'POST', cpath('demo', name), { body, headers: { SessionId: sid } });
    expect(await waitEntry(a, isOfferOf(eid))).toBeDefined();
    expect((await accept(a, eid)).status).toBe(200);

    const post = await op('postMessage', { body: 'Hello, I need help with my order', richText: null, offTheRecord: null, messageId: null, messageDataMap: null, ...ECHO_NULLS });
    expect(post.status, post.text).toBe(200);
    expect((await op('postMessage', { body: 'Just the flags unset', offTheRecord: null })).status).toBe(200);
    const act = await op('activity', { mode: 'RESPONDING', sneakPreviewFocus: null, sneakPreviewText: null, ...ECHO_NULLS });
    expect(act.status, act.text).toBe(200);
    expect((await op('getMessages', ECHO_NULLS)).status).toBe(200);

    // null is the default: an ordinary post (richText false), and the typing signal
    const got = await waitEntry(a, (e) => typeOf(e) === 'ChatPostMessage' && inner(e).body === 'Just the flags unset');
    expect(got).toBeDefined();
    expect(a.seen.find((e) => typeOf(e) === 'ChatPostMessage' && inner(e).body === 'Hello, I need help with my order')).toBeDefined();
    expect(await waitEntry(a, (e) => typeOf(e) === 'ChatActivitySignal' && inner(e).mode === 'RESPONDING')).toBeDefined();

    const q = (name: string, request: unknown) => call(s.url, 'GET', `${cpath('demo', name)}&request=${encodeURIComponent(JSON.stringify(request))}`);
    const stats = await q('getQueueStats', { queueId: null, chatProactiveAvailableType: null, ...ECHO_NULLS });
    expect(stats.status, stats.text).toBe(200);
    const queue = await q('getEngagementQueue', { interfaceId: null, interfaceName: null, productId: null, categoryId: null, organizationId: null, customFields: null, ...ECHO_NULLS });
    expect(queue.status, queue.text).toBe(200);

    expect((await op('concludeEngagement', ECHO_NULLS)).status).toBe(200);
    await a.call('logoff', { forceLogoff: true });
  });

  it('still refuses a wrong type that is not null, naming the field', async () => {
    const est = await establish(s.url, { firstName: 'Wanda', emailAddress: 'wanda.types@example.com' });
    const start = await call(s.url, 'POST', cpath('demo', 'requestEngagement'), { body: {}, headers: { authorization: `Bearer ${est.json.jwt}` } });
    const sid = start.json.sessionId as string;
    const op = (name: string, body: unknown) => call(s.url, 'POST', cpath('demo', name), { body, headers: { SessionId: sid } });
    invalidField(await op('postMessage', { body: 'x', richText: 'false' }), 'richText');
    invalidField(await op('postMessage', { body: 'x', offTheRecord: 0 }), 'offTheRecord');
    invalidField(await op('postMessage', { body: 'x', messageId: 7 }), 'messageId');
    invalidField(await op('postMessage', { body: 'x', clientTransactionId: 'abc' }), 'clientTransactionId');
    invalidField(await op('activity', { mode: 'LISTENING', sneakPreviewFocus: 'yes' }), 'sneakPreviewFocus');
    invalidField(await op('activity', { mode: 'LISTENING', sneakPreviewText: 5 }), 'sneakPreviewText');
    invalidField(await op('getMessages', { clientRequestTime: true }), 'clientRequestTime');
    const q = (name: string, request: unknown) => call(s.url, 'GET', `${cpath('demo', name)}&request=${encodeURIComponent(JSON.stringify(request))}`);
    invalidField(await q('getQueueStats', { clientTransactionId: 'abc' }), 'clientTransactionId');
    invalidField(await q('getEngagementQueue', { clientRequestTime: {} }), 'clientRequestTime');
    invalidField(await q('getQueueStats', { chatProactiveAvailableType: 1 }), 'chatProactiveAvailableType');
    // body stays required: null is not a text
    invalidField(await op('postMessage', { body: null }), 'body');
    expect((await op('concludeEngagement', {})).status).toBe(200);
  });
});

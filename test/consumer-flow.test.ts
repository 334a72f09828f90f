// The consumer API end to end over real HTTP against the real server (spec §3, §5, §9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { basic, call, cpath, establish, newConsumer, sleep, transcript } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 800, concludeGraceMs: 800 });
});
afterAll(async () => s?.stop());

describe('issuer', () => {
  it('refuses wrong credentials with 401', async () => {
    const r = await establish(s.url, {}, 'demo', 'nope');
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('UNAUTHORIZED');
  });

  it('accepts sessionInformation as a JSON string and returns jwt, siteName and a sessionServerResponse string', async () => {
    const r = await call(s.url, 'POST', '/services/rest/crossChannelServices/latest/establishSessions', {
      body: { sessionInformation: JSON.stringify({ firstName: 'Ada' }) },
      headers: { authorization: basic('demo', 'demo') },
    });
    expect(r.status).toBe(200);
    expect(typeof r.json.jwt).toBe('string');
    expect(r.json.channelToken).toBe(r.json.jwt);
    expect(r.json.siteName).toBe('demo');
    const ssr = JSON.parse(r.json.sessionServerResponse);
    expect(ssr).toMatchObject({ domain: '127.0.0.1', port: s.port, pool: '1:1' });
  });

  it('rejects an application context longer than 40 characters', async () => {
    const r = await call(s.url, 'POST', '/services/rest/crossChannelServices/latest/establishSessions', {
      body: {},
      headers: { authorization: basic('demo', 'demo'), 'OSvC-CREST-Application-Context': 'x'.repeat(41) },
    });
    expect(r.status).toBe(400);
  });
});

describe('requestEngagement', () => {
  it('refuses a forged, a missing and a replayed JWT with 403', async () => {
    const forged = await call(s.url, 'POST', cpath('demo', 'requestEngagement'), { body: {}, headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' } });
    expect(forged.status).toBe(403);
    const none = await call(s.url, 'POST', cpath('demo', 'requestEngagement'), { body: {} });
    expect(none.status).toBe(403);
    const c = await newConsumer(s.url);
    const replay = await call(s.url, 'POST', cpath('demo', 'requestEngagement'), { body: {}, headers: { authorization: `Bearer ${c.jwt}` } });
    expect(replay.status).toBe(403);
    expect(replay.json.code).toBe('INVALID_TOKEN');
  });

  it('returns an opaque session id of at least 128 random bits and int64 twins', async () => {
    const est = await establish(s.url, { emailAddress: 'twins@example.com' });
    const r = await call(s.url, 'POST', cpath('demo', 'requestEngagement'), { body: { clientTransactionId: 7 }, headers: { authorization: `Bearer ${est.json.jwt}` } });
    expect(r.status).toBe(200);
    expect(r.json.sessionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(String(r.json.engagementId)).toBe(r.json.engagementIdString);
    expect(String(r.json.clientId)).toBe(r.json.clientIdString);
    expect(r.json.clientTransactionIdString).toBe('7');
    expect(r.json.resultType).toBe('SUCCESS');
  });
});

describe('postMessage', () => {
  it('echoes an int64 above 2^53 exactly, in both twins, and clientRequestTime verbatim', async () => {
    const c = await newConsumer(s.url);
    const raw = '{"body":"Hello, I need help with order 5521","clientTransactionId":9007199254740993,"clientRequestTime":"2026-11-25T10:00:00.123Z"}';
    const r = await call(s.url, 'POST', cpath('demo', 'postMessage'), { raw, headers: { sessionid: c.sessionId } });
    expect(r.status).toBe(200);
    expect(r.json.clientTransactionIdString).toBe('9007199254740993');
    expect(r.text).toMatch(/"clientTransactionId":9007199254740993[,}]/);
    expect(r.json.clientRequestTime).toBe('2026-11-25T10:00:00.123Z');
  });

  it('stores the message in the transcript and never echoes it to the sender', async () => {
    const c = await newConsumer(s.url);
    expect((await c.post('where is my parcel please', { messageId: 'm1' })).status).toBe(200);
    await c.poll();
    expect(c.seen.some((m) => m.messageName === 'RNEngagementMessagePostedMessage')).toBe(false);
    const t = await transcript(s.url, c.engagementId);
    expect(t.status).toBe(200);
    expect(t.json.messages.map((m: { body: string }) => m.body)).toEqual(['where is my parcel please']);
    expect(t.json.messages[0]).toMatchObject({ sequenceNumber: 1, sequenceNumberString: '1', messageId: 'm1' });
  });

  it('recognises a retry with the same messageId and stores it once', async () => {
    const c = await newConsumer(s.url);
    expect((await c.post('first try of this one', { messageId: 'dup-1' })).status).toBe(200);
    expect((await c.post('first try of this one', { messageId: 'dup-1' })).status).toBe(200);
    const t = await transcript(s.url, c.engagementId);
    expect(t.json.messages).toHaveLength(1);
  });
});

describe('admin transcript', () => {
  it('requires the admin bearer token', async () => {
    const c = await newConsumer(s.url);
    expect((await call(s.url, 'GET', `/admin/v1/engagements/${c.engagementId}/transcript`)).status).toBe(401);
    expect((await transcript(s.url, c.engagementId, 'wrong')).status).toBe(401);
    expect((await transcript(s.url, '999999999')).status).toBe(404);
  });
});

describe('concludeEngagement', () => {
  it('delivers RNEngagementConcludedMessage, drains during the grace period, then answers 403', async () => {
    const c = await newConsumer(s.url);
    expect((await c.conclude()).status).toBe(200);
    const p = await c.poll();
    expect(p.status).toBe(200);
    const concluded = c.seen.find((m) => m.messageName === 'RNEngagementConcludedMessage');
    expect(concluded).toMatchObject({ reason: 'END_USER_CONCLUDED' });
    expect(c.seen.every((m) => String(m.sequenceNumber) === m.sequenceNumberString)).toBe(true);
    expect((await c.post('after the end')).status).toBe(409);
    await sleep(1100);
    expect((await c.poll()).status).toBe(403);
    expect((await c.post('gone')).status).toBe(403);
  });
});

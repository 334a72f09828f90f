// Every class of bad input gets a coded 4xx JSON error, and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, establish, newConsumer, openWs, type Consumer } from './helpers/client.ts';
import { MAX_SESSION_INFO_BYTES } from '../src/http/issuer.ts';

let s: TestServer;
let c: Consumer;
beforeAll(async () => {
  s = await startTestServer({ maxBodyBytes: 64 * 1024 });
  c = await newConsumer(s.url);
});
afterAll(async () => s?.stop());

const coded = (r: { status: number; json: { code?: unknown; message?: unknown } | undefined }, status: number, code: string): void => {
  expect(r.status).toBe(status);
  expect(r.json?.code).toBe(code);
  expect(typeof r.json?.message).toBe('string');
};

describe('bad input', () => {
  const post = (raw: string | Uint8Array, headers?: Record<string, string>) => call(s.url, 'POST', cpath('demo', 'postMessage'), { raw, headers: headers ?? { SessionId: c.sessionId } });

  it('malformed JSON → 400 MALFORMED_JSON', async () => coded(await post('{"body": "hi"'), 400, 'MALFORMED_JSON'));
  it('a body that is not an object → 400 BODY_NOT_OBJECT', async () => coded(await post('[1,2,3]'), 400, 'BODY_NOT_OBJECT'));
  it('missing body → 400 INVALID_FIELD', async () => coded(await post('{"richText":false}'), 400, 'INVALID_FIELD'));
  it('body of the wrong type → 400 INVALID_FIELD', async () => coded(await post('{"body":42}'), 400, 'INVALID_FIELD'));
  it('richText of the wrong type → 400 INVALID_FIELD', async () => coded(await post('{"body":"x","richText":"yes"}'), 400, 'INVALID_FIELD'));
  it('invalid UTF-8 → 400 INVALID_ENCODING', async () => coded(await post(new Uint8Array([0x7b, 0x22, 0x62, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])), 400, 'INVALID_ENCODING'));
  it('an empty message → 400 EMPTY_MESSAGE', async () => coded(await post('{"body":""}'), 400, 'EMPTY_MESSAGE'));
  it('an oversize body → 413 PAYLOAD_TOO_LARGE', async () => coded(await post(JSON.stringify({ body: 'a'.repeat(200 * 1024) })), 413, 'PAYLOAD_TOO_LARGE'));
  it('nesting over 64 levels → 400 JSON_TOO_DEEP; 64 levels are accepted', async () => {
    const nest = (d: number): string => '['.repeat(d) + ']'.repeat(d);
    coded(await post(`{"body":"deep","m":${nest(20_000)}}`), 400, 'JSON_TOO_DEEP');
    coded(await post(`{"body":"deep","m":${nest(64)}}`), 400, 'JSON_TOO_DEEP'); // 65 with the body's own object
    expect((await post(`{"body":"deep but fine","m":${nest(63)}}`)).status).toBe(200);
    // brackets inside strings are text, not nesting
    expect((await post(JSON.stringify({ body: `${'['.repeat(500)} in words` }))).status).toBe(200);
  });
  it('a deeply nested sessionInformation → 400 JSON_TOO_DEEP at the issuer, as an object or as a JSON string', async () => {
    // 100,000 levels once overflowed the stack in the issuer's size check and killed the process
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const raw = `{"sessionInformation":${deep}}`;
    const auth = { authorization: 'Basic ' + Buffer.from('demo:demo').toString('base64') };
    const big = await startTestServer({ maxBodyBytes: 1_048_576 });
    try {
      coded(await call(big.url, 'POST', '/services/rest/crossChannelServices/latest/establishSessions', { raw, headers: auth }), 400, 'JSON_TOO_DEEP');
      coded(await call(big.url, 'POST', '/services/rest/crossChannelServices/latest/establishSessions', { body: { sessionInformation: deep }, headers: auth }), 400, 'JSON_TOO_DEEP');
      const q = encodeURIComponent(`{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`);
      coded(await call(big.url, 'GET', `/engagement/api/consumer/demo/v1/getQueueStats?pool=1:1&request=${q}`), 400, 'JSON_TOO_DEEP');
      expect((await establish(big.url, { firstName: 'Ada' })).status).toBe(200);
    } finally {
      await big.stop();
    }
  });
  it('unknown session → 403 SESSION_UNKNOWN', async () => coded(await post('{"body":"hi"}', { SessionId: 'A'.repeat(32) }), 403, 'SESSION_UNKNOWN'));
  it('no session header → 403 SESSION_UNKNOWN', async () => coded(await post('{"body":"hi"}', {}), 403, 'SESSION_UNKNOWN'));
  it('unknown site → 404 UNKNOWN_SITE', async () =>
    coded(await call(s.url, 'POST', cpath('no_such_site', 'postMessage'), { raw: '{"body":"hi"}', headers: { SessionId: c.sessionId } }), 404, 'UNKNOWN_SITE'));
  it('unknown endpoint → 404 NOT_FOUND', async () => coded(await call(s.url, 'POST', cpath('demo', 'noSuchThing'), { body: {}, headers: { SessionId: c.sessionId } }), 404, 'NOT_FOUND'));
  it('wrong method → 405 METHOD_NOT_ALLOWED', async () => {
    coded(await call(s.url, 'GET', cpath('demo', 'postMessage')), 405, 'METHOD_NOT_ALLOWED');
    coded(await call(s.url, 'DELETE', cpath('demo', 'postMessage')), 405, 'METHOD_NOT_ALLOWED');
  });
  it('activity without a mode → 400 INVALID_FIELD', async () =>
    coded(await call(s.url, 'POST', cpath('demo', 'activity'), { body: {}, headers: { SessionId: c.sessionId } }), 400, 'INVALID_FIELD'));
  it('an int64 field that is not an integer → 400 INVALID_FIELD', async () => coded(await post('{"body":"x","clientTransactionId":"12ab"}'), 400, 'INVALID_FIELD'));
  it('sessionInformation over 4 KiB → 413 PAYLOAD_TOO_LARGE at the issuer; at the cap it is accepted', async () => {
    const info = (n: number) => ({ firstName: 'Ada', question: 'q'.repeat(n) });
    const over = await establish(s.url, info(MAX_SESSION_INFO_BYTES));
    coded(over, 413, 'PAYLOAD_TOO_LARGE');
    expect(over.json.message).toContain('sessionInformation');
    const exact = info(0);
    const pad = MAX_SESSION_INFO_BYTES - Buffer.byteLength(JSON.stringify(exact));
    expect((await establish(s.url, info(pad))).status).toBe(200);
    expect((await establish(s.url, info(pad + 1))).status).toBe(413);
  });
  it('a broken percent-encoding in a WebSocket session parameter is an unknown session (403), not a crash', async () => {
    // `%25E0` arrives as `%E0`, which decodeURIComponent refuses: it once ended the whole process
    const agentWs = openWs(s.url, '/engagement/api/agent/demo/v1/ws?aid=%25E0&jsessionid=%25E0');
    await expect(agentWs.opened).rejects.toThrow(/403/);
    const consumerWs = openWs(s.url, '/engagement/api/consumer/demo/v1/ws?sessionId=%25E0');
    await expect(consumerWs.opened).rejects.toThrow(/403/);
    const header = openWs(s.url, '/engagement/api/consumer/demo/v1/ws', { SessionId: '%E0%A4' });
    await expect(header.opened).rejects.toThrow(/403/);
  });
  it('a WebSocket ?after= that is not decimal digits → 400 INVALID_FIELD', async () => {
    for (const after of ['0x10', '1e3', '-1', '99999999999999999999']) {
      const w = openWs(s.url, `/engagement/api/consumer/demo/v1/ws?sessionId=${encodeURIComponent(c.sessionId)}&after=${after}`);
      await expect(w.opened, after).rejects.toThrow(/400/);
    }
  });
  it('unknown fields are ignored', async () => expect((await post('{"body":"hello there friend","futureField":{"a":1}}')).status).toBe(200));
  it('keeps serving afterwards', async () => expect((await c.post('still there?')).status).toBe(200));
});

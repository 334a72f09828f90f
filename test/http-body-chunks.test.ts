// Request bodies reach the uWS adapter in one chunk or in many; both paths must read the same bytes
// (a multi-byte character may straddle a chunk boundary) and keep the size cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, transcript } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ maxBodyBytes: 2_000_000 });
});
afterAll(async () => s?.stop());

describe('request bodies', () => {
  it('reads a small body sent in one piece', async () => {
    const c = await newConsumer(s.url);
    expect((await c.post('héllo wörld, one chunk')).status).toBe(200);
    const t = await transcript(s.url, c.engagementId);
    expect(t.json.messages.map((m: { body: string }) => m.body)).toEqual(['héllo wörld, one chunk']);
  });

  it('reads a body that arrives in many chunks, with multi-byte characters across their boundaries', async () => {
    const c = await newConsumer(s.url);
    // ~1.2 MB of JSON whitespace and two-byte characters around the text: far more than one socket read
    const text = 'ça marche très bien, merci ünd danke';
    const raw = `{${' '.repeat(400_000)}"pad":"${'é'.repeat(200_000)}",${' '.repeat(400_000)}"body":${JSON.stringify(text)}}`;
    const r = await call(s.url, 'POST', cpath('demo', 'postMessage'), { raw, headers: { SessionId: c.sessionId, 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    const t = await transcript(s.url, c.engagementId);
    expect(t.json.messages.map((m: { body: string }) => m.body)).toEqual([text]);
  });

  it('answers 413 with its code for a body over the cap, sent in many chunks', async () => {
    const c = await newConsumer(s.url);
    const raw = `{"body":"${'x'.repeat(2_100_000)}"}`;
    const r = await call(s.url, 'POST', cpath('demo', 'postMessage'), { raw, headers: { SessionId: c.sessionId } });
    expect(r.status).toBe(413);
    expect(r.json.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

// A lone surrogate (only possible as a JSON \u escape: bodies are decoded as strict UTF-8) is
// made U+FFFD at the edge. Before, the live stream carried it as sent while the journal's UTF-8
// stored three U+FFFD, so a transcript read back disagreed with what agents had been shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, transcript } from './helpers/client.ts';
import { parseText } from '../src/protocol/json.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ shards: 1 });
});
afterAll(async () => s?.stop());

describe('well-formed text', () => {
  it('turns each lone surrogate into U+FFFD and keeps escaped pairs (emoji)', () => {
    const r = parseText(String.raw`{"body":"a\ud800b\udfffc \ud83d\ude00","list":["\udc00x"]}`);
    expect(r).toEqual({ ok: true, value: { body: 'a\ufffdb\ufffdc \u{1f600}', list: ['\ufffdx'] } });
  });

  it('stores a post with a lone surrogate as the transcript shows it: one U+FFFD each', async () => {
    const c = await newConsumer(s.url);
    const raw = String.raw`{"body":"hello \ud800 there \udfff friend \ud83d\ude00"}`;
    expect((await call(s.url, 'POST', cpath('demo', 'postMessage'), { raw, headers: { SessionId: c.sessionId } })).status).toBe(200);
    const t = await transcript(s.url, c.engagementId);
    expect(t.json.messages.map((m: { body: string }) => m.body)).toEqual(['hello \ufffd there \ufffd friend \u{1f600}']);
  });
});

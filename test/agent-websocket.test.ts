// Agent WebSocket delivery (/engagement/api/agent/{site}/v1/ws): the same getResponseTypes entries
// getMessages returns, in sequence order, resumable with ?after=; session by headers or query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, openWs, until } from './helpers/client.ts';
import { accept, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, type Entry } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 500, concludeGraceMs: 1000 });
});
afterAll(async () => s?.stop());

/** Frames are `{getResponseTypes:[...]}`; flatten them to entries. */
const entries = (frames: Array<Record<string, unknown>>): Entry[] => frames.flatMap((f) => (f.getResponseTypes as Entry[] | undefined) ?? []);
const seqOf = (e: Entry): number => Number(inner(e).sequenceNumber);

describe('agent WebSocket', () => {
  it('delivers the same entries as getMessages, in order, and resumes after a sequence number', async () => {
    const a = await newAgent(s.url, 'agent1');
    const w = a.ws();
    await w.opened;
    await ready(a, 1);
    const u = await newConsumer(s.url);
    await waitEntry(a, isOfferOf(u.engagementId));
    expect((await accept(a, u.engagementId)).status).toBe(200);
    const texts = ['hello there agent', 'my parcel is late', 'it was due on monday'];
    for (const t of texts) expect((await u.post(t)).status).toBe(200);
    await waitEntry(a, (e) => inner(e).body === texts[2]);
    const polled = a.seen.filter((e) => typeOf(e) !== 'ChatGetTimeout');
    expect(await until(() => entries(w.frames).length >= polled.length)).toBe(true);
    expect(entries(w.frames)).toEqual(polled);
    expect(entries(w.frames).map(seqOf)).toEqual(polled.map((_, i) => i + 1));

    // reconnect from the middle: exactly the entries after that sequence number, then live ones
    const mid = seqOf(polled[1]!);
    w.ws.close();
    const r = a.ws(mid);
    await r.opened;
    expect(await until(() => entries(r.frames).length >= polled.length - mid)).toBe(true);
    expect(entries(r.frames)).toEqual(polled.slice(mid));
    await u.post('one more thing please');
    expect(await until(() => entries(r.frames).some((e) => inner(e).body === 'one more thing please'))).toBe(true);
    expect(entries(r.frames).map(seqOf)).toEqual(entries(r.frames).map((_, i) => mid + 1 + i));
    await u.conclude();
    await a.call('logoff', { forceLogoff: true });
    // logoff ends the socket
    expect((await r.closed).code).toBe(1000);
  });

  it('refuses ?after= past the end of the agent stream (400)', async () => {
    const a = await newAgent(s.url, 'agent3');
    await a.poll();
    const last = Math.max(0, ...a.seen.map(seqOf).filter((n) => Number.isFinite(n)));
    await expect(a.ws(last + 5).opened).rejects.toThrow(/400/);
    const atEnd = a.ws(last);
    await atEnd.opened;
    atEnd.ws.close();
    await a.call('logoff', { forceLogoff: true });
  });

  it('accepts the session as aid/jsessionid query parameters and refuses an unknown one', async () => {
    const a = await newAgent(s.url, 'agent2');
    const q = openWs(s.url, `/engagement/api/agent/demo/v1/ws?aid=${a.accountId}&jsessionid=${a.sessionId}`);
    await q.opened;
    const u = await newConsumer(s.url);
    await ready(a, 1);
    expect(await until(() => entries(q.frames).some(isOfferOf(u.engagementId)))).toBe(true);
    q.ws.close();
    const bad = openWs(s.url, '/engagement/api/agent/demo/v1/ws?aid=102&jsessionid=node0unknown');
    await expect(bad.opened).rejects.toThrow(/403/);
    const wrongAid = openWs(s.url, `/engagement/api/agent/demo/v1/ws?aid=999&jsessionid=${a.sessionId}`);
    await expect(wrongAid.opened).rejects.toThrow(/403/);
    await u.conclude();
    await a.call('logoff', { forceLogoff: true });
  });
});

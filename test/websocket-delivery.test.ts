// Consumer WebSocket: same objects as getMessages, in order, exactly once; ?after= resumes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, openWs, until } from './helpers/client.ts';

let s: TestServer;
beforeAll(async () => {
  // error-level lines on: a failure swallowed by a handler boundary (guard.ts) shows in the output
  s = await startTestServer({ longPollMs: 500, concludeGraceMs: 3000, logLevel: 'error' });
});
afterAll(async () => s?.stop());

const wsPath = (sessionId: string, extra = ''): string => `/engagement/api/consumer/demo/v1/ws?pool=1:1&sessionId=${encodeURIComponent(sessionId)}${extra}`;

describe('consumer WebSocket', () => {
  it('refuses an unknown session and an unknown site', async () => {
    const bad = openWs(s.url, wsPath('x'.repeat(32)));
    await expect(bad.opened).rejects.toThrow(/403/);
    const c = await newConsumer(s.url);
    const site = openWs(s.url, `/engagement/api/consumer/nosuch/v1/ws?sessionId=${c.sessionId}`);
    await expect(site.opened).rejects.toThrow(/404/);
  });

  it('accepts the session from the SessionId header too', async () => {
    const c = await newConsumer(s.url);
    const w = openWs(s.url, '/engagement/api/consumer/demo/v1/ws', { SessionId: c.sessionId });
    await w.opened;
    w.ws.close();
  });

  it('delivers what getMessages delivers, in order, once each, then closes after the conclusion', async () => {
    const c = await newConsumer(s.url);
    const w = openWs(s.url, wsPath(c.sessionId));
    await w.opened;
    await c.conclude();
    await c.poll();
    expect(await until(() => w.frames.some((f) => f.messageName === 'RNEngagementConcludedMessage'))).toBe(true);
    const closed = await w.closed;
    expect(closed.code).toBe(1000);
    // the long poll and the socket saw the same stream
    expect(w.frames.map((f) => f.sequenceNumber)).toEqual(c.seen.map((m) => m.sequenceNumber));
    expect(w.frames.map((f) => JSON.stringify(f))).toEqual(c.seen.map((m) => JSON.stringify(m)));
  });

  it('resumes after a given sequence number with everything after it and nothing twice', async () => {
    const c = await newConsumer(s.url);
    await c.conclude(); // the stream now holds at least the concluded message
    await c.poll();
    const all = c.seen.map((m) => Number(m.sequenceNumber));
    expect(all.length).toBeGreaterThan(0);
    // the close code and any client-side error are part of the expectation: a failure says how the
    // socket ended, not only that it saw nothing
    const ended = { code: 1000, reason: 'engagement concluded' };
    const full = openWs(s.url, wsPath(c.sessionId));
    expect({ close: await full.closed, errors: full.errors, seqs: full.seqs() }).toEqual({ close: ended, errors: [], seqs: all });
    const from = all[0]!;
    const resumed = openWs(s.url, wsPath(c.sessionId, `&after=${from}`));
    expect({ close: await resumed.closed, errors: resumed.errors, seqs: resumed.seqs() }).toEqual({ close: ended, errors: [], seqs: all.filter((q) => q > from) });
  });

  it('refuses ?after= past the end of the stream (400), instead of serving it from the end', async () => {
    const c = await newConsumer(s.url);
    await c.poll();
    const last = Math.max(...c.seen.map((m) => Number(m.sequenceNumber)));
    const ahead = openWs(s.url, wsPath(c.sessionId, `&after=${last + 3}`));
    await expect(ahead.opened).rejects.toThrow(/400/);
    // at the end exactly: accepted, and the next message is the first frame
    const atEnd = openWs(s.url, wsPath(c.sessionId, `&after=${last}`));
    await atEnd.opened;
    await c.conclude();
    await atEnd.closed;
    expect(atEnd.seqs()[0]).toBe(last + 1);
  });

  it('several sockets of one engagement, one resumed mid-stream, each get the stream once, in order', async () => {
    const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
    const c = await newConsumer(s.url);
    const first = openWs(s.url, wsPath(c.sessionId));
    await first.opened;
    expect((await c.post(`one ${CANARY}`)).status).toBe(200); // a blocked post: a notice on the stream
    expect(await until(() => first.frames.length > 0)).toBe(true);
    const from = first.seqs()[0]!;
    const others = [openWs(s.url, wsPath(c.sessionId)), openWs(s.url, wsPath(c.sessionId, `&after=${from}`))];
    await Promise.all(others.map((w) => w.opened));
    expect((await c.post(`two ${CANARY}`)).status).toBe(200);
    await c.conclude();
    await c.poll();
    const all = c.seen.map((m) => Number(m.sequenceNumber));
    await Promise.all([first, ...others].map((w) => w.closed));
    expect(first.seqs()).toEqual(all);
    expect(others[0]!.seqs()).toEqual(all);
    expect(others[1]!.seqs()).toEqual(all.filter((q) => q > from));
    expect(others[0]!.frames.map((f) => JSON.stringify(f))).toEqual(c.seen.map((m) => JSON.stringify(m)));
  });
});

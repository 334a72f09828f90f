// Tier-1 outcomes end to end over HTTP (tier1.md §1, chat-api.md §8): allow, block with a system
// notice, termination sequence, extreme first hit; long poll and WebSocket see the same notice;
// no rule name or reason in any payload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { newConsumer, openWs, sleep, transcript, until } from './helpers/client.ts';
import { RULE_NAMES } from '../src/config/tier1.ts';

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
const REASONS = [...RULE_NAMES, 'CANARY', 'STRIKES', 'SPAM'];
const noReason = (text: string): void => {
  for (const r of REASONS) expect(text).not.toContain(r);
};

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 500, concludeGraceMs: 1000 });
});
afterAll(async () => s?.stop());

const names = (msgs: Array<Record<string, unknown>>): unknown[] => msgs.map((m) => m.messageName);

describe('Tier-1 over HTTP', () => {
  it('allows ordinary text: 200 and delivered to the transcript', async () => {
    const c = await newConsumer(s.url);
    const r = await c.post('Hi, my order 1234 never arrived, can you check?');
    expect(r.status).toBe(200);
    const t = await transcript(s.url, c.engagementId);
    expect(t.json.messages.map((m: { body: string }) => m.body)).toEqual(['Hi, my order 1234 never arrived, can you check?']);
  });

  it('blocks the canary: 200 with the normal body, not delivered, a system notice on long poll and WebSocket alike', async () => {
    const c = await newConsumer(s.url);
    const w = openWs(s.url, `/engagement/api/consumer/demo/v1/ws?sessionId=${c.sessionId}`);
    await w.opened;
    const r = await c.post(`please test ${CANARY}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(['clientId', 'clientIdString', 'clientRequestTime', 'serviceFinishTime', 'serviceStartTime']);
    await c.poll();
    const added = c.seen.filter((m) => m.messageName === 'RNEngagementParticipantAddedMessage');
    const notice = c.seen.find((m) => m.messageName === 'RNEngagementMessagePostedMessage');
    expect(added).toHaveLength(1);
    expect(added[0]!.name).toBe('System');
    expect(notice?.clientId).toBe(added[0]!.clientId);
    expect(String(notice?.body)).toMatch(/not sent/i);
    noReason(JSON.stringify(c.seen) + r.text);
    expect(await until(() => w.frames.length >= c.seen.length)).toBe(true);
    expect(w.frames).toEqual(c.seen);
    // a second block reuses the introduced system participant
    await c.post(`again ${CANARY}`);
    await c.poll();
    expect(c.seen.filter((m) => m.messageName === 'RNEngagementParticipantAddedMessage')).toHaveLength(1);
    const t = await transcript(s.url, c.engagementId);
    expect(t.text).not.toContain(CANARY);
    w.ws.close();
  });

  it('terminates on the strike limit: 409 ENGAGEMENT_TERMINATED after notice → participant left → concluded, then 403 after grace', async () => {
    const c = await newConsumer(s.url);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await c.post(`strike ${i} ${CANARY}`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 409]);
    expect(last!.json).toMatchObject({ code: 'ENGAGEMENT_TERMINATED', message: 'This conversation has been ended.' });
    noReason(last!.text);
    await c.poll();
    const seq = names(c.seen);
    const tail = seq.slice(-3);
    expect(tail).toEqual(['RNEngagementMessagePostedMessage', 'RNEngagementParticipantLeftMessage', 'RNEngagementConcludedMessage']);
    expect(c.seen.at(-1)).toMatchObject({ reason: 'END_USER_DISCONNECTED' });
    expect(c.seen.at(-2)).toMatchObject({ role: 'END_USER', clientIdString: c.clientId });
    noReason(JSON.stringify(c.seen));
    // further posts never deliver
    expect((await c.post('hello again, anyone?')).status).toBe(409);
    const t = await transcript(s.url, c.engagementId);
    expect(t.json.messages.filter((m: { kind: string }) => m.kind === 'message')).toHaveLength(0);
    await sleep(1200);
    expect((await c.poll()).status).toBe(403);
  });

  it('terminates on an extreme first hit (over 10× the length cap)', async () => {
    const c = await newConsumer(s.url);
    const r = await c.post('lorem ipsum '.repeat(4000));
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('ENGAGEMENT_TERMINATED');
    await c.poll();
    expect(names(c.seen).slice(-2)).toEqual(['RNEngagementParticipantLeftMessage', 'RNEngagementConcludedMessage']);
  });

  it('soft-blocks a fast burst from one sender without a strike, with a slow-down notice', async () => {
    const c = await newConsumer(s.url);
    const st: number[] = [];
    for (let i = 0; i < 12; i++) st.push((await c.post(`message number ${'abcdefghijklmnop'[i]} in a burst of chatter`)).status);
    expect(st.every((x) => x === 200)).toBe(true);
    await c.poll();
    const notices = c.seen.filter((m) => m.messageName === 'RNEngagementMessagePostedMessage');
    expect(notices.length).toBeGreaterThanOrEqual(1);
    const t = await transcript(s.url, c.engagementId);
    expect(t.json.messages.filter((m: { kind: string }) => m.kind === 'message').length).toBe(10);
  });

  it('answers an empty-after-normalization message 400 EMPTY_MESSAGE, not a strike', async () => {
    const c = await newConsumer(s.url);
    for (let i = 0; i < 4; i++) {
      const r = await c.post('\u00a0\u2800\u200b \u3000');
      expect(r.status).toBe(400);
      expect(r.json.code).toBe('EMPTY_MESSAGE');
    }
    expect((await c.post('now a real question about billing')).status).toBe(200);
  });
});

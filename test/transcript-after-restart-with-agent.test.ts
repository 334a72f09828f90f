// A restart replays the journal; an engagement created inside the replay's horizon is rebuilt as
// its events come, and applying an agent's `joined` reads the transcript so far (the joining
// agent's history). That read came while the journal's index was half built: it rebuilt the whole
// index underneath the replay, which then added every later event again. A transcript is cut at
// the number of messages said, so it looked right until the next message: from then on the admin
// transcript and the history a joining agent got showed old messages again in place of the new
// ones. Found by a shard-crash fuzz (thread crashes injected under load); a process restart did
// the same.
import { describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { call, cpath, newConsumer, transcript } from './helpers/client.ts';
import { accept, agentFor, isOfferOf, newAgent, ready, typeOf, waitEntry, type Entry } from './helpers/agent-client.ts';

const bodies = (t: { json: { messages: Array<{ kind: string; body: string }> } }): string[] =>
  t.json.messages.filter((m) => m.kind === 'message').map((m) => m.body);
const history = (seen: Entry[], engagementId: string): string[] =>
  seen.filter((e) => typeOf(e) === 'ChatPostMessage')
    .map((e) => Object.values(e)[0]!)
    .filter((m) => m.engagementIdString === engagementId && m.history === true)
    .map((m) => String(m.body));

describe('transcript after a restart, for an engagement an agent joined', () => {
  it('lists each message once, in the admin transcript and in the next joining agent history', async () => {
    // a long grace puts the horizon far back: the engagement is rebuilt as its events come
    const opts = { shards: 1, concludeGraceMs: 60_000, longPollMs: 300 };
    let s: TestServer = await startTestServer(opts);
    try {
      const u = await newConsumer(s.url);
      expect((await u.post('my parcel never arrived')).status).toBe(200);
      const a = await newAgent(s.url, 'agent1');
      await ready(a);
      expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeDefined();
      expect((await accept(a, u.engagementId)).status).toBe(200);
      expect((await u.post('it was due on monday')).status).toBe(200);
      const said = await a.call('postMessage', { body: 'let me look that up', destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
      expect(said.status).toBe(200);
      const expected = ['my parcel never arrived', 'it was due on monday', 'let me look that up'];
      expect(bodies(await transcript(s.url, u.engagementId))).toEqual(expected);
      // and one more engagement after it in the journal, so the replay goes on past the join
      const later = await newConsumer(s.url);
      expect((await later.post('a second customer')).status).toBe(200);
      await s.stop();

      s = await startTestServer({ ...opts, dataDir: s.dataDir, configDir: s.configDir });
      expect(bodies(await transcript(s.url, u.engagementId))).toEqual(expected);
      expect(bodies(await transcript(s.url, later.engagementId))).toEqual(['a second customer']);
      // the first agent releases it; a second one joins and gets what was said, once
      const a2 = await newAgent(s.url, 'agent2');
      await ready(a2, 2); // the later customer waits too
      const a1 = agentFor(s.url, 'demo', a.sessionId, a.accountId, a.clientId);
      expect((await a1.call('setActivityStatus', { status: 'UNAVAILABLE' })).status).toBe(200);
      const rel = await a1.call('releaseChat', { engagementId: Number(u.engagementId) });
      expect(rel.status).toBe(200);
      expect(await waitEntry(a2, isOfferOf(u.engagementId))).toBeDefined();
      expect((await accept(a2, u.engagementId)).status).toBe(200);
      // the history comes on the agent's stream after its participant entry: wait for its last line
      expect(await waitEntry(a2, (e) => typeOf(e) === 'ChatPostMessage' && Object.values(e)[0]!.body === 'let me look that up')).toBeDefined();
      expect(history(a2.seen, u.engagementId)).toEqual(expected);
      const more = await call(s.url, 'POST', cpath('demo', 'postMessage'), { body: { body: 'thanks for checking' }, headers: { SessionId: u.sessionId } });
      expect(more.status).toBe(200);
      expect(bodies(await transcript(s.url, u.engagementId))).toEqual([...expected, 'thanks for checking']);
    } finally {
      await s.stop();
    }
  }, 60_000);
});

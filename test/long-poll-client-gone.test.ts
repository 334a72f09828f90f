// A parked getMessages whose client goes away (a closed tab, a killed bot, a client timeout) is
// released on its shard and must be forgotten on the HTTP thread too. Before, the shard dropped it
// without an answer and the HTTP thread kept waiting for one: each such poll stayed "in flight" for
// good (parley_inflight_requests only grew, holding the aborted response), and a graceful stop,
// which waits for in-flight requests, waited its full 5 s for answers that never come (measured:
// 5.0–6.6 s instead of ~0.05 s).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { cpath, metric, newConsumer, sleep, until } from './helpers/client.ts';
import { apath, newAgent } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ longPollMs: 20_000 });
});
afterAll(async () => s?.stop());

/** A getMessages whose client gives up (closes its connection) when told. */
function abandonedPoll(p: string, headers: Record<string, string>): { abandon(): Promise<void> } {
  const ac = new AbortController();
  const done = fetch(s.url + p, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}', signal: ac.signal }).then(
    (r) => `answered ${r.status} before the client left`,
    () => 'aborted',
  );
  return {
    abandon: async () => {
      ac.abort();
      expect(await done).toBe('aborted');
    },
  };
}

const inFlight = (): Promise<number> => metric(s.url, 'parley_inflight_requests');

describe('a parked long poll whose client went away', () => {
  it('is no longer in flight, and a graceful stop does not wait for it; a poll still parked is answered at the stop', async () => {
    const c = await newConsumer(s.url);
    await c.poll(); // what was queued at creation
    const a = await newAgent(s.url, 'agent1'); // logged on, not available: no offer answers its poll
    await a.poll(); // its logon entries
    const gone = [
      abandonedPoll(cpath('demo', 'getMessages'), { SessionId: c.sessionId }),
      abandonedPoll(apath('demo', 'getMessages'), { 'X-AID': a.accountId, 'X-JSESSIONID': a.sessionId }),
    ];
    await until(async () => (await inFlight()) === 2);
    const whileParked = await inFlight();
    for (const p of gone) await p.abandon();
    await until(async () => (await inFlight()) === 0);
    const afterAbandon = await inFlight();

    // the session is fine: its next poll parks, and the stop answers it (empty) at once
    const parked = c.poll();
    await until(async () => (await inFlight()) === afterAbandon + 1);
    const stop = await Promise.race([s.stop().then(() => 'stopped'), sleep(2000).then(() => 'still stopping after 2 s')]);
    const r = await parked;
    expect({ whileParked, inFlight: afterAbandon, stop, parked: { status: r.status, messages: r.json?.systemMessages } }).toEqual({
      whileParked: 2,
      inFlight: 0,
      stop: 'stopped',
      parked: { status: 200, messages: [] },
    });
  });
});

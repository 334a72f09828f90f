// Agent state survives kill -9 (a separate server process, killed and restarted on the same data
// dir): the same X-JSESSIONID keeps working, the inbox sequence continues where it stopped, held
// engagements stay held, open offers and queued engagements are still there.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { call, cpath, newConsumer, until } from './helpers/client.ts';
import { OFFER, accept, agentFor, engOf, inner, isOfferOf, newAgent, ready, typeOf, waitEntry } from './helpers/agent-client.ts';

let srv: ServerProcess | undefined;
afterAll(() => {
  srv?.child.kill('SIGKILL');
});

const env = (dataDir: string): Record<string, string> => ({ PARLEY_DATA_DIR: dataDir, PARLEY_LONG_POLL_MS: '400', PARLEY_OFFER_TIMEOUT_MS: '60000', PARLEY_LOG_LEVEL: 'warn' });

describe('agent durability', () => {
  it('keeps agent sessions, inboxes, held engagements, offers and the queue across kill -9', async () => {
    const dataDir = tempDir('agent-dur');
    srv = await spawnServer(env(dataDir));
    let base = srv.url;
    const a = await newAgent(base, 'agent1');
    const b = await newAgent(base, 'agent2');
    await ready(a, 1);
    const u1 = await newConsumer(base);
    await waitEntry(a, isOfferOf(u1.engagementId));
    expect((await accept(a, u1.engagementId)).status).toBe(200);
    expect((await u1.post('before the crash, first words')).status).toBe(200);
    await waitEntry(a, (e) => inner(e).body === 'before the crash, first words');
    expect((await a.call('postMessage', { body: 'agent reply before crash', destinationId: Number(u1.engagementId), destinationType: 'ENGAGEMENT' })).status).toBe(200);
    const lastSeq = Math.max(...a.seen.filter((e) => typeOf(e) !== 'ChatGetTimeout').map((e) => Number(inner(e).sequenceNumber)));
    // an open offer to b, and one engagement waiting with no agent at all
    await ready(b, 1);
    const u2 = await newConsumer(base);
    await waitEntry(b, isOfferOf(u2.engagementId));
    const u3 = await newConsumer(base);

    srv.child.kill('SIGKILL');
    await srv.exited;
    srv = await spawnServer(env(dataDir));
    base = srv.url;
    const a2 = agentFor(base, 'demo', a.sessionId, a.accountId, a.clientId);
    const b2 = agentFor(base, 'demo', b.sessionId, b.accountId, b.clientId);

    // the held engagement still works both ways, and the inbox continues after its last sequence number
    const post = await call(base, 'POST', cpath('demo', 'postMessage'), { body: { body: 'after the restart, more words' }, headers: { SessionId: u1.sessionId } });
    expect(post.status).toBe(200);
    const got = await waitEntry(a2, (e) => inner(e).body === 'after the restart, more words');
    expect(got).toBeDefined();
    expect(Number(inner(got!).sequenceNumber)).toBeGreaterThan(lastSeq);
    expect(a2.seen.some((e) => inner(e).body === 'before the crash, first words')).toBe(false);
    expect((await a2.call('postMessage', { body: 'agent reply after restart', destinationId: Number(u1.engagementId), destinationType: 'ENGAGEMENT' })).status).toBe(200);
    const seen: Array<Record<string, unknown>> = [];
    expect(await until(async () => {
      const r = await call(base, 'POST', cpath('demo', 'getMessages'), { body: {}, headers: { SessionId: u1.sessionId } });
      seen.push(...(r.json.systemMessages as Array<Record<string, unknown>>));
      return seen.some((m) => m.body === 'agent reply after restart');
    }, 5000)).toBe(true);

    // b's offer survived: b can accept it
    expect((await accept(b2, u2.engagementId)).status).toBe(200);
    // u3 still waits in the queue: a new agent is offered it
    const c = await newAgent(base, 'agent3');
    await ready(c, 1);
    expect(await waitEntry(c, isOfferOf(u3.engagementId))).toBeDefined();
    expect(c.seen.filter((e) => typeOf(e) === OFFER).map(engOf)).toEqual([u3.engagementId]);

    // and logoff still ends the recovered session
    expect((await a2.call('logoff', { forceLogoff: true })).status).toBe(200);
    expect((await a2.call('getMessages', {})).status).toBe(403);
  });
});

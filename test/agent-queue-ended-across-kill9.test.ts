// A conclusion the home shard never heard of. A customer gives up while waiting: its engagement's
// shard (E) journals the conclusion and sends `ended` to the tenant's home shard (H), which keeps
// the queue. If the process dies with that event in flight, H recovered the queue entry from its
// journal and E — which no longer counts the engagement as open — did not re-announce it: the
// concluded chat was offered to the next free agent, ahead of every real customer.
// E now re-announces `ended` for the concluded engagements it recovers (idempotent on H), and H
// asks E about each waiting or held engagement it recovered. A recovered waiting entry is offered
// only once E has answered for it (or after 2 s without an answer): before, an agent free at the
// restart was offered the gone customer's chat, and had it revoked a moment later.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { call, newConsumer } from './helpers/client.ts';
import { accept, agentFor, engOf, isOfferOf, newAgent, OFFER, ready, typeOf, waitEntry, type Agent } from './helpers/agent-client.ts';
import { consumerOffHome, homeShardOf } from './helpers/shards.ts';

const REVOKED = 'ChatEngagementAssignmentRevokedNotification';

let srv: ServerProcess | undefined;
const spawned: ServerProcess[] = [];
afterAll(() => {
  for (const p of spawned) p.child.kill('SIGKILL');
});

/** Starts a server process, stopped after the file's tests whatever happens to them. */
async function start(env: Record<string, string>): Promise<ServerProcess> {
  const p = await spawnServer(env);
  spawned.push(p);
  return p;
}

const HOME = homeShardOf('demo', 2);

const RESTARTS = [
  ['restarted at once', {}, 0],
  // the retention may not be shorter than the conclude grace period (start-up refuses it)
  ['restarted after the conclusion left memory', { PARLEY_RETENTION_MS: '1000', PARLEY_CONCLUDE_GRACE_MS: '1000' }, 1500],
] as const;

/** The first offers an agent sees within a few polls, until `want` is among them. */
async function offersUntil(a: Agent, want: string): Promise<string[]> {
  let offered: string[] = [];
  for (let i = 0; i < 20 && !offered.includes(want); i++) {
    await a.poll();
    offered = a.seen.filter((e) => typeOf(e) === OFFER).map(engOf);
  }
  return offered;
}

// restarted at once, E still holds the concluded engagement and re-announces its end; restarted
// after the conclusion left E's memory (retention 1 s here, the conclude grace period and 5 s by
// default), E knows nothing to re-announce and H asks E about each waiting entry it recovered
describe.each(RESTARTS)('a waiting customer who left just before a kill -9, %s', (_name, extra, downMs) => {
  it('is not offered to an agent after the restart; the next real customer is', async () => {
    const dataDir = tempDir('ended-kill9');
    const env = { PARLEY_DATA_DIR: dataDir, PARLEY_SHARDS: '2', PARLEY_FAULT_INJECTION: 'on', PARLEY_SHARD_HANG_MS: '60000', PARLEY_LONG_POLL_MS: '300', PARLEY_LOG_LEVEL: 'warn', ...extra };
    srv = await start(env);
    const gone = await consumerOffHome(srv.url, 2);

    // H stops reading its port: the `ended` of the conclusion waits there, and dies with the process
    const hang = await call(srv.url, 'POST', `/admin/v1/shards/${HOME}/fault?mode=hang`, { headers: { authorization: 'Bearer test-admin' } });
    expect(hang.status).toBe(202);
    expect((await gone.conclude()).status).toBe(200);
    srv.child.kill('SIGKILL');
    await srv.exited;
    await new Promise((r) => setTimeout(r, downMs)); // the process stays down this long

    srv = await start(env);
    const next = await newConsumer(srv.url);
    const agent = await newAgent(srv.url, 'agent1');
    await ready(agent, 1);
    expect(await offersUntil(agent, next.engagementId)).toEqual([next.engagementId]);
  }, 90_000);
});

describe.each(RESTARTS)('a customer who left an agent just before a kill -9, %s', (_name, extra, downMs) => {
  it('is not put back in the queue when the agent releases the chat after the restart', async () => {
    const dataDir = tempDir('ended-held-kill9');
    const env = { PARLEY_DATA_DIR: dataDir, PARLEY_SHARDS: '2', PARLEY_FAULT_INJECTION: 'on', PARLEY_SHARD_HANG_MS: '60000', PARLEY_LONG_POLL_MS: '300', PARLEY_LOG_LEVEL: 'warn', ...extra };
    srv = await start(env);
    const first = await newAgent(srv.url, 'agent1');
    await ready(first, 1);
    const gone = await consumerOffHome(srv.url, 2);
    expect(await waitEntry(first, isOfferOf(gone.engagementId), 20)).toBeDefined();
    expect((await accept(first, gone.engagementId)).status).toBe(200);

    const hang = await call(srv.url, 'POST', `/admin/v1/shards/${HOME}/fault?mode=hang`, { headers: { authorization: 'Bearer test-admin' } });
    expect(hang.status).toBe(202);
    expect((await gone.conclude()).status).toBe(200);
    srv.child.kill('SIGKILL');
    await srv.exited;
    await new Promise((r) => setTimeout(r, downMs));

    srv = await start(env);
    const again = agentFor(srv.url, 'demo', first.sessionId, first.accountId, first.clientId); // the session survives
    const second = await newAgent(srv.url, 'agent2');
    await ready(second, 1);
    // the releasing agent takes no more chats: whatever is queued now goes to the second
    expect((await again.call('setActivityStatus', { status: 'UNAVAILABLE', subTypeId: 0 })).status).toBe(200);
    // before: H still counted the chat as going, and the release handed it back to the queue
    expect((await again.call('releaseChat', { engagementId: Number(gone.engagementId) })).status).toBe(200);
    const next = await newConsumer(srv.url);
    expect(await offersUntil(second, next.engagementId)).toEqual([next.engagementId]);
  }, 90_000);
});

describe('a waiting customer who left just before a kill -9, queued behind a chat offered to an agent who kept the session', () => {
  it('is never offered, not even for a moment, when that offer is revoked at the restart', async () => {
    const dataDir = tempDir('ended-unchecked-kill9');
    const env = { PARLEY_DATA_DIR: dataDir, PARLEY_SHARDS: '2', PARLEY_FAULT_INJECTION: 'on', PARLEY_SHARD_HANG_MS: '60000', PARLEY_LONG_POLL_MS: '300', PARLEY_LOG_LEVEL: 'warn' };
    srv = await start(env);
    const agent = await newAgent(srv.url, 'agent1');
    await ready(agent, 1);
    const first = await consumerOffHome(srv.url, 2);
    expect(await waitEntry(agent, isOfferOf(first.engagementId), 20)).toBeDefined(); // not accepted: the slot is the offer's
    // waits: the agent's one slot is taken by the offer. H asks E about its recovered entries in key
    // order (`rt/demo/q/<id>`, ids are not sequential): `gone` after `first`, so the revoke of the
    // first offer frees the slot while `gone` is still queued
    let gone = await consumerOffHome(srv.url, 2);
    while (gone.engagementId < first.engagementId) {
      expect((await gone.conclude()).status).toBe(200);
      gone = await consumerOffHome(srv.url, 2);
    }

    const hang = await call(srv.url, 'POST', `/admin/v1/shards/${HOME}/fault?mode=hang`, { headers: { authorization: 'Bearer test-admin' } });
    expect(hang.status).toBe(202);
    // both leave; both `ended` wait in H's port and die with the process
    expect((await first.conclude()).status).toBe(200);
    expect((await gone.conclude()).status).toBe(200);
    srv.child.kill('SIGKILL');
    await srv.exited;

    srv = await start(env);
    const again = agentFor(srv.url, 'demo', agent.sessionId, agent.accountId, agent.clientId); // AVAILABLE, one slot
    // the first chat's offer is revoked (E: ended), which frees the slot while `gone` is still queued
    expect(await waitEntry(again, (e) => typeOf(e) === REVOKED && engOf(e) === first.engagementId, 20)).toBeDefined();
    const next = await newConsumer(srv.url);
    expect(await waitEntry(again, isOfferOf(next.engagementId), 20)).toBeDefined();
    expect(again.seen.filter((e) => engOf(e) === gone.engagementId).map(typeOf)).toEqual([]);
  }, 90_000);
});

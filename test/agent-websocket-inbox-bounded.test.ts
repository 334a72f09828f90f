// An agent session read only over its WebSocket keeps a bounded inbox: what its sockets were sent
// counts as delivered, as a poll's answer does (neither is acknowledged; `?after=` is the
// recovery), so only INBOX_KEEP entries behind the furthest one delivered stay — and, behind what
// the sockets were sent, also the last 2 × PARLEY_WS_MAX_BACKPRESSURE bytes of entries, so a socket
// closed 4008 for that much unsent can resume where it left off — in memory and in the journal;
// entries no socket or poll was sent yet are all kept. Before, entries were
// pruned only behind the long-poll cursor: a socket-only console kept every entry since its logon
// (30,000 posts: 30,010 entries, +102 MB RSS, a 30 MB journal), after its chats were released, and
// after a restart too.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer } from './helpers/server.ts';
import { until, type Consumer } from './helpers/client.ts';
import { accept, agentFor, isOfferOf, ready, typeOf, waitEntry, type Agent } from './helpers/agent-client.ts';
import { KEEP, alice, busyTenant, customer, entries, posts, postsIn, seqOf, startBusy } from './helpers/agent-inbox.ts';

let s: TestServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

/** Alice, reading over one socket only, takes a customer's chat and is sent its `n` posts. */
async function socketOnlyAgentSent(s: TestServer, n: number): Promise<{ a: Agent; w: ReturnType<Agent['ws']>; c: Consumer }> {
  const a = await alice(s);
  const w = a.ws();
  await w.opened;
  await ready(a, 1);
  const c = await customer(s);
  expect(await until(() => entries(w.frames).some(isOfferOf(c.engagementId)))).toBe(true);
  expect((await accept(a, c.engagementId)).status).toBe(200);
  expect(await posts(c, 0, n)).toEqual([]);
  expect(await until(() => postsIn(entries(w.frames)) === n, 30_000)).toBe(true);
  return { a, w, c };
}

describe('an agent session read only over its WebSocket', () => {
  it('keeps INBOX_KEEP entries behind what its sockets were sent, in memory and in the journal; undelivered ones all', async () => {
    const configDir = busyTenant();
    const small = 1024; // the smallest backpressure limit: its 2 KiB of entries are fewer than KEEP
    s = await startBusy(configDir, undefined, small);
    const { a, w, c } = await socketOnlyAgentSent(s, KEEP + 200);
    const last = Math.max(...entries(w.frames).map(seqOf));
    expect(last).toBeGreaterThan(KEEP + 200);

    // a console opening a second socket with no position gets what is kept: KEEP behind the end
    const fresh = a.ws(null);
    await fresh.opened;
    expect(await until(() => entries(fresh.frames).some((e) => seqOf(e) === last))).toBe(true);
    expect(entries(fresh.frames).map(seqOf)).toEqual(Array.from({ length: KEEP + 1 }, (_, i) => last - KEEP + i));

    // with no socket open, nothing is delivered, so nothing is pruned: a socket resuming gets it all
    w.ws.close();
    fresh.ws.close();
    await Promise.all([w.closed, fresh.closed]);
    expect(await posts(c, KEEP + 200, KEEP + 100)).toEqual([]);
    const back = a.ws(last);
    await back.opened;
    expect(await until(() => postsIn(entries(back.frames)) === KEEP + 100, 30_000)).toBe(true);
    const end = Math.max(...entries(back.frames).map(seqOf));
    expect(entries(back.frames).map(seqOf)).toEqual(Array.from({ length: end - last }, (_, i) => last + 1 + i));
    back.ws.close();
    await back.closed;

    // the pruned entries' journal keys went with them: a restart restores only what was kept
    const dataDir = s.dataDir;
    await s.stop();
    s = await startBusy(configDir, dataDir, small);
    const again = agentFor(s.url, 'acme', a.sessionId, a.accountId, a.clientId);
    const after = again.ws(null);
    await after.opened;
    expect(await until(() => entries(after.frames).some((e) => seqOf(e) === end))).toBe(true);
    expect(entries(after.frames).map(seqOf)).toEqual(Array.from({ length: KEEP + 1 }, (_, i) => end - KEEP + i));
    after.ws.close();
  }, 90_000);

  it('keeps the last 2 × PARLEY_WS_MAX_BACKPRESSURE bytes of what its sockets were sent, so a socket closed 4008 resumes where it left off', async () => {
    s = await startBusy(busyTenant()); // the default limit, 1 MiB: 700 posts of ~450 bytes fit twice over
    const { a, w } = await socketOnlyAgentSent(s, KEEP + 200);
    const seen = entries(w.frames).map(seqOf);
    w.ws.close();
    await w.closed;
    // a client that had read only the first entries (its socket closed with the rest unsent) resumes from there
    const back = a.ws(1);
    await back.opened;
    expect(await until(() => entries(back.frames).some((e) => seqOf(e) === seen.at(-1)))).toBe(true);
    expect(entries(back.frames).map(seqOf)).toEqual(seen.slice(1));
    back.ws.close();
  }, 90_000);

  it('when a long poll reads it too, that poll still gets every entry after a burst its socket was sent at once', async () => {
    s = await startBusy(busyTenant(), undefined, 1024); // socket deliveries alone would keep only KEEP
    const a = await alice(s);
    const w = a.ws();
    await w.opened;
    await ready(a, 1);
    const c = await customer(s);
    expect(await waitEntry(a, isOfferOf(c.engagementId))).toBeDefined(); // the poll reads too
    expect((await accept(a, c.engagementId)).status).toBe(200);
    expect(await posts(c, 0, KEEP + 200)).toEqual([]);
    expect(await until(() => postsIn(entries(w.frames)) === KEEP + 200, 30_000)).toBe(true);
    // the poll, 100 entries an answer, reads on from its cursor: nothing pruned under it
    for (let i = 0; i < 30 && postsIn(a.seen) < KEEP + 200; i++) await a.poll();
    expect(postsIn(a.seen)).toBe(KEEP + 200);
    const seqs = a.seen.filter((e) => typeOf(e) !== 'ChatGetTimeout').map(seqOf);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => (seqs[0] ?? 0) + i));
    w.ws.close();
  }, 90_000);
});

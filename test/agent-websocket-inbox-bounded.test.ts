// An agent session read only over its WebSocket keeps a bounded inbox: what its sockets were sent
// counts as delivered, as a poll's answer does (neither is acknowledged; `?after=` is the
// recovery), so only INBOX_KEEP entries behind the furthest one delivered stay — in memory and in
// the journal — while entries no socket or poll was sent yet are all kept. Before, entries were
// pruned only behind the long-poll cursor: a socket-only console kept every entry since its logon
// (30,000 posts: 30,010 entries, +102 MB RSS, a 30 MB journal), after its chats were released, and
// after a restart too.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer } from './helpers/server.ts';
import { until } from './helpers/client.ts';
import { accept, agentFor, isOfferOf, ready } from './helpers/agent-client.ts';
import { KEEP, alice, busyTenant, customer, entries, posts, postsIn, seqOf, startBusy } from './helpers/agent-inbox.ts';

let s: TestServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('an agent session read only over its WebSocket', () => {
  it('keeps INBOX_KEEP entries behind what its sockets were sent, in memory and in the journal; undelivered ones all', async () => {
    const configDir = busyTenant();
    s = await startBusy(configDir);
    const a = await alice(s);
    const w = a.ws();
    await w.opened;
    await ready(a, 1);
    const c = await customer(s);
    expect(await until(() => entries(w.frames).some(isOfferOf(c.engagementId)))).toBe(true);
    expect((await accept(a, c.engagementId)).status).toBe(200);
    expect(await posts(c, 0, KEEP + 200)).toEqual([]);
    expect(await until(() => postsIn(entries(w.frames)) === KEEP + 200, 30_000)).toBe(true);
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
    s = await startBusy(configDir, dataDir);
    const again = agentFor(s.url, 'acme', a.sessionId, a.accountId, a.clientId);
    const after = again.ws(null);
    await after.opened;
    expect(await until(() => entries(after.frames).some((e) => seqOf(e) === end))).toBe(true);
    expect(entries(after.frames).map(seqOf)).toEqual(Array.from({ length: KEEP + 1 }, (_, i) => end - KEEP + i));
    after.ws.close();
  }, 90_000);
});

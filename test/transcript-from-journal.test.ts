// Transcripts are folded from the journal, not kept in the shard's heap: an agent who joins gets
// the whole conversation so far as history, and the admin transcript is complete while the
// engagement is live and after a restart — in both journal sync modes.
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { newConsumer, transcript } from './helpers/client.ts';
import { accept, engOf, inner, isOfferOf, newAgent, ready, typeOf, waitEntry } from './helpers/agent-client.ts';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

describe.each(['commit', 'flush'] as const)('transcript from the journal (%s)', (journalSync) => {
  it('gives a joining agent the conversation so far and answers the admin transcript, before and after a restart', async () => {
    // a tenant without the per-sender burst limit, so one customer can send a dozen lines at once
    const configDir = tenantConfigDir({ 'talk.yaml': [
      'site: talk',
      'credentials: [{ user: talk, password: talk }]',
      'agents: [{ user: tagent, password: talk, name: Tess, accountId: 601 }]',
      'tier1: { rules: { RATE_BURST: { mode: off } } }',
    ].join('\n') });
    const s = await startTestServer({ journalSync, shards: 2, configDir });
    servers.push(s);
    const u = await newConsumer(s.url, 'talk', undefined, ['talk', 'talk']);
    // posted concurrently: several land in one mailbox batch
    const said = [
      'Hi, I ordered a blue kettle last Tuesday', 'The tracking page has not changed since Friday', 'Could you check where it is?',
      'My postcode is on the order already', 'I paid with a gift card', 'Is there a phone number for the courier',
      'Also the invoice shows the wrong address', 'It should say flat 4, not flat 14', 'Thanks for your patience',
      'I am home all afternoon today', 'Can it be left with a neighbour', 'Last thing: do you sell descaler tablets',
    ];
    for (const r of await Promise.all(said.map((b) => u.post(b)))) expect(r.status).toBe(200);

    const a = await newAgent(s.url, 'tagent', 'talk', 'talk');
    await ready(a);
    expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeDefined();
    expect((await accept(a, u.engagementId)).status).toBe(200);
    const history = async (): Promise<string[]> => {
      await waitEntry(a, (e) => typeOf(e) === 'ChatPostMessage' && engOf(e) === u.engagementId && inner(e).history === true && inner(e).body === said[said.length - 1]);
      return a.seen.filter((e) => typeOf(e) === 'ChatPostMessage' && engOf(e) === u.engagementId && inner(e).history === true).map((e) => String(inner(e).body));
    };
    expect((await history()).sort()).toEqual([...said].sort());

    const t1 = await transcript(s.url, u.engagementId);
    expect(t1.status).toBe(200);
    const bodies = (t1.json.messages as Array<{ body: string; sequenceNumber: number }>).map((m) => m.body);
    expect([...bodies].sort()).toEqual([...said].sort());
    expect((t1.json.messages as Array<{ sequenceNumber: number }>).map((m) => m.sequenceNumber)).toEqual(said.map((_, i) => i + 1));

    // after a clean restart the same transcript comes back from the journal
    await s.stop();
    servers.splice(servers.indexOf(s), 1);
    const again = await startTestServer({ journalSync, shards: 2, dataDir: s.dataDir, configDir: s.configDir });
    servers.push(again);
    const t2 = await transcript(again.url, u.engagementId);
    expect(t2.status).toBe(200);
    expect(t2.json.messages).toEqual(t1.json.messages);
  });
});

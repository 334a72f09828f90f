// Stored text is NFC (tier1.md §3: "NFC for storage", "stored text stays NFC as sent"): a post sent
// decomposed (NFD, as some keyboards and macOS file names produce) was stored, delivered and
// transcribed with its decomposed code points, so the same words compared, searched and counted
// differently depending on the sender's device. Found by exploratory testing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { newConsumer, transcript, type Consumer } from './helpers/client.ts';
import { accept, inner, isOfferOf, newAgent, ready, typeOf, waitEntry, waitMessage, type Agent, type Entry } from './helpers/agent-client.ts';

let s: TestServer;
beforeAll(async () => {
  const configDir = tenantConfigDir({ 'quiet.yaml': [
    'site: quiet',
    'credentials: [{ user: quiet, password: quiet }]',
    'agents: [{ user: qagent, password: quiet, name: Quinn, accountId: 501 }]',
    'tier1: { screenAgents: false }',
  ].join('\n') });
  s = await startTestServer({ configDir, longPollMs: 600 });
});
afterAll(async () => s?.stop());

async function chat(a: Agent, site = 'demo', cred: [string, string] = ['demo', 'demo']): Promise<Consumer> {
  const u = await newConsumer(s.url, site, undefined, cred);
  expect(await waitEntry(a, isOfferOf(u.engagementId))).toBeDefined();
  expect((await accept(a, u.engagementId)).status).toBe(200);
  return u;
}

const stored = async (engagementId: string): Promise<string[]> =>
  ((await transcript(s.url, engagementId)).json.messages as Array<{ kind: string; body: string }>).filter((m) => m.kind === 'message').map((m) => m.body);

const agentGot = (text: string) => (e: Entry): boolean => typeOf(e) === 'ChatPostMessage' && inner(e).body === text;

// é, ô and a Vietnamese ầ (two marks) written decomposed; the NFC forms are one code point each
const NFD_CONSUMER = 'Cafe\u0301 au lait, s\u0301il vous plai\u0302t, tra\u0302\u0300n';
const NFD_AGENT = 'Voila\u0300 votre re\u0301ponse, bonne journe\u0301e';
const NFD_QUIET = 'Sen\u0303or, the fac\u0327ade is ready';

describe('stored text is NFC', () => {
  it('stores and delivers a consumer post sent in NFD in its NFC form', async () => {
    const a = await newAgent(s.url, 'agent1');
    await ready(a);
    const u = await chat(a);
    expect(NFD_CONSUMER.normalize('NFC')).not.toBe(NFD_CONSUMER);
    expect((await u.post(NFD_CONSUMER)).status).toBe(200);
    expect((await u.post('plain ascii stays as it is')).status).toBe(200);
    expect((await u.post('déjà précomposé 👍🏽')).status).toBe(200);
    expect(await stored(u.engagementId)).toEqual([NFD_CONSUMER.normalize('NFC'), 'plain ascii stays as it is', 'déjà précomposé 👍🏽']);
    expect(await waitEntry(a, agentGot(NFD_CONSUMER.normalize('NFC')))).toBeDefined();
    expect(a.seen.some(agentGot(NFD_CONSUMER))).toBe(false);
    await u.conclude();
    await a.call('logoff', { forceLogoff: true });
  });

  it('stores and delivers an agent post sent in NFD in its NFC form, screened or not', async () => {
    const a = await newAgent(s.url, 'agent2');
    await ready(a);
    const u = await chat(a);
    const r = await a.call('postMessage', { body: NFD_AGENT, destinationId: Number(u.engagementId), destinationType: 'ENGAGEMENT' });
    expect(r.status).toBe(200);
    expect(await waitMessage(u, (m) => m.body === NFD_AGENT.normalize('NFC'))).toBeDefined();
    expect(u.seen.some((m) => m.body === NFD_AGENT)).toBe(false);
    expect(await stored(u.engagementId)).toContain(NFD_AGENT.normalize('NFC'));

    // a tenant that does not screen agent posts: the text is still stored in NFC
    const q = await newAgent(s.url, 'qagent', 'quiet', 'quiet');
    await ready(q);
    const v = await chat(q, 'quiet', ['quiet', 'quiet']);
    const rq = await q.call('postMessage', { body: NFD_QUIET, destinationId: Number(v.engagementId), destinationType: 'ENGAGEMENT' });
    expect(rq.status).toBe(200);
    expect(await waitMessage(v, (m) => m.body === NFD_QUIET.normalize('NFC'))).toBeDefined();
    expect(await stored(v.engagementId)).toEqual([NFD_QUIET.normalize('NFC')]);
    for (const [c, x] of [[u, a], [v, q]] as const) {
      await c.conclude();
      await x.call('logoff', { forceLogoff: true });
    }
  });
});

// A typing preview is text shown to the other side while it is typed (consumer `activity`
// `sneakPreviewText` → the agents' ChatActivitySignal.sneakPreview; agent `setInteractionStatus`
// `sneakPreview` → the customer's RNEngagementActivityChangedMessage). tier1.md §1: "Blocked text is
// never forwarded to agents". Before, a customer whose post Tier-1 blocked (the canary, a denied
// link) sent the same text as a preview: 50 calls in a row all reached the agent, text and all,
// unscreened and unpaced (the 500 ms sneakPreviewInterval the server announces was not enforced).
// Now a preview is screened by Tier-1's text rules (never a strike: unfinished text) and, when a post
// of it would be withheld, the signal reaches the agent without the text, the reason in the decision
// log; and a customer's signals are paced to the interval the chat announced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/process.ts';
import { tempDir, tenantConfigDir } from './helpers/server.ts';
import { call, cpath, newConsumer, sleep, type Consumer, type Res } from './helpers/client.ts';
import { engOf, inner, newAgent, ready, takeOffer, typeOf, waitEntry, waitMessage, type Agent } from './helpers/agent-client.ts';

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
const DENIED = 'for a better price see https://evil-deals.com/offer today';

let srv: ServerProcess;
let a: Agent; // on `sp`: every rule enforced, agents screened, evil-deals.com denied
let ao: Agent; // on `spo`: every rule in observe, agents not screened
beforeAll(async () => {
  const cfg = tenantConfigDir({
    'sp.yaml': 'site: sp\ncredentials: [{ user: sp, password: sp }]\nagents: [{ user: spa, password: spa, name: Sam, accountId: 701 }]\ntier1:\n  rules:\n    URL_DENY: { deny: ["evil-deals.com"] }\n',
    'spo.yaml': 'site: spo\ncredentials: [{ user: spo, password: spo }]\nagents: [{ user: spoa, password: spoa, name: Olly, accountId: 702 }]\ntier1:\n  mode: observe\n  screenAgents: false\n',
  });
  srv = await spawnServer({ PARLEY_DATA_DIR: tempDir('preview'), PARLEY_CONFIG_DIR: cfg, PARLEY_LOG_LEVEL: 'info', PARLEY_LONG_POLL_MS: '300' });
  a = await newAgent(srv.url, 'spa', 'sp', 'spa');
  ao = await newAgent(srv.url, 'spoa', 'spo', 'spoa');
  await ready(a, 10);
  await ready(ao, 10);
}, 60_000);
afterAll(() => srv?.child.kill('SIGKILL'));

async function chat(agent: Agent): Promise<Consumer> {
  const u = await newConsumer(srv.url, agent.site, undefined, [agent.site, agent.site]);
  await takeOffer(agent, u.engagementId);
  return u;
}
const activity = (u: Consumer, site: string, body: Record<string, unknown>): Promise<Res> =>
  call(srv.url, 'POST', cpath(site, 'activity'), { body, headers: { SessionId: u.sessionId } });
/** the agent's ChatActivitySignals of u's chat so far */
const signals = (agent: Agent, u: Consumer): Array<Record<string, unknown>> =>
  agent.seen.filter((e) => typeOf(e) === 'ChatActivitySignal' && engOf(e) === u.engagementId).map(inner);
const nthSignal = async (agent: Agent, u: Consumer, n: number): Promise<Record<string, unknown>> => {
  expect(await waitEntry(agent, () => signals(agent, u).length >= n)).toBeDefined();
  return signals(agent, u)[n - 1]!;
};
const decisions = (engagementId: string): Array<Record<string, unknown>> =>
  srv.output().split('\n').filter((l) => l.includes('"tier1 decision"')).map((l) => JSON.parse(l).tier1 as Record<string, unknown>)
    .filter((d) => d.engagementId === engagementId);

describe('sneak previews and Tier-1', () => {
  it('a normal preview reaches the agent as typed', async () => {
    const u = await chat(a);
    expect((await activity(u, 'sp', { mode: 'RESPONDING', sneakPreviewText: 'my order number is 12', sneakPreviewFocus: true })).status).toBe(200);
    expect(await nthSignal(a, u, 1)).toMatchObject({ mode: 'RESPONDING', sneakPreview: 'my order number is 12', sneakPreviewFocus: true, sneakPreviewInterval: 500 });
    await u.conclude();
  });

  it('the canary as a preview reaches the agent as a typing signal without the text; the reason is logged, not the text, and no strike', async () => {
    const u = await chat(a);
    const r = await activity(u, 'sp', { mode: 'RESPONDING', sneakPreviewText: `zebra-marker-77 ${CANARY}` });
    expect(r.status).toBe(200);
    expect(r.text).not.toMatch(/CANARY|tier1/i);
    const s = await nthSignal(a, u, 1);
    expect(s).toMatchObject({ mode: 'RESPONDING', sneakPreview: '' });
    expect(JSON.stringify(a.seen)).not.toContain('PARLEY-TIER1-TEST');
    await sleep(300);
    expect(decisions(u.engagementId)).toContainEqual(expect.objectContaining({ code: 'CANARY', outcome: 'preview', mode: 'enforce', participant: u.clientId, tenant: 'sp' }));
    expect(srv.output()).not.toContain('zebra-marker-77');
    // a preview is unfinished text: no strike, so three of them end nothing — and the post still blocks
    for (let i = 0; i < 3; i++) {
      await sleep(600);
      expect((await activity(u, 'sp', { mode: 'RESPONDING', sneakPreviewText: `${CANARY} ${i}` })).status).toBe(200);
    }
    expect((await u.post('still here, a normal question')).status).toBe(200);
    await sleep(300);
    expect(decisions(u.engagementId).map((d) => [d.code, d.outcome])).toEqual(Array(4).fill(['CANARY', 'preview']));
    await u.conclude();
  }, 20_000);

  it('a denied link as a preview reaches the agent without the text', async () => {
    const u = await chat(a);
    expect((await activity(u, 'sp', { mode: 'RESPONDING', sneakPreviewText: DENIED })).status).toBe(200);
    expect(await nthSignal(a, u, 1)).toMatchObject({ mode: 'RESPONDING', sneakPreview: '' });
    expect(JSON.stringify(a.seen)).not.toContain('evil-deals');
    await sleep(300);
    expect(decisions(u.engagementId)).toContainEqual(expect.objectContaining({ code: 'URL_DENY', outcome: 'preview', mode: 'enforce' }));
    await u.conclude();
  });

  it('previews faster than the interval the agent announced: only the ones it allows reach the agent, every call answered 200', async () => {
    const u = await chat(a);
    // the agent tells the customer's client to send previews at most once a minute
    const st = await a.call('setInteractionStatus', { clientId: Number(a.clientId), engagementId: Number(u.engagementId), mode: 'LISTENING', sneakPreviewInterval: 60_000 });
    expect(st.status).toBe(200);
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    for (const w of words) expect((await activity(u, 'sp', { mode: 'RESPONDING', sneakPreviewText: `typing ${w}` })).status).toBe(200);
    // stopping typing always reaches the agent (else it would show them typing for a minute)
    expect((await activity(u, 'sp', { mode: 'LISTENING' })).status).toBe(200);
    expect(await waitEntry(a, () => signals(a, u).some((s) => s.mode === 'LISTENING'))).toBeDefined();
    // one interval admits two (a late previous one does not cost the next its turn), then none for a minute
    expect(signals(a, u).map((s) => [s.mode, s.sneakPreview, s.sneakPreviewInterval])).toEqual([
      ['RESPONDING', 'typing alpha', 60_000],
      ['RESPONDING', 'typing bravo', 60_000],
      ['LISTENING', '', 60_000],
    ]);
    await u.conclude();
  });

  it('50 previews as fast as a client can send them, at the default 500 ms: about one per interval reaches the agent', async () => {
    const u = await chat(a);
    const t0 = Date.now();
    let ok = 0;
    for (let i = 0; i < 50; i++) if ((await activity(u, 'sp', { mode: 'RESPONDING', sneakPreviewText: `draft number ${i}` })).status === 200) ok++;
    const elapsed = Date.now() - t0;
    expect(ok).toBe(50);
    expect((await activity(u, 'sp', { mode: 'LISTENING' })).status).toBe(200);
    expect(await waitEntry(a, () => signals(a, u).some((s) => s.mode === 'LISTENING'))).toBeDefined();
    const previews = signals(a, u).filter((s) => s.mode === 'RESPONDING');
    expect(previews[0]?.sneakPreview).toBe('draft number 0');
    expect(previews.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 500));
    expect(previews.length).toBeLessThan(50);
    await u.conclude();
  });

  it('while the agent announces sneakPreviewState DISABLED (or unavailable), the typing signal reaches the agent without the text', async () => {
    const u = await chat(a);
    // interval 0: no pace, every call forwarded
    const announce = (state: string) =>
      a.call('setInteractionStatus', { clientId: Number(a.clientId), engagementId: Number(u.engagementId), mode: 'LISTENING', sneakPreviewState: state, sneakPreviewInterval: 0 });
    const steps: Array<[string, string]> = [['DISABLED', 'my card number is'], ['SITE_UNAVAILABLE', 'still typing'], ['SERVICE_UNAVAILABLE', 'and more'], ['ENABLED', 'shown again'], ['NONE', 'unset is the default']];
    for (const [state, text] of steps) {
      expect((await announce(state)).status).toBe(200);
      expect((await activity(u, 'sp', { mode: 'RESPONDING', sneakPreviewText: text })).status).toBe(200);
    }
    await nthSignal(a, u, steps.length);
    expect(signals(a, u).map((x) => [x.mode, x.sneakPreviewState, x.sneakPreview])).toEqual([
      ['RESPONDING', 'DISABLED', ''],
      ['RESPONDING', 'SITE_UNAVAILABLE', ''],
      ['RESPONDING', 'SERVICE_UNAVAILABLE', ''],
      ['RESPONDING', 'ENABLED', 'shown again'],
      ['RESPONDING', 'NONE', 'unset is the default'],
    ]);
    for (const [, text] of steps.slice(0, 3)) expect(JSON.stringify(a.seen)).not.toContain(text);
    await u.conclude();
  });

  it('in observe mode the canary preview reaches the agent and is logged as observed', async () => {
    const u = await chat(ao);
    expect((await activity(u, 'spo', { mode: 'RESPONDING', sneakPreviewText: CANARY })).status).toBe(200);
    expect(await nthSignal(ao, u, 1)).toMatchObject({ sneakPreview: CANARY });
    await sleep(300);
    expect(decisions(u.engagementId)).toContainEqual(expect.objectContaining({ code: 'CANARY', outcome: 'preview', mode: 'observe' }));
    await u.conclude();
  });

  it("an agent's preview is screened where agents are: the customer gets the typing signal without a blocked text", async () => {
    const u = await chat(a);
    const typing = (agent: Agent, v: Consumer, text: string) =>
      agent.call('setInteractionStatus', { clientId: Number(agent.clientId), engagementId: Number(v.engagementId), mode: 'RESPONDING', sneakPreview: text });
    expect((await typing(a, u, `try ${CANARY}`)).status).toBe(200);
    expect((await typing(a, u, 'let me check your order')).status).toBe(200);
    await waitMessage(u, () => u.seen.filter((m) => m.messageName === 'RNEngagementActivityChangedMessage').length >= 2);
    expect(u.seen.filter((m) => m.messageName === 'RNEngagementActivityChangedMessage').map((m) => [m.mode, m.sneakPreview])).toEqual([
      ['RESPONDING', ''],
      ['RESPONDING', 'let me check your order'],
    ]);
    await sleep(300);
    expect(decisions(u.engagementId)).toContainEqual(expect.objectContaining({ code: 'CANARY', outcome: 'preview', role: 'AGENT', participant: a.clientId }));
    // with screenAgents false, an agent's preview skips Tier-1 as its posts do
    const v = await chat(ao);
    expect((await typing(ao, v, `try ${CANARY}`)).status).toBe(200);
    expect(await waitMessage(v, (m) => m.messageName === 'RNEngagementActivityChangedMessage')).toMatchObject({ sneakPreview: `try ${CANARY}` });
    await u.conclude();
    await v.conclude();
  });
});

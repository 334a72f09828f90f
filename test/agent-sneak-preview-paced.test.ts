// An agent's typing signals (setInteractionStatus → the customer's RNEngagementActivityChangedMessage)
// are paced to the chat's sneakPreviewInterval — spec §7.13: "minimum ms between sneak-preview
// sends", the interval the agent announces for the chat (default 500 ms) — as the customer's are
// (sneak-preview-screened-and-paced.test.ts): two may come within one interval, then one per
// interval; a call sooner than that is answered 200 and not delivered (the next carries the latest
// text). Always delivered, without its text when out of pace: the agent stopping typing (LISTENING
// after another mode) and a new sneakPreviewState or sneakPreviewInterval, which the customer's
// client must obey. Before, every call became a journaled message in the customer's stream: 50
// previews in a row, 50 messages.
import { describe, expect, it } from 'vitest';
import { agentInChats } from './helpers/agent-chat.ts';
import { waitMessage } from './helpers/agent-client.ts';
import type { Consumer, Res } from './helpers/client.ts';

const t = agentInChats();
const typing = (u: Consumer, body: Record<string, unknown>): Promise<Res> =>
  t.a.call('setInteractionStatus', { clientId: Number(t.a.clientId), engagementId: Number(u.engagementId), ...body });
const changes = (u: Consumer): Array<Record<string, unknown>> => u.seen.filter((m) => m.messageName === 'RNEngagementActivityChangedMessage');

describe("an agent's typing previews", () => {
  it('50 previews as fast as a bot can send them, at the default 500 ms: about one per interval reaches the customer', async () => {
    const u = await t.chat();
    const t0 = Date.now();
    let ok = 0;
    for (let i = 0; i < 50; i++) if ((await typing(u, { mode: 'RESPONDING', sneakPreview: `draft number ${i}` })).status === 200) ok++;
    const elapsed = Date.now() - t0;
    expect(ok).toBe(50);
    expect((await typing(u, { mode: 'LISTENING' })).status).toBe(200);
    expect(await waitMessage(u, () => changes(u).some((m) => m.mode === 'LISTENING'))).toBeDefined();
    const previews = changes(u).filter((m) => m.mode === 'RESPONDING');
    expect(previews[0]?.sneakPreview).toBe('draft number 0');
    expect(previews.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 500));
    expect(previews.length).toBeLessThan(50);
    await u.conclude();
  });

  it('at a minute: previews beyond the tolerance are dropped; stopping typing and a new announcement still reach the customer', async () => {
    const u = await t.chat();
    // the announcement of a new interval is delivered (it paces the customer's client too)
    expect((await typing(u, { mode: 'LISTENING', sneakPreviewInterval: 60_000 })).status).toBe(200);
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    for (const w of words) expect((await typing(u, { mode: 'RESPONDING', sneakPreview: `typing ${w}`, sneakPreviewInterval: 60_000 })).status).toBe(200);
    expect((await typing(u, { mode: 'LISTENING', sneakPreviewInterval: 60_000 })).status).toBe(200);
    // a new state, out of pace: delivered, without the text
    expect((await typing(u, { mode: 'RESPONDING', sneakPreview: 'secret draft', sneakPreviewState: 'DISABLED', sneakPreviewInterval: 60_000 })).status).toBe(200);
    expect(await waitMessage(u, () => changes(u).some((m) => m.sneakPreviewState === 'DISABLED'))).toBeDefined();
    const seen = changes(u).map((m) => [m.mode, m.sneakPreview, m.sneakPreviewState, m.sneakPreviewInterval]);
    expect(seen[0]).toEqual(['LISTENING', '', 'ENABLED', 60_000]);
    const previews = seen.filter((m) => m[0] === 'RESPONDING' && m[2] === 'ENABLED');
    // one interval admits two at most (the announcement took one turn), then none for a minute
    expect(previews.length).toBeGreaterThanOrEqual(1);
    expect(previews.length).toBeLessThanOrEqual(2);
    expect(previews[0]).toEqual(['RESPONDING', 'typing alpha', 'ENABLED', 60_000]);
    expect(seen.slice(-2)).toEqual([
      ['LISTENING', '', 'ENABLED', 60_000],
      ['RESPONDING', '', 'DISABLED', 60_000],
    ]);
    expect(JSON.stringify(u.seen)).not.toContain('secret draft');
    await u.conclude();
  });
});

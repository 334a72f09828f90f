// An agent socket resuming from a position whose entries were pruned (more than INBOX_KEEP behind
// the furthest delivered) is refused 410 RESUME_TOO_OLD, naming the oldest entry still kept: the
// client learns of the gap and picks it up again from there (or with no `after=`, from what is
// kept). Before, it was answered with what was left — 551 entries from seq 7460 for `after=0` —
// and the entries in between were skipped without a word.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer } from './helpers/server.ts';
import { until } from './helpers/client.ts';
import { accept, inner, isOfferOf, ready, typeOf, waitEntry } from './helpers/agent-client.ts';
import { KEEP, alice, busyTenant, customer, entries, posts, seqOf, startBusy } from './helpers/agent-inbox.ts';

let s: TestServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('an agent socket resuming from before the oldest kept entry', () => {
  it('is refused 410 RESUME_TOO_OLD naming the oldest kept; from there, or with no after=, it opens', async () => {
    s = await startBusy(busyTenant());
    const a = await alice(s);
    await ready(a, 1);
    const c = await customer(s);
    expect(await waitEntry(a, isOfferOf(c.engagementId))).toBeDefined();
    expect((await accept(a, c.engagementId)).status).toBe(200);
    expect(await posts(c, 0, KEEP + 200)).toEqual([]);
    // the long poll takes everything (100 a poll): the entries more than KEEP behind it are pruned
    const polled = (): number => a.seen.filter((e) => typeOf(e) === 'ChatPostMessage' && String(inner(e).body).startsWith('customer message')).length;
    for (let i = 0; i < 30 && polled() < KEEP + 200; i++) await a.poll();
    expect(polled()).toBe(KEEP + 200);
    const last = Math.max(...a.seen.filter((e) => typeOf(e) !== 'ChatGetTimeout').map(seqOf));
    const oldest = last - KEEP;

    const refusal = a.ws(0).opened.then(() => 'opened', (e: Error) => e.message);
    expect(await refusal).toMatch(/^upgrade refused: 410 /);
    const body = JSON.parse((await refusal).replace(/^upgrade refused: 410 /, '')) as { code: string; message: string };
    expect(body.code).toBe('RESUME_TOO_OLD');
    expect(body.message).toContain(`after=${oldest - 1}`);
    await expect(a.ws(oldest - 2).opened).rejects.toThrow(/410/);

    // from just before the oldest kept entry: every kept entry, none skipped
    const from = a.ws(oldest - 1);
    await from.opened;
    expect(await until(() => entries(from.frames).some((e) => seqOf(e) === last))).toBe(true);
    expect(entries(from.frames).map(seqOf)).toEqual(Array.from({ length: KEEP + 1 }, (_, i) => oldest + i));
    // no position at all: what is kept
    const fresh = a.ws(null);
    await fresh.opened;
    expect(await until(() => entries(fresh.frames).some((e) => seqOf(e) === last))).toBe(true);
    expect(entries(fresh.frames).map(seqOf)[0]).toBe(oldest);
    from.ws.close();
    fresh.ws.close();
  }, 60_000);
});

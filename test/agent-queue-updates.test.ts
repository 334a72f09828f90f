// Queue-position updates are throttled (workers/routing/wait-updates.ts, docs/agent-routing.md):
// draining a queue of n waiting engagements sends O(n·log n) RNEngagementWaitInformationChanged
// updates instead of n²/2, the last steps (≤ 3) are always shown, and a change held back by the
// throttle still goes out once its interval is up, so no consumer keeps a stale position — also
// when the trailing timer was already set for a later one (another queue's).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NullJournal } from '../src/store/journal.ts';
import type { CrossEvent, ShardOut, TenantSnapshot } from '../src/protocol/shard.ts';
import { TenantRouter } from '../workers/routing/tenant-router.ts';
import type { RouterIo } from '../workers/routing/router-io.ts';
import { WAIT_NEAR, WAIT_UPDATE_MS } from '../workers/routing/wait-updates.ts';

const SITE = 'waits';
const tenant: TenantSnapshot = { site: SITE, queues: [{ id: 1, name: 'First line' }, { id: 2, name: 'Second line' }], tier1: {}, agents: [], version: 1 };

type WaitEv = Extract<CrossEvent, { t: 'wait' }>;

function harness(): { router: TenantRouter; waits: WaitEv[] } {
  const waits: WaitEv[] = [];
  const io: RouterIo = {
    journal: new NullJournal(),
    stage: (o: ShardOut) => {
      if (o.k === 'fwd' && o.ev.t === 'wait') waits.push(o.ev);
    },
    sendNow: () => {},
    cursorMoved: () => {},
    release: () => {},
    longPollMs: 1000,
    replayed: () => {},
    agentIdleMs: 0,
    wsMaxPerSession: 8,
    socketKeepBytes: 2 * 1_048_576,
    offerTimeoutMs: 30_000,
    markRetainMs: 60_000,
  };
  const router = new TenantRouter(tenant, io);
  router.recover();
  return { router, waits };
}

const enqueue = (r: TenantRouter, id: number, queueId = 1): void => r.onCross({ t: 'enqueue', site: SITE, engagementId: id, at: Date.now(), queueId, name: `c${id}`, question: '' });
const end = (r: TenantRouter, id: number): void => r.onCross({ t: 'ended', site: SITE, engagementId: id, reason: 'END_USER_CONCLUDED' });

afterEach(() => {
  vi.useRealTimers();
});

describe('queue position updates', () => {
  it('drains a queue of 200 with O(n·log n) wait messages, showing every consumer its last steps', () => {
    const n = 200;
    const { router, waits } = harness();
    for (let id = 1; id <= n; id++) enqueue(router, id);
    // each arrival is told its position once (the ones ahead do not move)
    expect(waits.length).toBe(n);
    for (let id = 1; id <= n; id++) end(router, id);
    const bound = Math.ceil(n * (Math.log2(n) + WAIT_NEAR + 1));
    expect(waits.length).toBeLessThanOrEqual(bound);
    expect(waits.length).toBeLessThan((n * (n + 1)) / 2 / 5); // the untrottled count is n(n+1)/2 = 20100
    const told = new Map<number, number[]>();
    for (const w of waits) told.set(w.engagementId, [...(told.get(w.engagementId) ?? []), w.position]);
    for (let id = 1; id <= n; id++) {
      const ps = told.get(id) ?? [];
      // strictly improving positions, and the final ones shown step by step down to 1
      expect(ps).toEqual([...ps].sort((a, b) => b - a));
      expect(new Set(ps).size).toBe(ps.length);
      expect(ps[ps.length - 1]).toBe(1);
      const near = Math.min(id, WAIT_NEAR);
      expect(ps.slice(-near)).toEqual(Array.from({ length: near }, (_, j) => near - j));
    }
  });

  it('sends a held-back position once its interval is up, even if the queue stays quiet', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { router, waits } = harness();
    for (let id = 1; id <= 20; id++) enqueue(router, id);
    waits.length = 0;
    end(router, 1);
    // 20 → 19 is neither halved nor near the head: held back for now
    expect(waits.find((w) => w.engagementId === 20)).toBeUndefined();
    vi.advanceTimersByTime(WAIT_UPDATE_MS);
    expect(waits.filter((w) => w.engagementId === 20).map((w) => w.position)).toEqual([19]);
    // and each waiting consumer now knows its current position
    const last = new Map<number, number>();
    for (const w of waits) last.set(w.engagementId, w.position);
    for (let id = 5; id <= 20; id++) expect(last.get(id)).toBe(id - 1);
  });

  it('sends a held-back position when its interval is up, though the timer was set for a later one of another queue', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { router, waits } = harness();
    for (let id = 1; id <= 10; id++) enqueue(router, id, 1); // told 1..10 at 0 s
    vi.advanceTimersByTime(5_000);
    for (let id = 11; id <= 20; id++) enqueue(router, id, 2); // told 1..10 at 5 s
    vi.advanceTimersByTime(1_000);
    end(router, 11); // queue 2's 5..10 move up one: held back until 15 s
    vi.advanceTimersByTime(1_000);
    end(router, 1); // queue 1's 5..10 move up one: held back until 10 s
    waits.length = 0;
    vi.advanceTimersByTime(3_000);
    expect(waits.map((w) => [w.engagementId, w.position])).toEqual(Array.from({ length: 6 }, (_, k) => [5 + k, 4 + k]));
    waits.length = 0;
    vi.advanceTimersByTime(5_000);
    expect(waits.map((w) => [w.engagementId, w.position])).toEqual(Array.from({ length: 6 }, (_, k) => [15 + k, 4 + k]));
  });
});

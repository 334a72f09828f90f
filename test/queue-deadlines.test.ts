// The queue timeout's clock (workers/routing/queue-deadlines.ts), as plain data on fake time: waits
// are timed out within a quarter second of the limit, oldest first, several due together in one
// firing; one that left the queue (accepted, ended) or came back (a requeue starts a new wait) is
// not timed out for its old start; no timer runs while nothing waits or there is no limit.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueueDeadlines } from '../workers/routing/queue-deadlines.ts';
import { TenantQueue, type QueueEntry } from '../workers/routing/queue.ts';
import { Keys } from '../workers/routing/agent-session.ts';
import { NullJournal } from '../src/store/journal.ts';

let q: TenantQueue;
let fired: Array<{ at: number; ids: number[] }>;
let d: QueueDeadlines;
const T0 = 1_000_000;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  q = new TenantQueue(new NullJournal(), new Keys('demo'));
  fired = [];
  d = new QueueDeadlines(q, (due, now) => {
    fired.push({ at: now - T0, ids: due.map((e) => e.engagementId) });
    for (const e of due) q.remove(e.engagementId);
  });
});
afterEach(() => {
  vi.useRealTimers();
});

const arrive = (id: number, front = false): QueueEntry => {
  const e = q.add({ engagementId: id, queueId: 1, at: Date.now(), queuedAt: Date.now(), name: '', question: '' }, front);
  d.add(e);
  return e;
};

describe('queue deadlines', () => {
  it('times out each wait within a quarter second of the limit, oldest first, those due together at once', async () => {
    d.setLimit(3);
    arrive(1);
    await vi.advanceTimersByTimeAsync(100);
    arrive(2);
    arrive(3);
    await vi.advanceTimersByTimeAsync(2_000);
    arrive(4);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(3_500);
    expect(fired.map((f) => f.ids)).toEqual([[1], [2, 3], [4]]);
    for (const [f, limit] of [[fired[0], 3_000], [fired[1], 3_100], [fired[2], 5_100]] as const) {
      expect(f?.at).toBeGreaterThan(limit);
      expect(f?.at).toBeLessThanOrEqual(limit + 250);
    }
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not time out a wait that left the queue, and counts a requeued one from its return', async () => {
    d.setLimit(2);
    arrive(1);
    arrive(2);
    const e3 = arrive(3);
    q.remove(1); // accepted
    await vi.advanceTimersByTimeAsync(1_500);
    q.remove(2);
    arrive(2, true); // handed back: a new wait
    expect(d.overdue(e3, Date.now())).toBe(false);
    await vi.advanceTimersByTimeAsync(600);
    expect(d.overdue(e3, Date.now())).toBe(true);
    expect(fired.map((f) => f.ids)).toEqual([[3]]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fired.map((f) => f.ids)).toEqual([[3], [2]]);
    expect(fired[1]?.at).toBeGreaterThan(3_500);
  });

  it('keeps no timer without a limit, and times out what waits once one is set', async () => {
    arrive(1);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(d.overdue(q.get(1) as QueueEntry, Date.now())).toBe(false);
    d.setLimit(1);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(fired.map((f) => f.ids)).toEqual([[1]]);
    d.setLimit(0);
    arrive(2);
    expect(vi.getTimerCount()).toBe(0);
  });
});

// The queue-position notices (workers/routing/wait-planner.ts) are found without walking the queue:
// property-checked against the pass over every waiting entry they replace (the oracle below is the
// old positions() + planWaits(), kept here verbatim), over random arrivals, requeues, departures
// (mostly near the head), re-announced positions, restarts and time steps: the same consumers are
// told the same positions at the same moments, and every entry's position is the oracle's.
// The oracle's trailing timer is re-armed when an earlier change is held back (the old one was not,
// and could send a held-back change late: test/agent-queue-updates.test.ts).
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NullJournal } from '../src/store/journal.ts';
import { Keys } from '../workers/routing/agent-session.ts';
import { POSITION_UNKNOWN, TenantQueue, type QueuedRecord } from '../workers/routing/queue.ts';
import { WaitNotifier, WAIT_NEAR, WAIT_UPDATE_MS } from '../workers/routing/wait-updates.ts';

// ── the oracle: the old full pass ────────────────────────────────────────────────────────────
interface OEntry {
  engagementId: number;
  queueId: number;
  ord: number;
  lastPosition: number;
  lastSentAt: number;
}

function positions(entries: readonly OEntry[]): Array<{ e: OEntry; position: number }> {
  const per = new Map<number, number>();
  return [...entries].sort((a, b) => a.ord - b.ord).map((e) => {
    const position = (per.get(e.queueId) ?? 0) + 1;
    per.set(e.queueId, position);
    return { e, position };
  });
}

function planWaits(ps: Array<{ e: OEntry; position: number }>, now: number): { send: Array<{ e: OEntry; position: number }>; nextAt: number | undefined } {
  const send: Array<{ e: OEntry; position: number }> = [];
  let nextAt: number | undefined;
  for (const x of ps) {
    const { e, position } = x;
    if (e.lastPosition === position) continue;
    const known = e.lastPosition !== POSITION_UNKNOWN;
    const due = (known && (e.lastPosition === 0 || position <= WAIT_NEAR || position * 2 <= e.lastPosition)) || now - e.lastSentAt >= WAIT_UPDATE_MS;
    if (due) {
      send.push(x);
      continue;
    }
    const at = e.lastSentAt + WAIT_UPDATE_MS;
    if (nextAt === undefined || at < nextAt) nextAt = at;
  }
  return { send, nextAt };
}

type Told = [at: number, engagementId: number, position: number];

class Oracle {
  readonly entries = new Map<number, OEntry>();
  timerAt = Infinity;
  readonly log: Told[] = [];

  tell(e: OEntry, position: number, now: number): void {
    e.lastPosition = position;
    e.lastSentAt = now;
    this.log.push([now, e.engagementId, position]);
  }

  update(now: number): void {
    const { send, nextAt } = planWaits(positions([...this.entries.values()]), now);
    for (const { e, position } of send) this.tell(e, position, now);
    if (nextAt !== undefined && nextAt < this.timerAt) this.timerAt = nextAt;
  }
}

// ── the system under test, as the tenant router drives it ──────────────────────────────────────
class Subject {
  readonly log: Told[] = [];
  queue = new TenantQueue(new NullJournal(), new Keys('demo'));
  waits = this.notifier();

  private notifier(): WaitNotifier {
    const q = this.queue;
    // a notifier replaced by a restart may still have a timer pending: its output is dropped
    return new WaitNotifier(q, (m) => void (this.queue === q && this.log.push([Date.now(), m.engagementId, m.position])), () => {});
  }

  restart(): void {
    const records: QueuedRecord[] = [...this.queue.ordered()].map((e) => ({ engagementId: e.engagementId, queueId: e.queueId, at: e.at, ord: e.ord, name: '', question: '', declined: [] }));
    records.sort((a, b) => a.engagementId - b.engagementId); // journal order, not queue order
    this.queue = new TenantQueue(new NullJournal(), new Keys('demo'));
    this.waits = this.notifier();
    for (const r of records) this.queue.restore(r, Date.now());
    this.waits.update();
  }
}

/** What changes the queue between two updates (one router operation: a logoff requeues several, a timeout removes several). */
type Change =
  | { k: 'requeue'; queueId: number }
  | { k: 'leave'; pick: number; n: number }
  | { k: 'vouch'; pick: number; told: number | { times: number } }
  | { k: 'replace'; pick: number };

type Step = { k: 'arrive'; queueId: number; n: number } | { k: 'changes'; changes: Change[] } | { k: 'restart' } | { k: 'wait'; ms: number };

const queueId = fc.integer({ min: 1, max: 3 });
/** an entry by its place in the whole queue: often near the head, where most leave */
const pick = fc.oneof(fc.double({ min: 0, max: 0.1, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true }));
const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ k: fc.constant('requeue' as const), queueId }) },
  { weight: 8, arbitrary: fc.record({ k: fc.constant('leave' as const), pick, n: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 12 })) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('vouch' as const), pick, told: fc.oneof(fc.integer({ min: -1, max: 60 }), fc.record({ times: fc.double({ min: 0, max: 2.5, noNaN: true }) })) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('replace' as const), pick }) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('arrive' as const), queueId, n: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 40 })) }) },
  { weight: 8, arbitrary: fc.record({ k: fc.constant('changes' as const), changes: fc.array(change, { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'restart' as const }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 1, max: 2_000 }), fc.constantFrom(50, WAIT_UPDATE_MS - 1, WAIT_UPDATE_MS, WAIT_UPDATE_MS + 1, 15_000)) }) },
);

const byTime = (a: Told, b: Told): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

afterEach(() => {
  vi.useRealTimers();
});

describe('queue-position notices planned without walking the queue', () => {
  it('tell the same consumers the same positions at the same moments as a pass over every entry', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 150, size: 'max' }), (steps) => {
        vi.useFakeTimers({ now: 1_000_000 });
        const sut = new Subject();
        const oracle = new Oracle();
        let nextId = 1;
        sut.waits.update();
        oracle.update(Date.now());
        for (const s of steps) {
          const now = Date.now();
          const at = (f: number): number | undefined => sut.queue.ordered()[Math.floor(f * sut.queue.size)]?.engagementId;
          switch (s.k) {
            case 'arrive':
              for (let i = 0; i < s.n; i++) {
                const id = nextId++;
                const e = sut.queue.add({ engagementId: id, queueId: s.queueId, at: now, name: '', question: '' }, false);
                sut.waits.arrived(e, now);
                const o: OEntry = { engagementId: id, queueId: s.queueId, ord: e.ord, lastPosition: 0, lastSentAt: 0 };
                oracle.entries.set(id, o);
                oracle.tell(o, [...oracle.entries.values()].filter((x) => x.queueId === s.queueId).length, now);
              }
              break;
            case 'changes':
              for (const c of s.changes) {
                if (c.k === 'requeue' || c.k === 'replace') {
                  // a replace re-adds an engagement still waiting (not a path the router takes; the queue rebuilds its order)
                  const id = c.k === 'requeue' ? nextId++ : at(c.pick);
                  const old = id === undefined ? undefined : oracle.entries.get(id);
                  if (id === undefined || (c.k === 'replace' && !old)) continue;
                  const q = old?.queueId ?? (c.k === 'requeue' ? c.queueId : 1);
                  const e = sut.queue.add({ engagementId: id, queueId: q, at: now, name: '', question: '' }, true);
                  oracle.entries.set(id, { engagementId: id, queueId: q, ord: e.ord, lastPosition: 0, lastSentAt: 0 });
                } else if (c.k === 'leave') {
                  for (let i = 0; i < c.n; i++) {
                    const id = at(c.pick);
                    if (id === undefined || !oracle.entries.delete(id)) continue;
                    sut.queue.remove(id);
                  }
                } else {
                  const id = at(c.pick);
                  const e = id === undefined ? undefined : sut.queue.get(id);
                  const o = id === undefined ? undefined : oracle.entries.get(id);
                  if (!e || !o) continue;
                  const told = typeof c.told === 'number' ? c.told : Math.round(sut.queue.position(e) * c.told.times);
                  if (told === e.lastPosition) continue;
                  sut.waits.vouch(e, told);
                  o.lastPosition = told;
                }
              }
              // a vouch's own gathering timer runs one more update within 50 ms: an update more
              // changes nothing (between changes only time makes entries due, and both timers follow it)
              sut.waits.update();
              oracle.update(now);
              break;
            case 'restart':
              sut.restart();
              oracle.timerAt = Infinity;
              for (const o of oracle.entries.values()) {
                o.lastPosition = POSITION_UNKNOWN;
                o.lastSentAt = now;
              }
              oracle.update(now);
              break;
            case 'wait': {
              const end = now + s.ms;
              while (oracle.timerAt <= end) {
                const t = oracle.timerAt;
                vi.advanceTimersByTime(t - Date.now());
                oracle.timerAt = Infinity;
                oracle.update(t);
              }
              vi.advanceTimersByTime(end - Date.now());
              break;
            }
          }
          expect([...sut.log].sort(byTime)).toEqual([...oracle.log].sort(byTime));
          sut.log.length = 0;
          oracle.log.length = 0;
          const want = positions([...oracle.entries.values()]);
          expect(want.map(({ e }) => sut.queue.position(sut.queue.get(e.engagementId)!))).toEqual(want.map((x) => x.position));
          for (const q of [1, 2, 3]) {
            const ids = want.filter((x) => x.e.queueId === q).map((x) => x.e.engagementId);
            expect(sut.queue.count(q)).toBe(ids.length);
            expect(ids.map((_, k) => sut.queue.nth(q, k + 1)?.engagementId)).toEqual(ids);
            expect(sut.queue.nth(q, ids.length + 1)).toBeUndefined();
          }
        }
        vi.useRealTimers();
      }),
      {
        numRuns: 300,
        examples: [
          // a restored entry its shard vouches for (16th, told 20) halves after 6 departures ahead
          [[{ k: 'arrive', queueId: 1, n: 20 }, { k: 'restart' }, { k: 'changes', changes: [{ k: 'vouch', pick: 0.75, told: { times: 1.25 } }] }, { k: 'changes', changes: [{ k: 'leave', pick: 0, n: 6 }] }]],
          // a requeued entry vouched for before its first update, then moved back by another requeue
          [[{ k: 'changes', changes: [...Array.from({ length: 5 }, () => ({ k: 'requeue' as const, queueId: 1 })), { k: 'vouch', pick: 0.8, told: { times: 1 } }] }, { k: 'changes', changes: [{ k: 'requeue', queueId: 1 }] }]],
        ],
      },
    );
  });
});

// The tenant queue keeps its order (arrivals at the tail, requeued engagements at the head) as it
// changes, instead of sorting every waiting engagement on each dispatch: property-checked against
// a plain sort of the entries after every random step of arrivals, requeues, removals and re-reads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TenantQueue } from '../workers/routing/queue.ts';
import { Keys } from '../workers/routing/agent-session.ts';
import { NullJournal } from '../src/store/journal.ts';

type Step = { k: 'arrive' | 'requeue'; id: number } | { k: 'remove'; id: number } | { k: 'read' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ k: fc.constantFrom('arrive' as const, 'requeue' as const), id: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ k: fc.constant('remove' as const), id: fc.integer({ min: 1, max: 40 }) }),
  fc.constant({ k: 'read' as const }),
);

describe('tenant queue order', () => {
  it('ordered() always equals the entries sorted by ord, oldest (or requeued) first', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const q = new TenantQueue(new NullJournal(), new Keys('demo'));
        const present = new Set<number>();
        for (const s of steps) {
          if (s.k === 'read') q.ordered();
          else if (s.k === 'remove') {
            q.remove(s.id);
            present.delete(s.id);
          } else if (!present.has(s.id)) {
            q.add({ engagementId: s.id, queueId: 1, at: 0, name: '', question: '' }, s.k === 'requeue');
            present.add(s.id);
          }
          const got = q.ordered().map((e) => e.engagementId);
          const want = [...present].map((id) => q.get(id)!).sort((a, b) => a.ord - b.ord).map((e) => e.engagementId);
          expect(got).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// The per-sender messageId tables (workers/actor/message-ids.ts) answer exactly as a set of
// (sender, id) pairs would: never "new" for an id its sender used (a retry stored twice), never
// "used" for one it did not (a new message dropped) — over table growth, many senders, and ids that
// differ in one character, in order or in case. Plain data, no server.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MessageIds } from '../workers/actor/message-ids.ts';

describe('messageId tables', () => {
  it('answer as a set of (sender, id) pairs would, whatever the order of checks and records', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(101, 202, 303), fc.stringOf(fc.constantFrom('a', 'b', '1', 'é', '😀'), { maxLength: 4 }), fc.boolean()), { maxLength: 400 }),
        (ops) => {
          const ids = new MessageIds();
          const ref = new Set<string>();
          for (const [sender, id, record] of ops) {
            expect(ids.has(sender, id)).toBe(ref.has(`${sender}\u0000${id}`));
            if (record) {
              ids.add(sender, id);
              ref.add(`${sender}\u0000${id}`);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells 100,000 ids of one sender from ids that differ in a character, its order or its case', () => {
    const ids = new MessageIds();
    const N = 100_000;
    for (let k = 0; k < N; k++) ids.add(7, `m-${k}`);
    // every one is there; none of its look-alikes is
    for (let k = 0; k < N; k++) expect(ids.has(7, `m-${k}`)).toBe(true);
    let falsePositives = 0;
    for (let k = 0; k < N; k++) {
      const s = String(k);
      const swapped = s.length > 1 ? `${s[1]!}${s[0]!}${s.slice(2)}` : s;
      for (const look of [`M-${k}`, `m-${k} `, `m-${k}x`, `m_${k}`, `n-${k}`]) if (ids.has(7, look)) falsePositives++;
      // a swap that is itself an id recorded above (12 → 21) is found; one that is not (10 → 01) is not
      const recorded = String(Number(swapped)) === swapped && Number(swapped) < N;
      if (ids.has(7, `m-${swapped}`) !== recorded) throw new Error(`wrong answer for m-${swapped}`);
    }
    // a 32-bit fingerprint would show ~1 here (500,000 checks against 100,000 entries); 64 bits, none
    expect(falsePositives).toBe(0);
    for (let k = 0; k < N; k++) ids.add(7, `M-${k}`);
    expect(ids.has(7, 'M-99999')).toBe(true);
    expect(ids.has(7, 'M-100000')).toBe(false);
  });

  it('keeps each sender\'s ids apart, the first sender\'s and every later one\'s', () => {
    const ids = new MessageIds();
    ids.add(1, 'x');
    ids.add(2, 'y');
    ids.add(3, 'x');
    expect([ids.has(1, 'x'), ids.has(1, 'y'), ids.has(2, 'x'), ids.has(2, 'y'), ids.has(3, 'x'), ids.has(4, 'x')]).toEqual([true, false, false, true, true, false]);
    expect(new MessageIds().has(1, 'x')).toBe(false);
  });
});

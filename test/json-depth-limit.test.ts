// The edge refuses JSON nested deeper than MAX_JSON_DEPTH (what comes after JSON.parse recurses).
// nestsDeeperThan() reads the text, not the parsed value: checked here against the value's depth
// for random documents, brackets and escaped quotes inside strings included.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseText } from '../src/protocol/json.ts';

const depth = (v: unknown): number =>
  typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v as Record<string, unknown>).map(depth)) : 0;

describe('JSON depth limit', () => {
  it('agrees with the parsed value on random documents', () => {
    const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ' ') });
    const doc = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(text, tie('node'), { maxKeys: 3 })),
    })).node;
    const deep = fc.tuple(doc, fc.integer({ min: 0, max: 12 })).map(([v, wraps]) => {
      let out: unknown = v;
      for (let i = 0; i < wraps; i++) out = i % 2 ? [out] : { k: out };
      return out;
    });
    fc.assert(
      fc.property(deep, fc.integer({ min: 0, max: 8 }), (v, max) => {
        const s = JSON.stringify(v);
        // the length shortcut assumes what it is given parses; compare on texts long enough to scan
        const padded = JSON.stringify({ pad: ' '.repeat(2 * max + 1), v });
        expect(nestsDeeperThan(padded, max + 1)).toBe(depth(v) + 1 > max + 1);
        expect(nestsDeeperThan(s, max)).toBe(s.length > 2 * max && depth(v) > max);
      }),
      { numRuns: 500 },
    );
  });

  it('parseText answers JSON_TOO_DEEP past the limit and the value up to it', () => {
    const nest = (d: number): string => '['.repeat(d) + ']'.repeat(d);
    expect(parseText(nest(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
    expect(parseText(nest(MAX_JSON_DEPTH + 1))).toMatchObject({ ok: false, error: { code: 'JSON_TOO_DEEP' } });
    expect(parseText(nest(100_000))).toMatchObject({ ok: false, error: { code: 'JSON_TOO_DEEP' } });
  });
});

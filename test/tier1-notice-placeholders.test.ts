// A notice may use only the placeholders its kind fills in: `{retryAfterSeconds}` in slowDown,
// none in the others. Before, `Wait {nope}` was accepted and shown to customers as written.
import { describe, expect, it } from 'vitest';
import { resolveTier1 } from '../src/config/tier1.ts';

const errs = (input: unknown): string[] => {
  const r = resolveTier1(input);
  return r.ok ? [] : r.errors.map((e) => e.message);
};

describe('notice placeholders', () => {
  it('refuses an unknown placeholder with the path and the known ones', () => {
    expect(errs({ notices: { slowDown: 'Wait {nope} seconds' } })).toEqual(['tier1.notices.slowDown: unknown placeholder {nope} (known: {retryAfterSeconds})']);
    expect(errs({ notices: { blocked: 'Not sent, retry in {retryAfterSeconds} s' } })).toEqual(['tier1.notices.blocked: unknown placeholder {retryAfterSeconds} (this notice has none)']);
    expect(errs({ notices: { terminated: 'Bye {name}', duplicate: 'Again? { retryAfterSeconds }' } })).toEqual([
      'tier1.notices.duplicate: unknown placeholder { retryAfterSeconds } (this notice has none)',
      'tier1.notices.terminated: unknown placeholder {name} (this notice has none)',
    ]);
  });

  it('accepts the known placeholder, none at all, and braces that are no placeholder', () => {
    for (const notices of [
      { slowDown: 'Please wait {retryAfterSeconds} s ({retryAfterSeconds}).' },
      { slowDown: 'Please slow down.' },
      { blocked: 'Not sent :-{ sorry', duplicate: 'Sent already {} — {…}' },
    ]) expect(errs({ notices }), JSON.stringify(notices)).toEqual([]);
  });
});

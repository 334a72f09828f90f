// The consumer session id (an engagement id and its secret, base64url) is decoded on the HTTP
// thread for every consumer call by a digit-by-digit decoder; it must answer exactly what decoding
// through Buffer does, for every string — ours, damaged, or made up.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeSessionId, encodeSessionId, newSecret } from '../src/router/ids.ts';

/** The decoding the fast one replaced, kept here as its reference. */
function viaBuffer(token: string): { engagementId: number; secret: string } | undefined {
  if (token.length !== 32 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const buf = Buffer.from(token, 'base64url');
  if (buf.length !== 24) return undefined;
  const id = buf.readBigUInt64BE(0);
  if (id > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { engagementId: Number(id), secret: buf.subarray(8).toString('base64url') };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('consumer session id codec', () => {
  it('round-trips every safe engagement id with its secret', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (id, bytes) => {
        const secret = Buffer.from(bytes).toString('base64url');
        expect(decodeSessionId(encodeSessionId(id, secret))).toEqual({ engagementId: id, secret });
      }),
      { numRuns: 2000 },
    );
    const secret = newSecret();
    expect(decodeSessionId(encodeSessionId(Number.MAX_SAFE_INTEGER, secret))?.engagementId).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('answers exactly as Buffer decoding for any 32-digit token, including ids past 2^53 − 1', () => {
    const digit = fc.constantFrom(...B64.split(''));
    fc.assert(
      fc.property(fc.array(digit, { minLength: 32, maxLength: 32 }), (ds) => {
        const t = ds.join('');
        expect(decodeSessionId(t)).toEqual(viaBuffer(t));
      }),
      { numRuns: 5000 },
    );
    // 2^53 itself: the first id that is not a safe integer
    const over = Buffer.alloc(24);
    over.writeBigUInt64BE(2n ** 53n, 0);
    expect(decodeSessionId(over.toString('base64url'))).toBeUndefined();
    expect(viaBuffer(over.toString('base64url'))).toBeUndefined();
  });

  it('refuses what is not 32 base64url digits, as Buffer decoding does', () => {
    const anyChar = fc.oneof(fc.constantFrom(...B64.split('')), fc.constantFrom('=', '+', '/', ' ', '.', '%', 'é', '\u0000', '\u{1F600}'));
    fc.assert(
      fc.property(fc.array(anyChar, { minLength: 0, maxLength: 40 }), (cs) => {
        const t = cs.join('');
        expect(decodeSessionId(t)).toEqual(viaBuffer(t));
      }),
      { numRuns: 5000 },
    );
    const good = encodeSessionId(42, newSecret());
    for (const bad of ['', good.slice(1), good + 'A', good.slice(0, 31) + '=', good.slice(0, 31) + '+', good.slice(0, 31) + 'é']) expect(decodeSessionId(bad)).toBeUndefined();
  });
});

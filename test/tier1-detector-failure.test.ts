// A detector that throws costs its own signal on that message, not the shard thread: the other
// rules still decide, and the failure is an `error` decision (logged, counted). Before, the
// exception ended the shard's thread — every engagement on it — and again on each retry of the
// same text. Fault-injected here by making one detector throw.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initTier1 } from '../workers/tier1/index.ts';
import { DETECTORS } from '../workers/tier1/detectors.ts';
import type { Detector } from '../workers/tier1/detector.ts';
import { harness } from './tier1-helpers.ts';

beforeAll(initTier1);

const CANARY = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*PARLEY-TIER1-TEST*C.34X';
const restore: Array<() => void> = [];
afterEach(() => {
  for (const r of restore.splice(0)) r();
});

/** Makes the detector of `code` throw on every message until the test ends. */
function breakDetector(code: string): void {
  const d = DETECTORS.find((x) => x.code === code) as Detector & { check: Detector['check'] };
  const own = Object.getOwnPropertyDescriptor(d, 'check');
  Object.defineProperty(d, 'check', { configurable: true, writable: true, value: () => { throw new Error(`injected fault in ${code}`); } });
  restore.push(() => (own ? Object.defineProperty(d, 'check', own) : delete (d as { check?: unknown }).check));
}

describe('Tier-1 detector failure', () => {
  it('a throwing rule is an error decision; the message is decided by the others', () => {
    const h = harness();
    expect(h.screen('WHY IS NOBODY ANSWERING MY QUESTION ABOUT THE PARCEL').outcome).toBe('flag'); // CAPS flags
    breakDetector('CAPS');
    const r = h.screen('WHY IS NOBODY ANSWERING MY QUESTION ABOUT THE REFUND');
    expect(r.outcome).toBe('allow');
    const err = h.logs.filter((l) => l.outcome === 'error');
    expect(err).toHaveLength(1);
    expect(err[0]).toMatchObject({ code: 'CAPS', observed: 'injected fault in CAPS', mode: 'enforce' });
  });

  it('the other rules still block and strike while one throws', () => {
    const h = harness();
    breakDetector('CAPS');
    breakDetector('URL_COUNT');
    const r = h.screen(`PLEASE LOOK ${CANARY}`);
    expect(r.outcome).toBe('block');
    expect(r.strike).toBe(true);
    expect(h.logs.map((l) => `${l.code}:${l.outcome}`)).toEqual(expect.arrayContaining(['CAPS:error', 'CANARY:block']));
  });
});

// `npm run bench:tier1` gave a firm "Yes"/"No" whatever else the machine was doing. It now takes
// the system bench's other-load reading (bench/system/proc.ts backgroundBusyPct) before and after
// each section and, over the system bench's threshold, says the answer is not a firm verdict.
import { describe, expect, it } from 'vitest';
import { qualifiedAnswer } from '../bench/detectors/report.ts';
import { OTHER_LOAD_PCT } from '../bench/system/saturation.ts';

describe('bench:tier1 on a busy machine', () => {
  const answer = 'No: a ~100-character ham message takes 6.50 µs median (p99 20 µs), over the 5 µs budget';

  it('a quiet machine: the answer as measured', () => {
    expect(qualifiedAnswer(answer, { busyPct: [3.2, 5] }, OTHER_LOAD_PCT)).toBe(answer);
  });

  it('other load over the threshold around the section: not a firm verdict, with the reading', () => {
    expect(qualifiedAnswer(answer, { busyPct: [4, 87.5] }, OTHER_LOAD_PCT)).toBe(
      `Not a firm verdict — other processes were using up to 87.5 % of a core around this section, which depresses every figure; rerun on a quiet machine. As measured: ${answer}`,
    );
  });

  it('no reading (no /proc): says so', () => {
    expect(qualifiedAnswer(answer, { busyPct: [null, null] }, OTHER_LOAD_PCT)).toMatch(/\(other load on the machine not measured: \/proc\/stat unreadable\)$/);
  });
});

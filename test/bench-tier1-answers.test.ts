// `npm run bench:tier1` answers its design questions from its own figures and says on what
// machine. Before, its Tier-1 section printed no question and no answer (tier1.json had neither),
// the transport answer spoke of round trips/s over a column named msgsPerSec, and neither section
// printed the machine.
import { describe, expect, it } from 'vitest';
import { BUDGET_US, QUESTION, tier1Answer } from '../bench/detectors/tier1.ts';
import { transportAnswer, type Row } from '../bench/detectors/transport.ts';
import { tier1Head, transportHead } from '../bench/detectors/report.ts';

const stat = (medianUs: number, p99Us: number) => ({ medianUs, p99Us, analyzeMedianUs: medianUs / 2, n: 10 });
const machine = { cpuModel: 'Test CPU', cores: 2, node: 'v20.0.0', os: 'Linux 6 x64', totalMemMb: 4096 };

describe('bench:tier1 answers', () => {
  it('Tier-1: the typical ~100-character message against the few-µs budget, and the costliest input beside it', () => {
    const classes = { 'sms ham': stat(2.1, 13.8), 'mixed 4000 cp': stat(179.5, 331), 'ham ~100 chars': stat(2.594, 12.79) };
    expect(BUDGET_US).toBe(5);
    expect(tier1Answer(classes)).toBe(
      'Yes: a ~100-character ham message takes 2.59 µs median (p99 13 µs), within the 5 µs budget; the whole SMS ham set 2.10 µs median. ' +
        'The costliest input here, mixed 4000 cp, takes 180 µs median: one such post costs the shard as much as 69 typical ones.',
    );
    expect(tier1Answer({ ...classes, 'ham ~100 chars': stat(6.5, 20) })).toMatch(/^No: a ~100-character ham message takes 6.50 µs median \(p99 20 µs\), over the 5 µs budget/);
    expect(tier1Answer({ 'sms ham': stat(2, 3) })).toMatch(/^not measured/);
  });

  it('transport: the fastest way in round trips/s, the column it is read from', () => {
    const rows: Row[] = [
      { transport: 'Piscina task per request', batch: 1, roundTripsPerSec: 27008, cpuUsPerRoundTrip: 37.55 },
      { transport: 'MessagePort clone', batch: 100, roundTripsPerSec: 552857, cpuUsPerRoundTrip: 1.76 },
    ];
    expect(transportAnswer(rows)).toBe('MessagePort clone with batches of 100 moves 552857 round trips/s at 1.76 µs CPU each, 20.5× a Piscina task per request (27008/s)');
  });

  it('each section head gives its question, the machine and the method', () => {
    const t1 = { question: QUESTION, method: 'tinybench …', classes: {}, triggers: {}, answer: '' };
    expect(tier1Head(t1, machine)).toBe(`Tier-1 screen() per message (µs) — ${QUESTION}\nMachine: Test CPU, 2 cores, 4096 MB RAM, Node v20.0.0, Linux 6 x64\nMethod: tinybench …`);
    expect(QUESTION).toContain('fast enough to run inline on the shard thread for every posted message');
    expect(transportHead({ question: 'How?', method: 'm' }, machine)).toBe('Shard transport — How?\nMachine: Test CPU, 2 cores, 4096 MB RAM, Node v20.0.0, Linux 6 x64\nMethod: m');
  });
});

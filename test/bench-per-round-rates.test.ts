// The headline ratios are medians of per-round ratios, the table's req/s all rounds' requests ÷
// their duration: divided, the table's figures do not give the headline. Before, the per-round
// req/s were only in latest.json, so a reader of the markdown could not reproduce a ratio. Now the
// markdown lists them and says how the headline is computed.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../bench/system/report.ts';
import type { BenchReport, ResultRow } from '../bench/system/types.ts';

function row(scenario: string, server: ResultRow['server'], slices: number[]): ResultRow {
  const reqPerSec = Math.round(slices.reduce((a, b) => a + b, 0) / slices.length);
  return {
    scenario, server, mode: 'peak', loadClient: 'wrk', connections: 64, durationS: 12, requests: reqPerSec * 12, reqPerSec, p50Ms: 1, p90Ms: 2, p99Ms: 3, p999Ms: 4, maxMs: 5,
    statusCounts: { '200': reqPerSec * 12 }, socketErrors: 0, targetRate: null, cpuPct: 99, cpuUsPerReq: 20, rssPeakMb: 80, wsDelivered: null, wsDeliveredPerSec: null, wsReceivers: null,
    reqPerSecSlices: slices,
  };
}

const report: BenchReport = {
  generatedAt: '2026-01-01T00:00:00.000Z',
  machine: { cpuModel: 'Test CPU', cores: 2, node: 'v20.0.0', os: 'Linux', totalMemMb: 4096, loadClient: 'wrk 4.2.0', uwsNative: true, handOff: null, placement: null },
  params: {}, notes: [], idle: null, unavailable: [],
  results: [row('ham', 'parley', [30000, 20000, 31000]), row('ham', 'uws', [60000, 30000, 62000]), row('ham', 'node-http', [28000, 27000, 29000]), row('adversarial', 'parley', [15000, 16000, 17000])],
  ratios: { parleyVsUws: 0.5, parleyVsNodeHttp: 1.071 },
  ratioRounds: { parleyVsUws: [0.5, 0.667, 0.5], parleyVsNodeHttp: [1.071, 0.741, 1.069], journalOnVsOff: [] },
  targets: { parleyVsUws: { target: 0.7, value: 0.5, met: false }, parleyVsNodeHttp: { target: 1.4, value: 1.071, met: false }, p99AtHalfPeakMs: { target: 5, value: null, met: null, rate: null, client: null } },
};

describe('the markdown report', () => {
  it('lists each server\'s per-round req/s and says the headline is the median of per-round ratios', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('Per-round req/s (peak, in round order): ham: parley 30,000 / 20,000 / 31,000, uws 60,000 / 30,000 / 62,000, node-http 28,000 / 27,000 / 29,000; adversarial: parley 15,000 / 16,000 / 17,000.');
    expect(md).toContain('Each headline ratio is the median of the per-round ratios (each round\'s req/s ÷ the other server\'s in the same round), not the ratio of the table\'s req/s');
  });
});

// A `--no-journal` run measures a Parley that stores nothing. Before, its rows were labelled
// `parley` and the headline ratios and targets were judged on it as if it were the product (only
// `journal=false` in the parameters told). Now its rows are `parley-nojournal` — the name the ham
// scenario's journal-cost row already has — and the targets say they were not judged.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../bench/system/report.ts';
import { headline, labelUnderTest, NO_JOURNAL_CAVEAT } from '../bench/system/targets.ts';
import type { LoadSetup } from '../bench/system/saturation.ts';
import type { BenchReport, ResultRow } from '../bench/system/types.ts';

function row(server: ResultRow['server'], reqPerSec: number, mode: ResultRow['mode'] = 'peak'): ResultRow {
  return {
    scenario: 'ham', server, mode, loadClient: 'wrk', connections: 16, durationS: 2, requests: reqPerSec * 2, reqPerSec, p50Ms: 1, p90Ms: 2, p99Ms: 3, p999Ms: 4, maxMs: 5,
    statusCounts: { '200': reqPerSec * 2 }, socketErrors: 0, targetRate: mode === 'fixed-rate' ? reqPerSec : null, cpuPct: 99, cpuUsPerReq: 20, rssPeakMb: 80,
    wsDelivered: null, wsDeliveredPerSec: null, wsReceivers: null, reqPerSecSlices: [reqPerSec],
  };
}

const setup: LoadSetup = { client: 'wrk', wrkInstalled: true, wrkThreads: 1, clientProcs: 1, clientCores: 0, otherLoadPct: 0 };
// as the scenarios return them: the server started as Parley is `parley`, journal on or off
const asRun = [row('parley', 40000), row('uws', 50000), row('node-http', 25000), row('parley', 20000, 'fixed-rate')];

function report(journal: boolean): BenchReport {
  const results = labelUnderTest(asRun, journal);
  return {
    generatedAt: '2026-01-01T00:00:00.000Z',
    machine: { cpuModel: 'Test CPU', cores: 2, node: 'v20.0.0', os: 'Linux', totalMemMb: 4096, loadClient: 'wrk 4.2.0', uwsNative: true, handOff: null, placement: null },
    params: { journal }, notes: [], results, idle: null, unavailable: [],
    ...headline({ results, journal, cores: 2, ownClientCores: false, loadSetup: setup }),
  };
}

describe('a --no-journal run', () => {
  it('labels the server under test parley-nojournal and judges no target on it', () => {
    const r = report(false);
    expect(r.results.map((x) => x.server)).toEqual(['parley-nojournal', 'uws', 'node-http', 'parley-nojournal']);
    expect(r.ratios.parleyVsUws).toBe(0.8);
    expect(r.targets.parleyVsUws).toMatchObject({ value: 0.8, met: null, caveat: NO_JOURNAL_CAVEAT });
    expect(r.targets.parleyVsNodeHttp).toMatchObject({ value: 1.6, met: null, caveat: NO_JOURNAL_CAVEAT });
    expect(r.targets.p99AtHalfPeakMs).toMatchObject({ value: 3, met: null, caveat: NO_JOURNAL_CAVEAT });
    const md = renderMarkdown(r);
    expect(md).toContain('| ham | parley-nojournal | peak | 40,000 |');
    expect(md).not.toContain('| ham | parley |');
    expect(md).toContain('Parley without journal ÷ uWS = **0.80×**');
    expect(md).toContain('- Parley ≥ 0.7× bare uWS: 0.80× — no verdict: not judged: Parley ran without its journal');
    expect(md).toMatch(/- p99 < 5 ms at 50 % of peak .*: 3\.00 ms — no verdict: not judged: Parley ran without its journal/);
  });

  it('with the journal on, the same figures are Parley\'s and are judged', () => {
    const r = report(true);
    expect(r.results[0]!.server).toBe('parley');
    expect(r.targets.parleyVsUws).toMatchObject({ value: 0.8, met: true, caveat: null });
    expect(r.targets.p99AtHalfPeakMs).toMatchObject({ met: true });
    expect(renderMarkdown(r)).toContain('Parley ÷ uWS = **0.80×**');
  });
});

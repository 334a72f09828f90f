// Small things a bench report said that were not so. A ham-only run carried the benchadv, idle,
// fanout and chat notes and parameters; `--duration 2` warned of 50 %-of-peak slices in runs that
// have none; "1 rounds"; the hop baseline "what the hop costs by itself" when it came out faster
// than bare uWS; an idle-only SVG said "no data"; an idle run below 100k engagements did not say
// the target was not attempted; `--connections -5` gave Node's three-line "ambiguous" error; and
// Node-client runs showed "n/a" CPU per request with no reason.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderSvg } from '../bench/system/report.ts';
import { idleTargetNote, plural, relevantNotes, relevantParams } from '../bench/system/relevance.ts';
import { sliceSeconds } from '../bench/system/slices.ts';
import { joinNegativeValues } from '../bench/system/flag-checks.ts';
import type { BenchReport, ResultRow } from '../bench/system/types.ts';
import { yieldBetweenTests } from './helpers/yield-between-tests.ts';

yieldBetweenTests();

function row(server: ResultRow['server'], reqPerSec: number, extra: Partial<ResultRow> = {}): ResultRow {
  return {
    scenario: 'ham', server, mode: 'peak', loadClient: 'wrk', connections: 16, durationS: 2, requests: reqPerSec * 2, reqPerSec, p50Ms: 1, p90Ms: 2, p99Ms: 3, p999Ms: 4, maxMs: 5,
    statusCounts: { '200': reqPerSec * 2 }, socketErrors: 0, targetRate: null, cpuPct: 99, cpuUsPerReq: 20, rssPeakMb: 80, wsDelivered: null, wsDeliveredPerSec: null, wsReceivers: null, ...extra,
  };
}

const base: BenchReport = {
  generatedAt: '2026-01-01T00:00:00.000Z',
  machine: { cpuModel: 'Test CPU', cores: 2, node: 'v20.0.0', os: 'Linux', totalMemMb: 4096, loadClient: 'wrk 4.2.0', uwsNative: true, handOff: null, placement: null },
  params: {}, notes: [], idle: null, unavailable: [], results: [],
  ratios: { parleyVsUws: null, parleyVsNodeHttp: null },
  targets: { parleyVsUws: { target: 0.7, value: null, met: null }, parleyVsNodeHttp: { target: 1.4, value: null, met: null }, p99AtHalfPeakMs: { target: 5, value: null, met: null, rate: null, client: null } },
};

describe('a report says only what its run did', () => {
  it('a ham-only run keeps the parameters and notes of ham and of every run, not those of the other scenarios', () => {
    const params = { scenarios: 'ham', durationS: 2, rounds: 1, fixedSlices: 1, idleEngagements: 100000, idleTimeoutS: 180, fanoutCopies: 20, chatEngagements: 50, journal: true };
    expect(relevantParams(params, ['ham'])).toEqual({ scenarios: 'ham', durationS: 2, rounds: 1, fixedSlices: 1, journal: true });
    expect(relevantParams(params, ['idle'])).toEqual({ scenarios: 'ham', durationS: 2, idleEngagements: 100000, idleTimeoutS: 180, journal: true });
    expect(relevantNotes([[null, 'all'], [['adversarial'], 'benchadv'], [['ham', 'idle'], 'bench'], [['idle'], 'idle']], ['ham'])).toEqual(['all', 'bench']);
  });

  it('--duration 2 warns of a minimum only for the slices the run has', () => {
    expect(sliceSeconds(2, 1, { peak: true, halfPeak: false }).raised).toBeNull();
    expect(sliceSeconds(2, 1, { peak: false, halfPeak: false }).raised).toBeNull();
    expect(sliceSeconds(2, 1, { peak: true, halfPeak: true }).raised).toBe('--duration 2: each 50 %-of-peak slice runs the minimum 3 s');
    expect(plural(1, 'round')).toBe('1 round');
    expect(plural(3, 'round')).toBe('3 rounds');
  });

  it('an idle run below 100k says the target was not attempted', () => {
    expect(idleTargetNote(100000)).toBeNull();
    expect(idleTargetNote(500)).toBe('Idle: --idle-engagements 500 is below the 100,000 open engagements the idle target is about — the ≥100k target was not attempted in this run.');
  });

  it('a hop baseline faster than bare uWS is called noise, not the cost of the hop', () => {
    const r: BenchReport = {
      ...base,
      results: [row('parley', 30000), row('uws', 50000), row('node-http', 25000), row('uws-hop', 52000)],
      ratios: { parleyVsUws: 0.6, parleyVsNodeHttp: 1.2, hopVsUws: 1.04, parleyVsHop: 0.58 },
    };
    const md = renderMarkdown(r);
    expect(md).toContain('÷ bare uWS = **1.04×**: over 1×, faster than bare uWS, which the same handler plus a thread hop cannot be — within the noise between rounds');
    expect(md).not.toContain('what the hop costs by itself');
    expect(renderMarkdown({ ...r, ratios: { ...r.ratios, hopVsUws: 0.85 } })).toContain('**0.85×**: what the hop costs by itself');
  });

  it('an idle-only run\'s chart says what was measured instead of "no data"', () => {
    const svg = renderSvg({ ...base, idle: { engagements: 500, failed: 0, setupSeconds: 1, createdPerSec: 500, rssBeforeMb: 50, rssAfterMb: 52, bytesPerEngagement: 4200, clientProcesses: 1, restartSeconds: 0.4 } });
    expect(svg).toContain('no load run; idle: 500 open engagements, 4,200 bytes per engagement');
    expect(svg).not.toContain('>no data<');
    expect(renderSvg(base)).toContain('>no data<');
  });

  it('a Node-client run says why its CPU per request is n/a', () => {
    const node = (server: ResultRow['server'], n: number): ResultRow => row(server, n, { loadClient: 'node', cpuUsPerReq: null });
    const md = renderMarkdown({ ...base, results: [node('parley', 20000), node('uws', 40000), node('node-http', 20000)] });
    expect(md).toContain("Parley n/a, bare uWS n/a, node:http n/a (n/a: computed for wrk runs only — the Node client's process start-up falls inside the server's CPU sampling window and would dilute it).");
    expect(renderMarkdown({ ...base, results: [row('parley', 20000), row('uws', 40000), row('node-http', 20000)] })).not.toContain('computed for wrk runs only');
  });
});

describe('--connections -5', () => {
  it('is joined to its flag, so it is refused as a value in one line', () => {
    const options = { connections: { type: 'string' }, 'no-journal': { type: 'boolean' } } as const;
    expect(joinNegativeValues(['--connections', '-5', '--no-journal'], options)).toEqual(['--connections=-5', '--no-journal']);
    expect(joinNegativeValues(['--no-journal', '-5'], options)).toEqual(['--no-journal', '-5']);
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '..', 'bench', 'system', 'run.ts'), '--connections', '-5'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr.trim()).toBe('--connections: expected an integer ≥ 1, got "-5"');
    expect(r.status).toBe(2);
  });
});

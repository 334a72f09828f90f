// A bench run in which Parley was not measured is not a result. Before, `npm run bench` exited 0
// when wrk failed for every server ("nothing was measured"), with `--shards 99` (Parley never
// started) and with PARLEY_MAX_BODY_BYTES=60 in the shell (Parley exited on its configuration,
// only the baselines were reported) — and replaced bench/results/latest.* with that run. Now such
// a run exits 1 naming what was not measured, and its report goes to latest-incomplete.* only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { README_END, README_START, writeReport } from '../bench/system/report.ts';
import { unmeasured, unmeasuredLine } from '../bench/system/outcome.ts';
import type { BenchReport, ResultRow } from '../bench/system/types.ts';

function row(scenario: string, server: ResultRow['server'], mode: ResultRow['mode'] = 'peak'): ResultRow {
  return {
    scenario, server, mode, loadClient: 'wrk', connections: 16, durationS: 2, requests: 20000, reqPerSec: 10000, p50Ms: 1, p90Ms: 2, p99Ms: 3, p999Ms: 4, maxMs: 5,
    statusCounts: { '200': 20000 }, socketErrors: 0, targetRate: mode === 'fixed-rate' ? 5000 : null, cpuPct: 99, cpuUsPerReq: 99, rssPeakMb: 80, wsDelivered: null, wsDeliveredPerSec: null, wsReceivers: null,
  };
}

function report(results: ResultRow[], unavailable: BenchReport['unavailable'], idle: BenchReport['idle'] = null): BenchReport {
  return {
    generatedAt: '2026-01-01T00:00:00.000Z',
    machine: { cpuModel: 'Test CPU', cores: 2, node: 'v20.0.0', os: 'Linux', totalMemMb: 4096, loadClient: 'wrk', uwsNative: true, handOff: null, placement: null },
    params: {}, notes: [], results, idle, unavailable,
    ratios: { parleyVsUws: null, parleyVsNodeHttp: null },
    targets: { parleyVsUws: { target: 0.7, value: null, met: null }, parleyVsNodeHttp: { target: 1.4, value: null, met: null }, p99AtHalfPeakMs: { target: 5, value: null, met: null, rate: null, client: null } },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** a results dir holding an earlier complete run, and a README with its figures */
function earlier(): { dir: string; results: string; readme: string; readmeText: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-incomplete-'));
  dirs.push(dir);
  const results = path.join(dir, 'results');
  fs.mkdirSync(results);
  for (const ext of ['json', 'md', 'svg']) fs.writeFileSync(path.join(results, `latest.${ext}`), `earlier ${ext}\n`);
  const readme = path.join(dir, 'README.md');
  const readmeText = `# x\n${README_START}\nearlier figures\n${README_END}\n`;
  fs.writeFileSync(readme, readmeText);
  return { dir, results, readme, readmeText };
}

describe('a run that did not measure Parley', () => {
  it('names each requested scenario without a Parley figure, with the run\'s own reason', () => {
    // wrk failing for every server: nothing at all
    const wrkFailed = report([], [
      { scenario: 'ham', server: 'parley', reason: 'wrk exited 1: ' },
      { scenario: 'ham', server: 'uws', reason: 'wrk exited 1: ' },
    ]);
    expect(unmeasured(wrkFailed, ['ham'])).toEqual([{ scenario: 'ham', reason: 'wrk exited 1: ' }]);
    // Parley exited on its configuration, the baselines were measured
    const baselinesOnly = report([row('ham', 'uws'), row('ham', 'node-http')], [{ scenario: 'ham', server: 'parley', reason: 'exited early (code 1, signal null) | PARLEY_MAX_BODY_BYTES: expected an integer from 1024' }]);
    expect(unmeasured(baselinesOnly, ['ham'])).toEqual([{ scenario: 'ham', reason: 'exited early (code 1, signal null) | PARLEY_MAX_BODY_BYTES: expected an integer from 1024' }]);
    // Parley measured at peak but its 50 %-of-peak run failed: the latency target has no figure
    const noHalfPeak = report([row('ham', 'parley'), row('ham', 'uws')], [{ scenario: 'ham', server: 'parley', reason: '50 %-of-peak run: no request was answered' }]);
    expect(unmeasured(noHalfPeak, ['ham'])).toEqual([{ scenario: 'ham 50 %-of-peak', reason: '50 %-of-peak run: no request was answered' }]);
    // idle and chat asked for, neither measured; a scenario not asked for is not missing
    expect(unmeasured(report([], [{ scenario: 'chat', server: 'parley', reason: 'no request was answered' }]), ['idle', 'chat'])).toEqual([
      { scenario: 'idle', reason: 'no idle-memory figure' },
      { scenario: 'chat', reason: 'no request was answered' },
    ]);
    const complete = report([row('ham', 'parley'), row('ham', 'parley', 'fixed-rate'), row('chat', 'parley')], [{ scenario: 'ham', server: 'uws', reason: 'native binary missing' }]);
    expect(unmeasured(complete, ['ham', 'chat'])).toEqual([]);
    expect(unmeasuredLine([{ scenario: 'ham', reason: 'wrk exited 1: | x' }], 'bench/results/latest-incomplete.md', 'bench/results/latest.* and README.md'))
      .toBe('INCOMPLETE (exit 1): Parley was not measured in ham (wrk exited 1:). bench/results/latest.* and README.md left as they were; this run\'s report: bench/results/latest-incomplete.md');
  });

  it('writes latest-incomplete.* and leaves latest.* and the README as they were', () => {
    const e = earlier();
    const r = writeReport(report([row('ham', 'uws')], [{ scenario: 'ham', server: 'parley', reason: 'exited early' }]), e.results, e.readme, { complete: false, fullSet: true });
    expect(r.readme).toBe('incomplete');
    expect(r.files.map((f) => path.basename(f))).toEqual(['latest-incomplete.json', 'latest-incomplete.md', 'latest-incomplete.svg']);
    for (const ext of ['json', 'md', 'svg']) expect(fs.readFileSync(path.join(e.results, `latest.${ext}`), 'utf8')).toBe(`earlier ${ext}\n`);
    expect(fs.readFileSync(e.readme, 'utf8')).toBe(e.readmeText);
    expect(fs.readFileSync(path.join(e.results, 'latest-incomplete.md'), 'utf8')).toContain('- ham / parley: exited early');
  });

  it('a complete run replaces latest.* and drops the stale latest-incomplete.*', () => {
    const e = earlier();
    fs.writeFileSync(path.join(e.results, 'latest-incomplete.json'), '{}\n');
    const r = writeReport(report([row('chat', 'parley')], []), e.results, e.readme, { complete: true, fullSet: true });
    expect(r.files.map((f) => path.basename(f))).toEqual(['latest.json', 'latest.md', 'latest.svg']);
    expect(fs.readFileSync(path.join(e.results, 'latest.md'), 'utf8')).toContain('| chat | parley |');
    expect(fs.existsSync(path.join(e.results, 'latest-incomplete.json'))).toBe(false);
  });
});

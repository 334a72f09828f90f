// The system benchmark's pure parts: report generators and the load-plan files both load clients
// read. No server, no load — a fixture result object in, text out.
import { describe, expect, it } from 'vitest';
import { machineSpeedNote, renderJson, renderMarkdown, renderSvg, replaceReadmeSection, README_END, README_START } from '../bench/system/report.ts';
import { consumerPostSession, hamTexts, parseSessionFile, parseTextsFile, renderSessionFile, renderTextsFile } from '../bench/system/plan.ts';
import { parseWrkOutput } from '../bench/system/wrk.ts';
import { mergeSlices, pairedRatio, sliceSeconds } from '../bench/system/slices.ts';
import { sampleUsage } from '../bench/system/proc.ts';
import { describeHandOff, measureHandOff, readHaltPoll } from '../bench/system/handoff.ts';
import { baselineCaveat, type LoadSetup } from '../bench/system/saturation.ts';
import { machineBound } from '../bench/system/bound.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchReport, LoadResult, ResultRow, ServerName } from '../bench/system/types.ts';

function row(scenario: string, server: ResultRow['server'], reqPerSec: number, p99Ms: number, extra: Partial<ResultRow> = {}): ResultRow {
  return {
    scenario, server, mode: 'peak', loadClient: 'wrk', connections: 64, durationS: 10, requests: reqPerSec * 10, reqPerSec,
    p50Ms: p99Ms / 4, p90Ms: p99Ms / 2, p99Ms, p999Ms: p99Ms * 2, maxMs: p99Ms * 3, statusCounts: { '200': reqPerSec * 10 },
    socketErrors: 0, targetRate: null, cpuPct: 99.5, cpuUsPerReq: Math.round((99.5e4 / reqPerSec) * 10) / 10, rssPeakMb: 120, wsDelivered: null, wsDeliveredPerSec: null, wsReceivers: null, ...extra,
  };
}

const fixture: BenchReport = {
  generatedAt: '2026-01-01T00:00:00.000Z',
  machine: { cpuModel: 'Test CPU <x>', cores: 2, node: 'v20.0.0', os: 'Linux', totalMemMb: 4096, loadClient: 'wrk 4.1.0', uwsNative: true, handOff: { rttUs: 63.9, cpuUsPerRoundTrip: 48.2, guestHaltPollNs: 0 }, placement: null },
  params: { durationS: 10, connections: 64, journal: true },
  notes: ['a note'],
  results: [
    row('ham', 'uws', 60000, 3),
    row('ham', 'node-http', 30000, 6),
    row('ham', 'parley', 45000, 4, { wsDelivered: 0, wsDeliveredPerSec: 0, wsReceivers: 200 }),
    row('ham', 'parley', 22500, 2.5, { mode: 'fixed-rate', targetRate: 22500, loadClient: 'node', p99SlicesMs: [2.1, 2.5, 9.75] }),
    row('adversarial', 'parley', 40000, 5, { statusCounts: { '200': 360000, '409': 40000 } }),
  ],
  idle: { engagements: 100000, failed: 0, setupSeconds: 20, createdPerSec: 5000, rssBeforeMb: 100, rssAfterMb: 400, bytesPerEngagement: 3146, clientProcesses: 2, restartSeconds: 4.2 },
  unavailable: [{ scenario: 'fanout', server: 'parley', reason: 'agent API answered 404' }],
  ratios: { parleyVsUws: 0.75, parleyVsNodeHttp: 1.5 },
  ratioRounds: { parleyVsUws: [0.74, 0.75, 0.8], parleyVsNodeHttp: [1.5, 1.45, 1.52], journalOnVsOff: [] },
  targets: {
    parleyVsUws: { target: 0.7, value: 0.75, met: true },
    parleyVsNodeHttp: { target: 1.4, value: 1.5, met: true },
    p99AtHalfPeakMs: { target: 5, value: 2.5, met: true, rate: 22500, client: 'Node open-loop client' },
  },
};

describe('bench report', () => {
  it('JSON carries machine, params, results and ratios in the documented shape', () => {
    const j = JSON.parse(renderJson(fixture)) as BenchReport;
    expect(j.machine.cores).toBe(2);
    expect(j.ratios).toEqual({ parleyVsUws: 0.75, parleyVsNodeHttp: 1.5 });
    for (const r of j.results) for (const k of ['scenario', 'server', 'reqPerSec', 'p50Ms', 'p99Ms', 'maxMs'] as const) expect(r[k]).toBeDefined();
  });

  it('markdown has one table row per result, the ratios, targets, idle memory and what was not measured', () => {
    const md = renderMarkdown(fixture);
    expect(md.split('\n').filter((l) => l.startsWith('| ham |') || l.startsWith('| adversarial |'))).toHaveLength(5);
    expect(md).toContain('| ham | parley | fixed 22,500/s | 22,500 |');
    expect(md).toContain('409: 40,000');
    expect(md).toContain('Parley ÷ uWS = **0.75×**');
    // CPU per request: 99.5 % of a core over 45,000 req/s = 22.1 µs; over 60,000 = 16.6 µs
    expect(md).toContain('Parley 22.1 µs, bare uWS 16.6 µs, node:http 33.2 µs');
    expect(md).toContain('3,146 bytes per engagement');
    expect(md).toContain('ready (`/readyz` 200: every shard replayed its journal) in **4.2 s**');
    expect(md).toContain('fanout / parley: agent API answered 404');
    expect(md).toContain('apt-get install wrk');
    expect(md).toContain('alternating 50 %-of-peak slice, in run order (the table shows their median): parley 2.10 / 2.50 / 9.75 ms');
    expect(md).toContain('Per round (each ratio above is their median): Parley ÷ uWS 0.74 / 0.75 / 0.80; Parley ÷ node:http 1.50 / 1.45 / 1.52.');
    // the fixture's rows carry no thread split: the sentence is left out rather than printed with gaps
    expect(md).not.toContain('Where it waits');
    expect(md).toContain('Thread hand-off (one message between two sleeping threads and back, median of a ping-pong): 63.9 µs round trip, 48.2 µs CPU; guest halt-polling is off here');
  });

  it('markdown splits the gap to bare uWS into the thread hop and Parley\'s work when the hop baseline ran', () => {
    const withHop: BenchReport = {
      ...fixture,
      results: [...fixture.results, row('ham', 'uws-hop', 52000, 3.5)],
      ratios: { ...fixture.ratios, hopVsUws: 0.87, parleyVsHop: 0.86 },
      ratioRounds: { ...fixture.ratioRounds!, hopVsUws: [0.86, 0.87, 0.9], parleyVsHop: [0.85, 0.86, 0.88] },
    };
    const md = renderMarkdown(withHop);
    expect(md).toContain('(`bench/system/baselines/uws-hop.ts`, CPU 19.1 µs per request) — ÷ bare uWS = **0.87×**');
    expect(md).toContain('Parley ÷ that = **0.86×**');
    expect(md).toContain('(per round: 0.86 / 0.87 / 0.90; 0.85 / 0.86 / 0.88).');
    expect(renderSvg(withHop)).toContain('ham uws-hop: 52000 req/s');
    // a run without it (an older report, or the baseline failed to start) says nothing of it
    expect(renderMarkdown(fixture)).not.toContain('uws-hop');
  });

  it('the half-peak target gives the baselines\' p99 at the same rate: the client and machine, then that plus the hop', () => {
    const fixedRow = (server: ServerName, p99: number, slices: number[]) => row('ham', server, 22500, p99, { mode: 'fixed-rate', targetRate: 22500, loadClient: 'node', p99SlicesMs: slices });
    const md = renderMarkdown({ ...fixture, results: [...fixture.results, fixedRow('uws', 1.8, [1.7, 1.8, 2.2]), fixedRow('uws-hop', 4.25, [4.25, 3.9, 6.1])] });
    expect(md).toContain("- p99 < 5 ms at 50 % of peak (22,500 req/s, Node open-loop client): 2.50 ms — met; at the same rate bare uWS 1.80 ms (the client and the machine), bare uWS with Parley's thread hop and no work 4.25 ms (that plus the hop)");
    expect(md).toContain('parley 2.10 / 2.50 / 9.75 ms; uws 1.70 / 1.80 / 2.20 ms; uws-hop 4.25 / 3.90 / 6.10 ms.');
    // without the baselines' fixed-rate rows the line ends at the verdict
    expect(renderMarkdown(fixture)).toContain('(22,500 req/s, Node open-loop client): 2.50 ms — met\n');
  });

  it('markdown splits each server\'s peak CPU into its main thread and says how idle the machine was', () => {
    const split: Record<string, Partial<ResultRow>> = { parley: { mainThreadUsPerReq: 12.5, machineIdlePct: 27.4 }, uws: { mainThreadUsPerReq: 16.6, machineIdlePct: 8 }, 'node-http': { mainThreadUsPerReq: 33.2, machineIdlePct: 21.6 } };
    const results = fixture.results.map((r) => (r.mode === 'peak' && r.scenario === 'ham' ? { ...r, ...split[r.server] } : r));
    const md = renderMarkdown({ ...fixture, results });
    expect(md).toContain('Parley 12.5 µs on its main thread, 27 % idle; bare uWS 16.6 µs on its main thread, 8 % idle; node:http 33.2 µs on its main thread, 22 % idle.');
    // with the scheduler's account of the main thread, each server says how often it was woken and waited
    const sched: Record<string, Partial<ResultRow>> = { parley: { mainThreadRunqPct: 14.6, mainThreadSlicesPerSec: 1926 }, uws: { mainThreadRunqPct: 3.4, mainThreadSlicesPerSec: 892 }, 'node-http': { mainThreadRunqPct: 6, mainThreadSlicesPerSec: 1500 } };
    const md2 = renderMarkdown({ ...fixture, results: results.map((r) => (r.mode === 'peak' && r.scenario === 'ham' ? { ...r, ...sched[r.server] } : r)) });
    expect(md2).toContain('Parley 12.5 µs on its main thread (put on a core 1,926 times/s, runnable but waiting for a core 15 % of the time), 27 % idle; bare uWS 16.6 µs on its main thread (put on a core 892 times/s, runnable but waiting for a core 3 % of the time), 8 % idle');
  });

  it('SVG is standalone, escaped, and draws one bar per peak result and one per latency result', () => {
    const svg = renderSvg(fixture);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Test CPU &lt;x&gt;');
    expect(svg).not.toContain('<x>');
    expect((svg.match(/<rect [^>]*><title>/g) ?? []).length).toBe(4 + 5);
  });

  it('README section is replaced between the markers only; missing markers → null', () => {
    const readme = `# Parley\nintro\n${README_START}\nold\n${README_END}\nfooter\n`;
    const next = replaceReadmeSection(readme, 'NEW TABLE\n');
    expect(next).toBe(`# Parley\nintro\n${README_START}\nNEW TABLE\n${README_END}\nfooter\n`);
    expect(replaceReadmeSection('# no markers\n', 'x')).toBeNull();
  });
});

describe('a short or partial run says what it did', () => {
  // before: --duration 3 over 3 rounds silently ran 3 rounds of 2 s; --scenario idle printed an empty table
  it('the round and slice lengths --duration gives, and where a minimum raised them', () => {
    expect(sliceSeconds(10, 3)).toEqual({ peakRoundS: 4, fixedSliceS: 5, raised: null });
    expect(sliceSeconds(3, 3)).toEqual({ peakRoundS: 2, fixedSliceS: 3, raised: '--duration 3: each of the 3 peak round(s) runs the minimum 2 s (6 s of peak load per server); each 50 %-of-peak slice runs the minimum 3 s' });
    expect(sliceSeconds(4, 1).raised).toBe('--duration 4: each 50 %-of-peak slice runs the minimum 3 s');
    expect(sliceSeconds(1, 1).raised).toBe('--duration 1: each of the 1 peak round(s) runs the minimum 2 s (2 s of peak load per server); each 50 %-of-peak slice runs the minimum 3 s');
  });

  it('a report without load rows (idle alone) has no empty table and no ratios', () => {
    const md = renderMarkdown({ ...fixture, results: [], ratios: { parleyVsUws: null, parleyVsNodeHttp: null }, ratioRounds: undefined });
    expect(md).not.toContain('| scenario | server |');
    expect(md).not.toContain('Ratios (ham, peak)');
    expect(md).not.toContain('Server CPU per request');
    expect(md).toContain('No load run in this report');
    expect(md).toContain('3,146 bytes per engagement');
  });
});

describe('baseline saturation', () => {
  const nodeClient: LoadSetup = { client: 'node', wrkInstalled: false, wrkThreads: 1, clientProcs: 1, clientCores: 0, otherLoadPct: 2 };
  const wrkClient: LoadSetup = { ...nodeClient, client: 'wrk', wrkInstalled: true };

  it('gives no verdict on a ratio whose baseline did not use its one core at peak (the client set its rate)', () => {
    const bound = row('ham', 'uws', 35000, 3, { cpuPct: 74 });
    const caveat = baselineCaveat(bound, 'bare uWS', nodeClient);
    expect(caveat).toMatch(/^bare uWS used 74.0 % of its one core at peak: something other than the server set its rate/);
    expect(baselineCaveat(row('ham', 'uws', 60000, 3, { cpuPct: 97 }), 'bare uWS', nodeClient)).toBeNull();
    expect(baselineCaveat(undefined, 'bare uWS', nodeClient)).toBeNull();
    const md = renderMarkdown({ ...fixture, targets: { ...fixture.targets, parleyVsUws: { target: 0.7, value: 0.75, met: null, caveat } } });
    expect(md).toContain('- Parley ≥ 0.7× bare uWS: 0.75× — no verdict: bare uWS used 74.0 % of its one core');
    expect(md).toContain('- Parley ≥ 1.4× node:http: 1.50× — met');
  });

  // before: every caveat advised "measure with wrk (apt-get install wrk), more --client-procs" —
  // also when wrk was the load client, and when the run itself had measured heavy other load
  it('advises for the client that ran, and names other load on the machine when the run measured it', () => {
    const bound = row('ham', 'uws', 52000, 3, { cpuPct: 81, clientUsPerReq: 18.5 });
    const withWrk = baselineCaveat(bound, 'bare uWS', wrkClient)!;
    expect(withWrk).toContain('the load client (wrk, 1 thread(s), 96.2 % of a core): measure with more --wrk-threads (1 now) or --client-cores on a machine with cores to spare');
    expect(withWrk).not.toContain('apt-get install wrk');
    expect(withWrk).not.toContain('--client-procs');
    expect(withWrk).not.toContain('other load');
    expect(baselineCaveat(bound, 'bare uWS', nodeClient)).toContain('the load client (Node, 1 process(es)): measure with wrk (apt-get install wrk), more --client-procs (1 now)');
    expect(baselineCaveat(bound, 'bare uWS', { ...nodeClient, wrkInstalled: true })).toContain('measure with --client wrk, more --client-procs');
    const busy = baselineCaveat(bound, 'bare uWS', { ...wrkClient, otherLoadPct: 85 })!;
    expect(busy).toContain('; or other load on the machine (up to 85 % of a core busy right before a round of these peak runs): rerun on a quiet machine');
    // wrk well short of its core as well: more wrk threads would not help, the cores were busy elsewhere
    const shared = baselineCaveat({ ...bound, clientUsPerReq: 8.5 }, 'bare uWS', { ...wrkClient, otherLoadPct: 48 })!;
    expect(shared).toContain('the load client (wrk, 1 thread(s), 44.2 % of a core) was short of its core(s) too, so the cores were held elsewhere — other load on the machine (up to 48 % of a core busy');
    expect(shared).not.toContain('--wrk-threads');
  });

  it('gives no verdict on the hop / work split either when bare uWS did not saturate', () => {
    const withHop: BenchReport = {
      ...fixture,
      results: [...fixture.results, row('ham', 'uws-hop', 52000, 3.5)],
      ratios: { ...fixture.ratios, hopVsUws: 1.29, parleyVsHop: 0.58 },
    };
    const caveat = baselineCaveat(row('ham', 'uws', 35000, 3, { cpuPct: 74 }), 'bare uWS', wrkClient);
    const md = renderMarkdown({ ...withHop, targets: { ...withHop.targets, parleyVsUws: { target: 0.7, value: 0.75, met: null, caveat } } });
    expect(md).toContain('÷ bare uWS = **1.29×**; Parley ÷ that = **0.58×**. No verdict on the split: bare uWS used 74.0 % of its one core at peak');
    expect(md).not.toContain('what the hop costs by itself');
    expect(md).not.toContain("what Parley's per-message work costs");
    // saturated: the split reads as before, except that a hop ratio over 1× is noise, not a price
    expect(renderMarkdown(withHop)).toContain('÷ bare uWS = **1.29×**: over 1×, faster than bare uWS');
    expect(renderMarkdown({ ...withHop, ratios: { ...withHop.ratios, hopVsUws: 0.87 } })).toContain('÷ bare uWS = **0.87×**: what the hop costs by itself; Parley ÷ that = **0.58×**: what Parley');
  });
});

describe('thread hand-off probe', () => {
  it('times real round trips through a worker thread and reads the guest halt-polling setting', async () => {
    const h = await measureHandOff(200, 20);
    // a round trip through another thread takes at least a microsecond on any machine, and far
    // less than a second on one that can run the benchmark
    expect(h.rttUs).toBeGreaterThan(1);
    expect(h.rttUs).toBeLessThan(1_000_000);
    expect(h.cpuUsPerRoundTrip).toBeGreaterThan(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haltpoll-'));
    fs.writeFileSync(path.join(dir, 'ns'), '200000\n');
    expect(readHaltPoll(path.join(dir, 'ns'))).toBe(200000);
    expect(readHaltPoll(path.join(dir, 'missing'))).toBeNull();
    expect(describeHandOff({ rttUs: 16.2, cpuUsPerRoundTrip: 24, guestHaltPollNs: 200000 })).toContain('`guest_halt_poll_ns` = 200000');
    expect(describeHandOff({ rttUs: 16.2, cpuUsPerRoundTrip: 24, guestHaltPollNs: null })).not.toContain('halt');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('server usage sampling (Linux /proc)', () => {
  it('counts this process\'s main-thread CPU apart from the whole process, and the machine\'s idle share', () => {
    // Spin until this thread has had 400 ms of CPU (not of wall time: on a busy host a wall-clock
    // loop can be off its core for most of the window), then hold /proc's figure to the CPU share
    // process.cpuUsage() saw over the same window — both count CPU, so host load moves neither.
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    const u = sampleUsage(process.pid);
    let x = 0;
    const spent = (): number => { const d = process.cpuUsage(c0); return (d.user + d.system) / 1000; };
    while (spent() < 400) for (let i = 0; i < 10_000; i++) x = (x * 31 + 7) >>> 0;
    const s = u.stop();
    const sharePct = (spent() / (performance.now() - w0)) * 100;
    expect(x).toBeGreaterThanOrEqual(0);
    // 10 ms ticks over ≥ 400 ms of CPU: within a few ticks of the share cpuUsage() measured (which
    // also counts the process's few other threads, hence the lower bound only, with margin)
    expect(s.mainThreadPct).toBeGreaterThan(sharePct * 0.75 - 3);
    expect(s.mainThreadPct).toBeGreaterThan(0);
    expect(s.cpuPct).toBeGreaterThanOrEqual((s.mainThreadPct ?? 0) - 5);
    expect(s.machineIdlePct).toBeGreaterThanOrEqual(0);
    expect(s.machineIdlePct).toBeLessThanOrEqual(100);
    // the busy loop ran on a core most of the window: it was scheduled in at least once and cannot
    // have waited for a core longer than the window itself
    expect(s.mainThreadSlicesPerSec).toBeGreaterThan(0);
    expect(s.mainThreadRunqPct).toBeGreaterThanOrEqual(0);
    expect(s.mainThreadRunqPct).toBeLessThan(100);
  });
});

describe('load plan files (read by wrk Lua and the Node client)', () => {
  it('session file: one TAB-separated line per session that parses back identically', () => {
    const sessions = [consumerPostSession('bench', '1:1', 'abc'), consumerPostSession('bench', '297:1', 'def', 'a')];
    const text = renderSessionFile(sessions);
    expect(text).toBe(
      'h\t/engagement/api/consumer/bench/v1/postMessage?pool=1%3A1\t{"body":\t}\tSessionId: abc\n' +
        'a\t/engagement/api/consumer/bench/v1/postMessage?pool=297%3A1\t{"body":\t}\tSessionId: def\n',
    );
    expect(parseSessionFile(text)).toEqual(sessions);
  });

  it('rejects fields that would break the line format', () => {
    expect(() => renderSessionFile([{ ...consumerPostSession('bench', '1:1', 'x'), headers: { SessionId: 'a\tb' } }])).toThrow(/tab or newline/);
    expect(() => renderSessionFile([{ ...consumerPostSession('bench', '1:1', 'x'), path: 'nope' }])).toThrow(/start with/);
  });

  it('texts file: one JSON string per line, newlines and quotes escaped, and prefix+text+suffix is valid JSON', () => {
    const texts = ['line one\nline two', 'tab\there "quoted"', 'ünïcødé 😀'];
    const lines = parseTextsFile(renderTextsFile(texts));
    expect(lines).toHaveLength(3);
    const s = consumerPostSession('bench', '1:1', 'x');
    expect(lines.map((l) => (JSON.parse(s.bodyPrefix + l + s.bodySuffix) as { body: string }).body)).toEqual(texts);
  });

  it('ham set: header skipped, spam and duplicates dropped, contact payloads filtered', () => {
    const tsv = 'Label\tSMS\nham\tHello there\nspam\tWIN now\nham\tHello there\nham\tcall me on 0800123456\nham\tsee www.example.com\nham\tOk lar\n';
    const h = hamTexts(tsv);
    expect(h.texts).toEqual(['Hello there', 'Ok lar']);
    expect(h).toMatchObject({ total: 5, unique: 4, droppedContactPayload: 2 });
  });

  it('wrk summary line parses into a load result (µs → ms)', () => {
    const out =
      'Running 10s test\n@@BENCH {"requests":1000,"durationUs":2000000,"bytes":1,"errors":{"connect":0,"read":1,"write":0,"status":3,"timeout":0},' +
      '"latencyUs":{"p50":500,"p90":900,"p99":2500,"p999":4000,"max":9000,"mean":600.5},"codes":{}}\n';
    const r = parseWrkOutput(out, 64);
    expect(r).toMatchObject({ requests: 1000, reqPerSec: 500, socketErrors: 1, statusCounts: { non2xx: 3 } });
    expect(r.latencyMs).toMatchObject({ p50: 0.5, p99: 2.5, max: 9 });
    expect(r.clientCpuUs).toBeUndefined();
    // wrk's own CPU (clock ticks from /proc/self/stat) → µs; -1 (no /proc) → unknown
    expect(parseWrkOutput(out.replace('"codes":{}}', '"codes":{},"cpuTicks":57}'), 64).clientCpuUs).toBe(570_000);
    expect(parseWrkOutput(out.replace('"codes":{}}', '"codes":{},"cpuTicks":-1}'), 64).clientCpuUs).toBeUndefined();
  });

  it('the machine bound: server + load-client CPU per request on shared cores caps any server, and says when a ratio target is out of reach', () => {
    const uws = row('ham', 'uws', 62_000, 3);
    const parley = row('ham', 'parley', 32_000, 4, { cpuUsPerReq: 32.4, clientUsPerReq: 14.2 });
    const b = machineBound(parley, uws, 2, false, 0.7);
    // 2 cores ÷ 46.6 µs = 42,918 req/s = 0.69× of 62k; 0.7× (43.4k) fits 46.1 µs, minus the client's 14.2
    expect(b).toEqual({ cores: 2, serverUsPerReq: 32.4, clientUsPerReq: 14.2, maxReqPerSec: 42_918, maxVsBaseline: 0.69, neededUsPerReq: 31.9 });
    expect(machineBound(parley, uws, 2, true, 0.7)).toBeNull(); // the client had cores of its own
    expect(machineBound({ ...parley, clientUsPerReq: null }, uws, 2, false, 0.7)).toBeNull();
    const md = renderMarkdown({ ...fixture, targets: { ...fixture.targets, parleyVsUws: { target: 0.7, value: 0.52, met: false, bound: b } } });
    expect(md).toContain('Parley can answer at most 2 ÷ (32.4 + 14.2 µs) = 42,918 req/s even with no core ever idle = 0.69× bare uWS');
    expect(md).toContain('0.7× would need Parley at ≤ 31.9 µs of CPU per request — out of reach on this machine');
    const cheap = machineBound({ ...parley, cpuUsPerReq: 20 }, uws, 2, false, 0.7);
    expect(renderMarkdown({ ...fixture, targets: { ...fixture.targets, parleyVsUws: { target: 0.7, value: 0.52, met: false, bound: cheap } } })).not.toContain('out of reach');
    const vsNode = machineBound(parley, row('ham', 'node-http', 35_000, 5), 2, false, 1.4);
    expect(vsNode).toMatchObject({ maxReqPerSec: 42_918, maxVsBaseline: 1.23 });
    expect(renderMarkdown({ ...fixture, targets: { ...fixture.targets, parleyVsNodeHttp: { target: 1.4, value: 0.9, met: false, bound: vsNode } } })).toContain("= 1.23× node:http's rate here; 1.4× would need Parley at ≤ 26.6 µs");
  });

  it('merged slices carry the load client\'s CPU only when every slice measured it', () => {
    const s = (clientCpuUs?: number): LoadResult => ({ client: 'wrk', mode: 'peak', connections: 64, durationS: 4, requests: 100, reqPerSec: 25, latencyMs: { p50: 1, p90: 1, p99: 1, p999: 1, max: 1, mean: 1 }, statusCounts: {}, socketErrors: 0, ...(clientCpuUs === undefined ? {} : { clientCpuUs }) });
    expect(mergeSlices([s(1000), s(3000)]).merged.clientCpuUs).toBe(4000);
    expect(mergeSlices([s(1000), s()]).merged.clientCpuUs).toBeUndefined();
  });

  it('alternating fixed-rate slices merge into one row: counts summed, percentiles the median, max the max', () => {
    const slice = (requests: number, p99: number, max: number, statuses: Record<string, number>): LoadResult => ({
      client: 'node', mode: 'fixed-rate', connections: 64, durationS: 5, requests, reqPerSec: requests / 5,
      latencyMs: { p50: p99 / 10, p90: p99 / 2, p99, p999: p99 * 2, max, mean: p99 / 5 }, statusCounts: statuses, socketErrors: 1, targetRate: 1000,
    });
    const { merged, p99SlicesMs } = mergeSlices([slice(5000, 40, 50, { '200': 5000 }), slice(5000, 3, 8, { '200': 4999, '503': 1 }), slice(4990, 4, 200, { '200': 4990 })]);
    expect(p99SlicesMs).toEqual([40, 3, 4]);
    expect(merged).toMatchObject({ durationS: 15, requests: 14990, reqPerSec: 999, socketErrors: 3, targetRate: 1000, statusCounts: { '200': 14989, '503': 1 } });
    // one disturbed slice (40 ms) does not decide the tail; the worst single request still shows in max
    expect(merged.latencyMs).toMatchObject({ p99: 4, p50: 0.4, max: 200 });
    expect(mergeSlices([slice(10, 2, 3, {}), slice(10, 6, 7, {})]).merged.latencyMs.p99).toBe(4);
    expect(() => mergeSlices([])).toThrow(/no slices/);
  });

  it('a ratio between two servers is the median of per-round ratios, each taken within its round', () => {
    // the machine slowed by half in round 2: both servers dropped, their ratio did not
    const r = pairedRatio([30_000, 15_000, 31_000], [60_000, 30_000, 50_000]);
    expect(r).toEqual({ ratio: 0.5, rounds: [0.5, 0.5, 0.62] });
    // the plain ratio of totals would mix rounds: (76k / 140k) = 0.54
    expect(pairedRatio([1, 2], [1])).toBeNull();
    expect(pairedRatio(undefined, [1])).toBeNull();
    expect(pairedRatio([1], [0])).toBeNull();
    expect(mergeSlices([{ client: 'wrk', mode: 'peak', connections: 64, durationS: 4, requests: 8, reqPerSec: 2, latencyMs: { p50: 1, p90: 1, p99: 1, p999: 1, max: 1, mean: 1 }, statusCounts: {}, socketErrors: 0 }]).reqPerSecSlices).toEqual([2]);
  });

  it('machine-speed note: the probe spread across server runs, with a warning past 15 %', () => {
    expect(machineSpeedNote([{ run: 'ham/parley', probeMs: 12 }])).toBeNull();
    const calm = machineSpeedNote([{ run: 'ham/parley', probeMs: 12 }, { run: 'ham/uws', probeMs: 12.6 }, { run: 'ham/node-http', probeMs: 11.8 }]);
    expect(calm).toContain('11.8 ms (before ham/node-http) to 12.6 ms (before ham/uws), a 7 % spread.');
    const noisy = machineSpeedNote([{ run: 'ham/parley', probeMs: 12 }, { run: 'ham/uws', probeMs: 18 }]);
    expect(noisy).toContain('a 50 % spread — the machine ran at different speeds during the run');
  });
});

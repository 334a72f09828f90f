// Turns one BenchReport into bench/results/latest.{json,md,svg} and the README's benchmark section.
// Everything here is a pure function of the report except writeReport(), so it is unit-tested
// against a fixture (test/bench-harness.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { BenchReport, ResultRow, Targets } from './types.ts';
import { describeHandOff } from './handoff.ts';
import { describeAdversarial } from './adversarial.ts';
import { renderSvg } from './chart.ts';

export { renderSvg };

const SERVER_LABEL = { parley: 'Parley', 'parley-nojournal': 'Parley without journal', uws: 'bare uWS', 'node-http': 'node:http' } as const;

/** The server the run measured as Parley: `parley-nojournal` in a `--no-journal` run (targets.ts) */
const underTest = (r: BenchReport): 'parley' | 'parley-nojournal' => (r.params.journal === false ? 'parley-nojournal' : 'parley');

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

const fmtInt = (n: number | null): string => (n === null ? '–' : Math.round(n).toLocaleString('en-US'));
const fmtMs = (n: number | null): string => (n === null ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const fmtRatio = (n: number | null): string => (n === null ? 'n/a' : `${n.toFixed(2)}×`);
const mark = (met: boolean | null): string => (met === null ? 'not measured' : met ? 'met' : 'not met');

export function renderJson(r: BenchReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

function statusSummary(row: ResultRow): string {
  const parts = Object.entries(row.statusCounts)
    .filter(([k, v]) => v > 0 || k === 'non2xx')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k === 'non2xx' ? 'non-2xx' : k}: ${fmtInt(v)}`);
  if (row.socketErrors > 0) parts.push(`socket errors: ${fmtInt(row.socketErrors)}`);
  return parts.join(', ') || '–';
}

/** The markdown table + context; also the body of the README section. */
export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`### System benchmark (${r.generatedAt})`, '');
  out.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.totalMemMb} MB RAM, Node ${m.node}, ${m.os}. ` +
      `Load client: ${m.loadClient}. uWebSockets.js native: ${m.uwsNative ? 'yes' : 'NO (JS fallback)'}. ` +
      (m.placement ? `Server, load client and WS receivers run on this machine over loopback: ${m.placement}.` : 'Server, load client and WS receivers share this machine over loopback.') +
      (m.handOff ? ' ' + describeHandOff(m.handOff) : ''),
    '',
  );
  out.push('Parameters: ' + Object.entries(r.params).map(([k, v]) => `\`${k}=${String(v)}\``).join(', '), '');
  // a run of idle alone (or one where every load run was unavailable) has no table and no ratios
  if (r.results.length === 0) out.push('No load run in this report: nothing to tabulate (see below).', '');
  else {
    out.push('| scenario | server | mode | req/s | p50 ms | p90 ms | p99 ms | max ms | statuses | server CPU % | CPU µs/req | server RSS MB | WS msgs/s |');
    out.push('|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|');
  }
  for (const row of r.results) {
    const mode = row.mode === 'fixed-rate' ? `fixed ${fmtInt(row.targetRate)}/s` : 'peak';
    out.push(
      `| ${row.scenario} | ${row.server} | ${mode} | ${fmtInt(row.reqPerSec)} | ${fmtMs(row.p50Ms)} | ${fmtMs(row.p90Ms)} | ${fmtMs(row.p99Ms)} | ` +
        `${fmtMs(row.maxMs)} | ${statusSummary(row)} | ${row.cpuPct === null ? '–' : row.cpuPct.toFixed(0)} | ${row.cpuUsPerReq === null ? '–' : row.cpuUsPerReq.toFixed(1)} | ` +
        `${row.rssPeakMb === null ? '–' : row.rssPeakMb.toFixed(0)} | ${row.wsDeliveredPerSec === null ? '–' : fmtInt(row.wsDeliveredPerSec)} |`,
    );
  }
  if (r.results.length > 0) out.push('');
  const sut = underTest(r);
  const P = SERVER_LABEL[sut];
  /** the server under test and its two baselines, in the order the report names them */
  const COMPARED = [sut, 'uws', 'node-http'] as const;
  const peakRow = (server: string): ResultRow | undefined => r.results.find((x) => x.scenario === 'ham' && x.server === server && x.mode !== 'fixed-rate');
  const hamRan = COMPARED.some((server) => peakRow(server) !== undefined);
  if (hamRan) out.push(`Ratios (ham, peak): ${P} ÷ uWS = **${fmtRatio(r.ratios.parleyVsUws)}**, ${P} ÷ node:http = **${fmtRatio(r.ratios.parleyVsNodeHttp)}**.`, '');
  const rr = r.ratioRounds;
  if (rr && rr.parleyVsUws.length > 1) {
    const list = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(' / ');
    out.push(
      `Per round (each ratio above is their median): ${P} ÷ uWS ${list(rr.parleyVsUws)}; ${P} ÷ node:http ${list(rr.parleyVsNodeHttp)}` +
        (rr.journalOnVsOff.length ? `; journal on ÷ off ${list(rr.journalOnVsOff)}` : '') + '.',
      '',
    );
  }
  // the figures the headline is computed from, so a reader can reproduce it from this page
  const rounds = [...new Set(r.results.map((x) => x.scenario))].flatMap((scenario) => {
    const rows = r.results.filter((x) => x.scenario === scenario && x.mode === 'peak' && x.reqPerSecSlices?.length);
    return rows.length ? [`${scenario}: ${rows.map((x) => `${x.server} ${x.reqPerSecSlices!.map(fmtInt).join(' / ')}`).join(', ')}`] : [];
  });
  if (rounds.length) {
    out.push(
      `Per-round req/s (peak, in round order): ${rounds.join('; ')}.` +
        (hamRan ? " Each headline ratio is the median of the per-round ratios (each round's req/s ÷ the other server's in the same round), not the ratio of the table's req/s (all rounds' requests ÷ their duration)." : ''),
      '',
    );
  }
  const cpu = (server: string): string => {
    const row = peakRow(server);
    return row?.cpuUsPerReq == null ? 'n/a' : `${row.cpuUsPerReq.toFixed(1)} µs`;
  };
  if (hamRan) out.push(
    `Server CPU per request (ham, peak; all threads, kernel time included — less sensitive to other load on the machine than req/s): ` +
      COMPARED.map((server) => `${SERVER_LABEL[server]} ${cpu(server)}`).join(', ') +
      (sut === 'parley' && r.results.some((x) => x.server === 'parley-nojournal') ? `, Parley without journal ${cpu('parley-nojournal')}` : '') +
      (peakRow(sut)?.clientUsPerReq != null
        ? `; the load client itself (${r.machine.loadClient.split(' ')[0]}, all its threads) ${COMPARED.map((server) => `${peakRow(server)?.clientUsPerReq?.toFixed(1) ?? 'n/a'} µs against ${SERVER_LABEL[server]}`).join(', ')}`
        : '') +
      (COMPARED.every((server) => peakRow(server)?.cpuUsPerReq == null) && r.results.some((x) => x.mode === 'peak' && x.loadClient === 'node')
        ? " (n/a: computed for wrk runs only — the Node client's process start-up falls inside the server's CPU sampling window and would dilute it)"
        : '') + '.',
    '',
  );
  const split = COMPARED.map((server) => {
    const row = peakRow(server);
    if (row?.mainThreadUsPerReq == null || row.machineIdlePct == null) return null;
    const sched = row.mainThreadRunqPct == null || row.mainThreadSlicesPerSec == null ? ''
      : ` (put on a core ${fmtInt(row.mainThreadSlicesPerSec)} times/s, runnable but waiting for a core ${row.mainThreadRunqPct.toFixed(0)} % of the time)`;
    return `${SERVER_LABEL[server]} ${row.mainThreadUsPerReq.toFixed(1)} µs on its main thread${sched}, ${row.machineIdlePct.toFixed(0)} % idle`;
  });
  if (split.every((x) => x !== null)) {
    out.push(
      `Where it waits (ham, peak; main-thread CPU per request, and the share of all cores idle with the load client running): ${split.join('; ')}. ` +
        'An idle core at peak is time every busy thread spent waiting on another — on the load client, and in Parley on the hand-offs HTTP thread → shard → HTTP thread — rather than on CPU. ' +
          'Time runnable but waiting for a core is contention (Parley: load client, HTTP thread and shard are three busy threads on the cores) or, on a VM, the wait for a halted vCPU to wake (see the hand-off line above).',
      '',
    );
  }
  const hop = r.ratios.hopVsUws;
  const work = r.ratios.parleyVsHop;
  if (hop != null && work != null) {
    // bare uWS short of its core: its rate was not its own, so neither ratio prices the hop or the work
    const unsaturated = r.targets.parleyVsUws.caveat;
    out.push(
      `Where the gap to bare uWS is (ham, peak, same run): bare uWS with Parley's thread hop and no work — the same handler handing each request to one worker thread through Parley's ` +
        `batched MessagePort transport and answering when it comes back (\`bench/system/baselines/uws-hop.ts\`, CPU ${cpu('uws-hop')} per request) — ÷ bare uWS = **${fmtRatio(hop)}**` +
        (unsaturated ? '; '
          // the same handler plus a hop cannot beat the handler alone: over 1× is the rounds' noise
          : hop > 1 ? ': over 1×, faster than bare uWS, which the same handler plus a thread hop cannot be — within the noise between rounds (see the per-round figures), so read neither ratio as a price; '
          : ': what the hop costs by itself; ') +
        `${P} ÷ that = **${fmtRatio(work)}**` +
        (unsaturated ? '' : ": what Parley's per-message work costs (session and engagement lookup, Tier-1, the journal's group commit, the engagement actor, its answer)") +
        (rr?.hopVsUws?.length && rr.parleyVsHop?.length ? ` (per round: ${rr.hopVsUws.map((x) => x.toFixed(2)).join(' / ')}; ${rr.parleyVsHop.map((x) => x.toFixed(2)).join(' / ')})` : '') +
        (unsaturated ? `. No verdict on the split: ${unsaturated}.` : '.'),
      '',
    );
  }
  if (r.ratios.journalOnVsOff !== undefined && r.ratios.journalOnVsOff !== null) {
    out.push(`Journal cost (ham, peak, same run): Parley with the journal ÷ Parley with \`PARLEY_JOURNAL=off\` = **${fmtRatio(r.ratios.journalOnVsOff)}**.`, '');
  }
  const t = r.targets;
  out.push('Targets (reported, not asserted):', '');
  const verdict = (x: Targets['parleyVsUws']): string => (x.caveat ? `no verdict: ${x.caveat}` : mark(x.met));
  const bound = (x: Targets['parleyVsUws'], label: string): string => {
    const b = x.bound;
    if (!b) return '';
    return `. Machine bound: with the load client on the same ${b.cores} cores, Parley can answer at most ${b.cores} ÷ (${b.serverUsPerReq.toFixed(1)} + ${b.clientUsPerReq.toFixed(1)} µs) = ` +
      `${fmtInt(b.maxReqPerSec)} req/s even with no core ever idle = ${b.maxVsBaseline.toFixed(2)}× ${label}'s rate here; ${x.target}× would need Parley at ≤ ${b.neededUsPerReq.toFixed(1)} µs of CPU per request` +
      (b.neededUsPerReq < b.serverUsPerReq ? ' — out of reach on this machine at this CPU cost, whatever the overlap of its threads' : '');
  };
  out.push(`- Parley ≥ ${t.parleyVsUws.target}× bare uWS: ${fmtRatio(t.parleyVsUws.value)} — ${verdict(t.parleyVsUws)}${bound(t.parleyVsUws, 'bare uWS')}`);
  out.push(`- Parley ≥ ${t.parleyVsNodeHttp.target}× node:http: ${fmtRatio(t.parleyVsNodeHttp.value)} — ${verdict(t.parleyVsNodeHttp)}${bound(t.parleyVsNodeHttp, 'node:http')}`);
  const halfPeakVerdict = t.p99AtHalfPeakMs.caveat ? `no verdict: ${t.p99AtHalfPeakMs.caveat}` : mark(t.p99AtHalfPeakMs.met);
  out.push(
    `- p99 < ${t.p99AtHalfPeakMs.target} ms at 50 % of peak` +
      (t.p99AtHalfPeakMs.rate === null ? '' : ` (${fmtInt(t.p99AtHalfPeakMs.rate)} req/s, ${t.p99AtHalfPeakMs.client ?? ''})`) +
      `: ${t.p99AtHalfPeakMs.value === null ? 'n/a' : `${fmtMs(t.p99AtHalfPeakMs.value)} ms`} — ${halfPeakVerdict}` +
      halfPeakFloors(r.results),
  );
  out.push('');
  const sliced = r.results.filter((x) => x.mode === 'fixed-rate' && x.p99SlicesMs && x.p99SlicesMs.length > 0);
  if (sliced.length) {
    out.push(
      'p99 of each alternating 50 %-of-peak slice, in run order (the table shows their median): ' +
        sliced.map((x) => `${x.server} ${(x.p99SlicesMs ?? []).map((p) => fmtMs(p)).join(' / ')} ms`).join('; ') + '.',
      '',
    );
  }
  const advRow = r.results.find((x) => x.scenario === 'adversarial' && x.server === sut);
  if (r.adversarial && advRow) out.push(describeAdversarial(r.adversarial, advRow.requests, (advRow.statusCounts['409'] ?? 0) + (advRow.statusCounts['403'] ?? 0), advRow.tier1 ?? null), '');
  if (r.idle) {
    const i = r.idle;
    out.push(
      `Idle engagements: ${fmtInt(i.engagements)} live in one process (${fmtInt(i.failed)} failed), created at ${fmtInt(i.createdPerSec)}/s by ` +
        `${i.clientProcesses} client process(es); RSS ${i.rssBeforeMb.toFixed(0)} → ${i.rssAfterMb.toFixed(0)} MB = ` +
        `**${fmtInt(i.bytesPerEngagement)} bytes per engagement**.` +
        (i.restartSeconds !== null ? ` After kill -9 with them all open, the server started again on its data dir was ready (\`/readyz\` 200: every shard replayed its journal) in **${i.restartSeconds.toFixed(1)} s**.` : ''),
      '',
    );
  }
  if (r.unavailable.length) {
    out.push('Not measured:', '');
    for (const u of r.unavailable) out.push(`- ${u.scenario} / ${u.server}: ${u.reason}`);
    out.push('');
  }
  if (r.notes.length) {
    out.push('Notes:', '');
    for (const n of r.notes) out.push(`- ${n}`);
    out.push('');
  }
  out.push(
    'Run it: `npm run bench` (flags: `--duration <s> --rounds <n> --fixed-slices <n> --connections <n> --engagements <n> --shards <n> --scenario ham|adversarial|idle|fanout|chat|all --no-journal --no-message-ids --client-cores <n>` — the last puts the load client on its own CPUs, servers on the rest). ' +
      'Load comes from [wrk](https://github.com/wg/wrk) when installed — `apt-get install wrk` (Debian/Ubuntu), `brew install wrk` (macOS) — ' +
      'otherwise from Node client processes. Results: `bench/results/latest.{json,md,svg}` (`-- --help` lists every flag).',
  );
  return out.join('\n') + '\n';
}

/** The baselines' p99 at the same fixed rate as Parley's: what the client and machine add, and what the hop adds on top. */
function halfPeakFloors(rows: readonly ResultRow[]): string {
  const p99 = (server: string): number | undefined => rows.find((x) => x.scenario === 'ham' && x.mode === 'fixed-rate' && x.server === server)?.p99Ms;
  const uws = p99('uws');
  const hop = p99('uws-hop');
  const parts = [
    ...(uws === undefined ? [] : [`bare uWS ${fmtMs(uws)} ms (the client and the machine)`]),
    ...(hop === undefined ? [] : [`bare uWS with Parley's thread hop and no work ${fmtMs(hop)} ms (that plus the hop)`]),
  ];
  return parts.length ? `; at the same rate ${parts.join(', ')}` : '';
}

/** Replaces the text between the bench markers; null when the markers are missing. */
export function replaceReadmeSection(readme: string, section: string): string | null {
  const a = readme.indexOf(README_START);
  const b = readme.indexOf(README_END);
  if (a < 0 || b < 0 || b < a) return null;
  return readme.slice(0, a + README_START.length) + '\n' + section.trimEnd() + '\n' + readme.slice(b);
}

export type ReadmeOutcome = 'updated' | 'missing' | 'no-markers' | 'incomplete' | 'not-full-set';

/** latest.*: the last complete run; latest-incomplete.*: the last run that missed Parley somewhere (outcome.ts) */
export const LATEST = 'latest';
export const INCOMPLETE = 'latest-incomplete';

/**
 * A complete run (Parley measured in every scenario it asked for) replaces latest.{json,md,svg}
 * (and drops a stale latest-incomplete.*) and the README section; an incomplete one writes
 * latest-incomplete.{json,md,svg} only, so neither the committed figures nor a script reading
 * latest.json ever get a run in which Parley was not measured. The README's section is the
 * committed full run: only a complete run of every scenario (`fullSet`) replaces it, never a probe
 * of one scenario.
 */
export function writeReport(r: BenchReport, resultsDir: string, readmePath: string, run: { complete: boolean; fullSet: boolean }): { files: string[]; readme: ReadmeOutcome } {
  const { complete } = run;
  fs.mkdirSync(resultsDir, { recursive: true });
  const md = renderMarkdown(r);
  const named = (base: string): string[] => ['json', 'md', 'svg'].map((ext) => path.join(resultsDir, `${base}.${ext}`));
  const files = named(complete ? LATEST : INCOMPLETE);
  fs.writeFileSync(files[0]!, renderJson(r));
  fs.writeFileSync(files[1]!, md);
  fs.writeFileSync(files[2]!, renderSvg(r));
  if (!complete) return { files, readme: 'incomplete' };
  for (const stale of named(INCOMPLETE)) fs.rmSync(stale, { force: true });
  if (!run.fullSet) return { files, readme: 'not-full-set' };
  if (!fs.existsSync(readmePath)) return { files, readme: 'missing' };
  const next = replaceReadmeSection(fs.readFileSync(readmePath, 'utf8'), md);
  if (next === null) return { files, readme: 'no-markers' };
  fs.writeFileSync(readmePath, next);
  return { files, readme: 'updated' };
}

/**
 * The fixed CPU probe timed before each round of peak runs (proc.ts cpuProbeMs): how much faster
 * the fastest condition was than the slowest. A wide spread means the machine's speed moved during
 * the run; the rounds alternate the servers so each ratio is taken within a round, and the
 * per-round ratios show how far the movement still reached them.
 */
export function machineSpeedNote(entries: ReadonlyArray<{ run: string; probeMs: number }>): string | null {
  if (entries.length < 2) return null;
  let lo = entries[0]!;
  let hi = entries[0]!;
  for (const e of entries) {
    if (e.probeMs < lo.probeMs) lo = e;
    if (e.probeMs > hi.probeMs) hi = e;
  }
  const spreadPct = Math.round(((hi.probeMs - lo.probeMs) / lo.probeMs) * 100);
  return (
    `Machine speed (a fixed single-threaded CPU probe timed right before each round of peak runs; a shared VM's host load shows here even when the guest looks idle): ` +
    `${lo.probeMs} ms (before ${lo.run}) to ${hi.probeMs} ms (before ${hi.run}), a ${spreadPct} % spread` +
    (spreadPct > 15 ? ' — the machine ran at different speeds during the run: compare figures within a round (the per-round ratios), not across rounds or runs.' : '.')
  );
}

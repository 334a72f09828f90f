// `npm run bench` — the system benchmark. Parley and two baselines (bare uWS, node:http), each its
// own process, under the same load client on the same machine; see bench/results/latest.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { hamTexts, adversarialTexts, renderTextsFile } from './plan.ts';
import { wrkVersion } from './wrk.ts';
import { describeMachine } from './machine.ts';
import { measureHandOff } from './handoff.ts';
import { OTHER_LOAD_PCT, type LoadSetup } from './saturation.ts';
import { chatScenario, fanoutScenario, idleScenario, postScenario } from './scenarios.ts';
import { allowedCpus, describePlacement, hasTaskset, pinSelf, splitCpus, type Placement } from './affinity.ts';
import type { Ctx, ScenarioOutput } from './scenarios.ts';
import { BENCH_ADV_TIER1, ROOT, inheritedServerSettings, makeTmpRoot, parleyCommand } from './servers.ts';
import { adversarialLife } from './adversarial-senders.ts';
import { machineSpeedNote, writeReport } from './report.ts';
import { joinNegativeValues, shardsProblem, writableTarget, wrkThreadsProblem } from './flag-checks.ts';
import { BENCH_SCENARIOS, readmeRefusal, unmeasured, unmeasuredLine, type Scenario } from './outcome.ts';
import { sliceSeconds } from './slices.ts';
import { idleTargetNote, plural, relevantNotes, relevantParams, type TaggedNote } from './relevance.ts';
import { headline, labelUnderTest, serverUnderTest } from './targets.ts';
import { SMS_DATASET } from '../sms-dataset.ts';
import { LOG_LEVELS } from '../../src/config/server.ts';
import type { BenchReport, ResultRow } from './types.ts';
import { stopChildrenOnExit } from './children.ts';

const SCENARIOS = BENCH_SCENARIOS;

/** parseArgs throws on an unknown flag or a missing value: one line and exit 2, as for a bad value below, not a stack */
function flags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)} (npm run bench -- --help lists the flags)`);
    process.exit(2);
  }
}

const OPTIONS = {
  duration: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '5' },
  'fixed-slices': { type: 'string', default: '3' },
  rounds: { type: 'string', default: '3' },
  connections: { type: 'string', default: '64' },
  engagements: { type: 'string', default: '2000' },
  'idle-engagements': { type: 'string', default: '100000' },
  'idle-timeout': { type: 'string', default: '180' },
  shards: { type: 'string' },
  scenario: { type: 'string', default: 'all' },
  'no-journal': { type: 'boolean', default: false },
  'no-message-ids': { type: 'boolean', default: false },
  'parley-entry': { type: 'string' },
  client: { type: 'string', default: 'auto' },
  'wrk-threads': { type: 'string', default: '1' },
  'client-procs': { type: 'string' },
  'setup-procs': { type: 'string', default: '2' },
  'ws-receivers': { type: 'string', default: '200' },
  'fanout-engagements': { type: 'string', default: '50' },
  'fanout-copies': { type: 'string', default: '20' },
  'chat-engagements': { type: 'string', default: '50' },
  'log-level': { type: 'string', default: 'warn' },
  'client-cores': { type: 'string', default: '0' },
  dataset: { type: 'string', default: SMS_DATASET },
  'results-dir': { type: 'string', default: path.join(ROOT, 'bench', 'results') },
  readme: { type: 'string', default: path.join(ROOT, 'README.md') },
  help: { type: 'boolean', default: false },
} as const;
// `--connections -5`: parseArgs reads -5 as an option and throws a three-line 'ambiguous' error;
// joined as `--connections=-5` it gets the one-line refusal every bad value gets
const { values: v } = flags(() => parseArgs({ args: joinNegativeValues(process.argv.slice(2), OPTIONS), options: OPTIONS, strict: true }));

if (v.help) {
  console.log(
    'npm run bench -- [--duration 10] [--warmup 5] [--rounds 3] [--fixed-slices 3] [--connections 64] [--engagements 2000] [--idle-engagements 100000]\n' +
      '  [--shards N] [--scenario all|ham,adversarial,idle,fanout,chat] [--no-journal] [--no-message-ids] [--client auto|wrk|node]\n' +
      '  [--wrk-threads 1] [--client-procs N] [--setup-procs 2] [--ws-receivers 200] [--fanout-engagements 50] [--fanout-copies 20] [--chat-engagements 50]\n' +
      '  [--client-cores N]   load client on the last N CPUs, servers on the rest (Linux, taskset; default 0: shared)\n' +
      '  [--parley-entry PATH] measure another build of Parley (its dist/main.js) instead of this tree\'s\n' +
      `  [--log-level warn] Parley's PARLEY_LOG_LEVEL (${LOG_LEVELS.join('|')})   [--dataset PATH] the SMS Spam Collection TSV\n` +
      '  [--idle-timeout 180] seconds the idle scenario may spend creating its engagements\n' +
      '  [--results-dir DIR]  where latest.{json,md,svg} go (default bench/results); a run that missed Parley writes latest-incomplete.* there and exits 1\n' +
      '  [--readme FILE]      the README whose bench section a complete run of every scenario regenerates (default README.md); other runs leave it alone\n' +
      'Every flag is checked before anything runs: a bad one is one line and exit 2.',
  );
  process.exit(0);
}

/** One line naming the flag, exit 2. Every flag is checked before the build or any temp file. */
function refuse(msg: string): never {
  console.error(msg);
  process.exit(2);
}

function int(name: string, raw: string | undefined, min: number): number {
  // decimal digits only: Number() would also take 0x10, 1e2 and ' 8 '
  const n = raw !== undefined && /^[0-9]{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min) refuse(`--${name}: expected an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

const scenarios: Scenario[] =
  v.scenario === 'all'
    ? [...SCENARIOS]
    : (v.scenario ?? '').split(',').map((s, i, all) => {
        if (!(SCENARIOS as readonly string[]).includes(s)) refuse(`--scenario: unknown ${JSON.stringify(s)} (expected ${SCENARIOS.join(', ')} or all)`);
        // run twice, it would report two rows each and regenerate the README with both
        if (all.indexOf(s) !== i) refuse(`--scenario: ${JSON.stringify(s)} given twice`);
        return s as Scenario;
      });

// --client-cores: decide the placement now; the bench pins itself (and so every client it starts)
// after the machine line is measured, on all CPUs
const clientCores = int('client-cores', v['client-cores'], 0);
let placement: Placement | null = null;
if (clientCores > 0) {
  const cpus = allowedCpus();
  if (cpus === null || !hasTaskset()) {
    console.error('--client-cores needs Linux /proc and util-linux taskset');
    process.exit(2);
  }
  try {
    placement = splitCpus(cpus, clientCores);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}

const CLIENTS = ['auto', 'wrk', 'node'];
if (!CLIENTS.includes(v.client ?? '')) refuse(`--client: expected auto, wrk or node, got ${JSON.stringify(v.client)}`);
const logLevel = v['log-level'] ?? 'warn';
if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) refuse(`--log-level: expected ${LOG_LEVELS.slice(0, -1).join(', ')} or ${LOG_LEVELS.at(-1)}, got ${JSON.stringify(logLevel)}`);
const wrk = wrkVersion();
if (v.client === 'wrk' && !wrk) refuse('--client wrk: wrk is not installed (apt-get install wrk)');
const client: 'wrk' | 'node' = v.client === 'node' || !wrk ? 'node' : 'wrk';
const cores = os.availableParallelism();
const clientProcs = v['client-procs'] ? int('client-procs', v['client-procs'], 1) : Math.max(1, Math.floor((placement ? placement.client.length : cores) / 2));
const wrkThreads = int('wrk-threads', v['wrk-threads'], 1);
const loadClient =
  client === 'wrk'
    ? `wrk ${wrk} (${wrkThreads} thread(s); its Lua sends each request as the next session in turn, on whichever connection is free — sessions are not tied to connections)`
    : `Node raw-socket client, ${clientProcs} process(es)${wrk ? '' : ' — wrk not installed'}`;

const shards = v.shards === undefined ? null : int('shards', v.shards, 1);
if (shards !== null) {
  const problem = shardsProblem(shards, cores);
  if (problem) refuse(problem);
}
const limits = {
  durationS: int('duration', v.duration, 1),
  fixedSlices: int('fixed-slices', v['fixed-slices'], 1),
  rounds: int('rounds', v.rounds, 1),
  warmupS: int('warmup', v.warmup, 0),
  connections: int('connections', v.connections, 1),
  engagements: int('engagements', v.engagements, 1),
  idleEngagements: int('idle-engagements', v['idle-engagements'], 1),
  idleTimeoutS: int('idle-timeout', v['idle-timeout'], 1),
  wsReceivers: int('ws-receivers', v['ws-receivers'], 0),
  fanoutEngagements: int('fanout-engagements', v['fanout-engagements'], 1),
  fanoutCopies: int('fanout-copies', v['fanout-copies'], 1),
  chatEngagements: int('chat-engagements', v['chat-engagements'], 1),
  setupProcs: int('setup-procs', v['setup-procs'], 1),
};
if (client === 'wrk') {
  const problem = wrkThreadsProblem(wrkThreads, limits.connections);
  if (problem) refuse(problem);
}
const parleyEntry = v['parley-entry'] === undefined ? null : path.resolve(v['parley-entry']);
if (parleyEntry !== null && !fs.existsSync(parleyEntry)) {
  refuse(`--parley-entry: no such file ${JSON.stringify(parleyEntry)} (a build's dist/main.js: npm run build in that tree)`);
}
if (!fs.existsSync(v.dataset!)) refuse(`dataset not found: ${v.dataset} (see ../shared/datasets/README.md)`);
// where the report goes, checked now: before, a bad --results-dir was found by the last write of the run
for (const problem of [writableTarget('results-dir', v['results-dir']!, 'dir'), writableTarget('readme', v.readme!, 'file')]) if (problem) refuse(problem);

// every flag checked: now the side effects. Measure the production build of the current tree
// (a stale dist/ would measure old code).
const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
if (build.status !== 0) {
  console.error(`npm run build failed:\n${build.stderr}`);
  process.exit(2);
}

const tmpRoot = makeTmpRoot();
stopChildrenOnExit(tmpRoot);
const t0 = Date.now();
const log = (msg: string): void => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);

const ham = hamTexts(fs.readFileSync(v.dataset!, 'utf8'));
const hamFile = path.join(tmpRoot, 'ham.txt');
const advFile = path.join(tmpRoot, 'adversarial.txt');
fs.writeFileSync(hamFile, renderTextsFile(ham.texts));
fs.writeFileSync(advFile, renderTextsFile(adversarialTexts()));

/** what each started Parley reported on /readyz: the report records the count that ran */
const shardsUsed = new Set<number>();
const ctx: Ctx = {
  ...limits,
  client,
  messageIds: !v['no-message-ids'],
  wrkThreads,
  clientProcs,
  parley: { shards, journal: !v['no-journal'], logLevel, tmpRoot, cpus: placement?.server ?? null, entry: parleyEntry, sawShards: (n) => shardsUsed.add(n) },
  hamFile,
  advFile,
  tmpRoot,
  background: [],
  log,
};
if (scenarios.includes('adversarial')) {
  // posts per adversarial sender: as many as the screen takes to end one (adversarial.ts)
  const texts = adversarialTexts();
  ctx.adversarial = { life: await adversarialLife(texts, BENCH_ADV_TIER1), texts: texts.length };
}

const machine = describeMachine(loadClient, await measureHandOff(), placement ? describePlacement(placement, clientCores) : null);
if (placement) pinSelf(placement.client);
// the rounds and slices as they will run: a minimum can make them longer than --duration asked
const slices = sliceSeconds(ctx.durationS, ctx.rounds, { peak: scenarios.includes('ham') || scenarios.includes('adversarial'), halfPeak: scenarios.includes('ham') });
const params: Record<string, string | number | boolean> = relevantParams({
  scenarios: scenarios.join(','),
  durationS: ctx.durationS,
  peakRoundS: slices.peakRoundS,
  fixedSliceS: slices.fixedSliceS,
  warmupS: ctx.warmupS,
  rounds: ctx.rounds,
  fixedSlices: ctx.fixedSlices,
  connections: ctx.connections,
  engagements: ctx.engagements,
  idleEngagements: ctx.idleEngagements,
  idleTimeoutS: ctx.idleTimeoutS,
  shards: shards ?? 'server default',
  journal: ctx.parley.journal,
  messageIds: ctx.messageIds,
  parleyEntry: parleyCommand(parleyEntry).entry,
  parleyLogLevel: ctx.parley.logLevel,
  loadClient: client,
  wrkThreads,
  clientProcs,
  setupProcs: ctx.setupProcs,
  wsReceivers: ctx.wsReceivers,
  fanoutEngagements: ctx.fanoutEngagements,
  fanoutCopies: ctx.fanoutCopies,
  chatEngagements: ctx.chatEngagements,
  clientCores,
  hamTexts: ham.texts.length,
}, scenarios);
log(`machine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; load: ${loadClient}; thread hand-off ${machine.handOff?.rttUs} µs round trip`);
log(`params: ${JSON.stringify(params)}`);
if (slices.raised) log(slices.raised);
const ignoredEnv = inheritedServerSettings(process.env);
if (ignoredEnv.length) log(`not passed on to the servers under test (the bench sets their configuration): ${ignoredEnv.join(', ')}`);
if (!machine.uwsNative) log('WARNING: uWebSockets.js native binary not loaded — the uws baseline will not start');

const outputs: ScenarioOutput[] = [];
for (const s of scenarios) {
  if (s === 'ham' || s === 'adversarial') outputs.push(await postScenario(ctx, s));
  else if (s === 'idle') outputs.push(await idleScenario(ctx));
  else if (s === 'fanout') outputs.push(await fanoutScenario(ctx));
  else outputs.push(await chatScenario(ctx));
}

// asked for (or the server's default) and what the servers said they ran
params.shardsUsed = shardsUsed.size ? [...shardsUsed].sort((a, b) => a - b).join(',') : 'not read';
const journal = ctx.parley.journal;
const sut = serverUnderTest(journal);
const results: ResultRow[] = labelUnderTest(outputs.flatMap((o) => o.rows), journal);
// the advice fits the client that ran, and names other load when the run measured it
const hamBusy = ctx.background.filter((b) => b.run.startsWith('ham/')).map((b) => b.busyPct);
const loadSetup: LoadSetup = { client, wrkInstalled: wrk !== null, wrkThreads, clientProcs, clientCores, otherLoadPct: hamBusy.length ? Math.max(...hamBusy) : null };
const judged = headline({ results, journal, cores, ownClientCores: clientCores > 0, loadSetup });

const tagged: TaggedNote[] = [
  [['ham', 'adversarial', 'fanout', 'chat'], `Messages: SMS Spam Collection ham set (${ham.total} rows, ${ham.unique} unique), minus ${ham.droppedContactPayload} texts carrying a contact payload or something the screen reads as a URL (URL, e-mail, @handle, phone-like number, word.word): reused by many synthetic senders they would form a cross-conversation campaign signal and URL strikes; ${ham.texts.length} texts, mean ${ham.meanChars.toFixed(0)} characters. Each sender walks through distinct texts.${ctx.messageIds ? ' Each post carries a `messageId` of its own (~20 characters, never repeated within or across runs), as chat fronts send them (spec §3.4; the contract checks\' clients do): Parley checks it against the sender\'s earlier ids, journals it and echoes it; the baselines parse it with the rest of the body. `--no-message-ids` leaves it out.' : ' Posts carry no `messageId` (`--no-message-ids`).'}`],
  [['ham', 'idle', 'fanout', 'chat'], 'Tenant `bench` (ham, idle, fanout, chat) turns off only RATE_BURST, DUP_EXACT and DUP_NEAR — per-sender rules any closed-loop load generator trips by construction; every other Tier-1 rule stays on at its default.'],
  [['adversarial'], 'Tenant `benchadv` (adversarial) turns off only RATE_BURST; every 10th request comes from an adversarial sender posting floods (emoji, symbols, char runs, zalgo, invisibles, URLs, over-length) and back-to-back duplicates, so blocks and terminations happen under load. Each adversarial sender posts its texts in order until the screen ends it, then a fresh one (its own engagement, created beforehand; each round has its own) takes over, so the adversarial share reaches the screen instead of being answered 409 for an ended engagement; blocked posts answer 200 like allowed ones, so the adversarial paragraph counts blocks and terminations from Parley\'s own metrics. The baselines get the same requests with made-up session ids.'],
  [['ham', 'adversarial'], `Peak runs are closed loop (${client === 'wrk' ? 'wrk, HdrHistogram latencies' : 'Node client, hdr-histogram-js'}) after a ${ctx.warmupS} s warm-up per server that is not measured; baselines get the same paths, headers and bodies with made-up session ids. All servers of a scenario are up together (the idle ones use no CPU) and the peak runs alternate between them in ${plural(ctx.rounds, 'round')} of ${slices.peakRoundS} s, the order rotating each round: req/s is requests over all rounds ÷ their duration, each latency percentile the median over rounds, max the max, and each ratio the median of the per-round ratios (listed after the ratios) — a change of the machine's speed between rounds lands on both sides of a ratio.`],
  [['ham'], `The 50 %-of-peak run uses the Node open-loop client (wrk2 is not available; wrk with a Lua delay() would hide queueing delay): requests are scheduled at a fixed rate, released on every answer and on a 1 ms tick, and latency is counted from the scheduled send time. The bare uWS baseline is driven at the same rate by the same client: its p99 there is what the client and the machine add by themselves. Bare uWS with Parley's thread hop and no work (\`uws-hop\`) is driven the same way: its p99 is that floor plus what the hop adds. They are measured in ${ctx.fixedSlices} alternating slices each (Parley, uWS, uWS with the hop, Parley, …; ${slices.fixedSliceS} s after a 1 s warm-up, all servers up, the idle ones using no CPU), so load from elsewhere on a shared machine falls on all of them; each percentile shown is the median over the slices, max the max, and every slice's p99 is listed after the targets.`],
  [null, `Server CPU is process CPU time ÷ wall time from /proc (100 % = one core; ${placement ? `the servers had ${placement.server.length} of ${cores} cores, the load client the other ${placement.client.length}` : `${cores} cores here, shared with the load client`}); RSS is the peak during the run.`],
  [['ham', 'adversarial', 'fanout', 'chat'], 'WS msgs/s: system messages received by the bench WebSocket receivers during the run. In `ham` this is ~0 by design — consumer posts are not echoed to their sender (chat-api §3.4); in `adversarial` they are the Tier-1 notices; `fanout` measures agent posts fanned out to many receivers (all receivers of an engagement share its consumer session, so its server runs with `PARLEY_WS_MAX_PER_ENGAGEMENT` = `--fanout-copies` when that is over the default 8); in `chat` they are the agent\'s half of the posts, each delivered to its customer\'s one WebSocket (the customer\'s half goes to the agent\'s long poll: see the chat note).'],
  [['idle'], `The idle scenario's consumers never poll, which a production server reads as abandoned after \`PARLEY_CONSUMER_IDLE_MS\` (5 minutes by default): its server runs with ${Math.max(300, ctx.idleTimeoutS + 120)} s, longer than the creation budget (\`--idle-timeout\` + 120 s), so every engagement is still open when memory is measured.`],
  [null, 'The Parley server runs with `PARLEY_ENGAGEMENT_RATE_BURST=0` (no per-address limit on new engagements; the default, set explicitly): the bench opens all its engagements from one address, 127.0.0.1, as a chat front\'s backend does.'],
];
const idleShort = scenarios.includes('idle') ? idleTargetNote(ctx.idleEngagements) : null;
if (idleShort) tagged.push([['idle'], idleShort]);
const notes = relevantNotes(tagged, scenarios);

notes.push(
  'Server configuration: each server runs with its defaults plus the bench\'s own settings — Parley: `PARLEY_PORT`, `PARLEY_HOST`, `PARLEY_DATA_DIR`, `PARLEY_CONFIG_DIR`, `PARLEY_ADMIN_TOKEN`, ' +
    '`PARLEY_LOG_LEVEL` (`--log-level`), `PARLEY_JOURNAL` (`--no-journal`), `PARLEY_SHARDS` (`--shards`), and the per-scenario settings named in these notes. ' +
    `PARLEY_* and NODE_OPTIONS from the environment the bench was started in are not passed on${ignoredEnv.length ? ` (this run ignored ${ignoredEnv.join(', ')})` : ''}.`,
);
const speed = machineSpeedNote(ctx.background);
if (speed) notes.push(speed);
const busiest = ctx.background.reduce<{ run: string; busyPct: number } | null>((m, b) => (m === null || b.busyPct > m.busyPct ? b : m), null);
if (busiest) {
  notes.push(
    `Other load on the machine (CPU busy % over 1 s right before each round of peak runs, 100 % = one core): max ${busiest.busyPct} % (before ${busiest.run})` +
      (busiest.busyPct > OTHER_LOAD_PCT ? ' — other processes were competing for the cores, so every figure of this run is depressed; rerun on a quiet machine before comparing with earlier runs.' : '.'),
  );
}
if (outputs.some((o) => o.idle)) {
  notes.push('Idle memory: RSS of the Parley process (all threads) 3 s after the last engagement was created, minus RSS before; it includes heap not yet garbage-collected and the journal\'s mapped pages, so it is an upper bound per engagement.');
}
const chat = results.find((r) => r.scenario === 'chat');
if (chat) {
  notes.push(
    `Chat: ${ctx.chatEngagements} engagements, each accepted by the bench agent; the load walks each chat's customer postMessage then the agent's, so half the posts go each way, and every post is screened (agents too: \`screenAgents\` is on), journaled and delivered to the other side — the agent's half to the customer's WebSocket (WS msgs/s: ${chat.wsDeliveredPerSec ?? 0}), the customer's half to the agent's long polls, which a bot loop in the bench keeps open all through the run (${chat.agentDeliveredPerSec ?? 0} entries/s). This is the path of every message of a production chat; the ham scenario's posts have no agent to deliver to. No baseline: a bare server has no other side.`,
  );
}
const advParley = results.find((r) => r.scenario === 'adversarial' && r.server === sut);
// without Parley's counters (not readable from this build), judge from what the clients saw
if (advParley && !advParley.tier1) {
  const non200 = Object.entries(advParley.statusCounts).filter(([k]) => k !== '200').reduce((a, [, n]) => a + n, 0);
  if (non200 === 0 && !advParley.wsDelivered) {
    // say it rather than let an all-200 row read as "Tier-1 let every flood through"
    notes.push('adversarial/parley: every post answered 200 and no notice reached a receiver — no Tier-1 block or termination was observed, so Tier-1 screening does not appear to be active in this server build.');
  }
}

const report: BenchReport = {
  generatedAt: new Date().toISOString(),
  machine,
  params,
  notes,
  conditions: ctx.background,
  results,
  idle: outputs.find((o) => o.idle)?.idle ?? null,
  unavailable: labelUnderTest(outputs.flatMap((o) => o.unavailable), journal),
  ...(outputs.find((o) => o.adversarial)?.adversarial ? { adversarial: outputs.find((o) => o.adversarial)!.adversarial! } : {}),
  ...judged,
};

const missing = unmeasured(report, scenarios, sut);
const resultsDir = v['results-dir']!;
const notForReadme = readmeRefusal(scenarios, journal);
const { files, readme } = writeReport(report, resultsDir, v.readme!, { complete: missing.length === 0, fullSet: notForReadme === null });
fs.rmSync(tmpRoot, { recursive: true, force: true });
console.log('\n' + fs.readFileSync(files[1]!, 'utf8'));
const shown = (f: string): string => (path.isAbsolute(f) && f.startsWith(ROOT + path.sep) ? path.relative(ROOT, f) : f);
log(`wrote ${files.map(shown).join(', ')}`);
if (missing.length > 0) {
  // the last line a script sees: what was not measured, and that nothing it relies on was replaced
  log(unmeasuredLine(missing, shown(files[1]!), `${shown(path.join(resultsDir, 'latest'))}.{json,md,svg} and ${shown(v.readme!)}`));
  process.exit(1);
}
log(
  readme === 'updated'
    ? `${shown(v.readme!)}: benchmark section regenerated`
    : readme === 'not-full-set'
      ? `${shown(v.readme!)} left as it was: ${notForReadme ?? ''}`
    : readme === 'missing'
      ? `${shown(v.readme!)} does not exist: results are in ${shown(files[1]!)} only`
      : `${shown(v.readme!)} has no ${'<!-- bench:start -->'} … ${'<!-- bench:end -->'} markers: results are in ${shown(files[1]!)} only`,
);
// load clients, receivers and keep-alive agents are all closed; exit explicitly anyway so a stray
// handle in a server child's pipes cannot keep the run alive
process.exit(0);

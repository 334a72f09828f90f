// `npm run bench:tier1`. One exported function per section (tier1.ts now; a MessagePort
// transport section goes beside it in its own file and is called from here). Its flags are read
// first, strictly: `--help` or a typo must not start the benchmark, which ends by rewriting
// bench/results/tier1.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchTier1 } from './tier1.ts';
import { benchTransport } from './transport.ts';
import { SMS_DATASET } from '../sms-dataset.ts';
import { machineBasics } from '../system/machine.ts';
import { qualifiedAnswer, tier1Head, transportHead } from './report.ts';
import { backgroundBusyPct } from '../system/proc.ts';
import { OTHER_LOAD_PCT } from '../system/saturation.ts';

/** One line and exit 2, as `npm run bench` answers a bad flag: not a stack, not a run. */
function refuse(msg: string): never {
  console.error(msg);
  process.exit(2);
}

let flags: { help: boolean; dataset: string };
try {
  const { values } = parseArgs({
    options: { help: { type: 'boolean', default: false }, dataset: { type: 'string', default: SMS_DATASET } },
    strict: true,
  });
  flags = { help: values.help ?? false, dataset: values.dataset ?? SMS_DATASET };
} catch (e) {
  refuse(`${e instanceof Error ? e.message : String(e)} (npm run bench:tier1 -- --help lists the flags)`);
}
if (flags.help) {
  console.log(
    'npm run bench:tier1 -- [--dataset PATH]\n' +
      '  Tier-1 screen() per message on the SMS Spam Collection (ham, spam) and adversarial inputs, then the shard\n' +
      '  transport micro-benchmark; writes bench/results/tier1.json.\n' +
      `  --dataset PATH   the SMS Spam Collection TSV (default ${SMS_DATASET})`,
  );
  process.exit(0);
}
if (!existsSync(flags.dataset)) refuse(`dataset not found: ${flags.dataset} (see ../shared/datasets/README.md)`);

const machine = machineBasics();
const results: Record<string, unknown> = { node: process.version, date: new Date().toISOString(), machine };

// the same other-load check the system bench makes before each round, before and after each section
const t1Before = await backgroundBusyPct();
const t1 = await benchTier1(flags.dataset);
const t1Conditions = { busyPct: [t1Before, await backgroundBusyPct()] };
t1.answer = qualifiedAnswer(t1.answer, t1Conditions, OTHER_LOAD_PCT);
console.log(tier1Head(t1, machine));
console.table(Object.fromEntries(Object.entries(t1.classes).map(([k, v]) => [k, { median: +v.medianUs.toFixed(2), p99: +v.p99Us.toFixed(2), 'analyze median': +v.analyzeMedianUs.toFixed(2), messages: v.n }])));
console.log('Per-rule trigger rate, % of distinct messages:', t1.triggers);
console.log('Answer:', t1.answer);
results.tier1 = { ...t1, conditions: t1Conditions };

const trBefore = await backgroundBusyPct();
const tr = await benchTransport();
const trConditions = { busyPct: [trBefore, await backgroundBusyPct()] };
tr.answer = qualifiedAnswer(tr.answer, trConditions, OTHER_LOAD_PCT);
console.log(`\n${transportHead(tr, machine)}`);
console.table(tr.rows);
console.log('Answer:', tr.answer);
results.transport = { ...tr, conditions: trConditions };

mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
writeFileSync(new URL('../results/tier1.json', import.meta.url), JSON.stringify(results, null, 2));

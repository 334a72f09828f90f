// Tier-1 detector benchmark section: the whole screen() pass on SMS ham/spam and on adversarial
// inputs, median and p99 per message, plus per-rule trigger rates. run.ts calls this.
import { readFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { initTier1, Tier1Engine, TIER1_DEFAULTS, type DecisionLog } from '../../workers/tier1/index.ts';

const DATA = '/work/shared/datasets/sms-spam-collection.tsv';

function rows(label: string): string[] {
  const out = new Set<string>();
  for (const line of readFileSync(DATA, 'utf8').split('\n').slice(1)) {
    const tab = line.indexOf('\t');
    if (tab > 0 && line.slice(0, tab) === label) out.add(line.slice(tab + 1).replace(/\r$/, ''));
  }
  return [...out];
}

function adversarial(): Record<string, string[]> {
  const zalgo = (s: string) => [...s].map((c) => c + '\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309').join('');
  const mix = 'Hello мир 你好 👨‍👩‍👧 مرحبا é\u0301 \u200B𝐟𝐫𝐞𝐞 ';
  const cp4000 = (s: string) => { const a = [...s]; let out = ''; for (let i = 0; i < 4000; i++) out += a[i % a.length]; return out; };
  return {
    'flood 10k chars': ['a'.repeat(10_000), '$%'.repeat(5_000), '😀'.repeat(5_000)],
    'zalgo 4000 cp': [zalgo('hello world ').slice(0, 4000)],
    'invisible flood 4000 cp': ['free\u200B'.repeat(800)],
    'mixed 4000 cp': [cp4000(mix)],
    'ascii 4000 chars': [cp4000('The quick brown fox jumps over example.com 12345 ')],
  };
}

interface Stat { medianUs: number; p99Us: number; n: number }
export interface Tier1BenchResult { classes: Record<string, Stat>; triggers: Record<string, Record<string, number>> }

/** Screens each message many times with a fresh sender so state rules never short-circuit. */
export async function benchTier1(): Promise<Tier1BenchResult> {
  await initTier1();
  const sets: Record<string, string[]> = { 'sms ham': rows('ham'), 'sms spam': rows('spam'), ...adversarial() };
  const near100 = sets['sms ham']!.filter((t) => t.length >= 90 && t.length <= 110);
  sets['ham ~100 chars'] = near100;
  const engine = new Tier1Engine('bench', TIER1_DEFAULTS, () => {});
  let seq = 0;
  const classes: Record<string, Stat> = {};
  for (const [name, texts] of Object.entries(sets)) {
    const bench = new Bench({ time: 1500, warmupTime: 300 });
    let i = 0;
    bench.add(name, () => {
      const text = texts[i++ % texts.length]!;
      seq++;
      engine.screen({ text, role: 'END_USER', senderKey: `s${seq}`, engagementId: `e${seq}`, participant: '1', nowMs: 1_700_000_000_000 + seq });
      if ((seq & 1023) === 0) engine.forgetEngagement(`e${seq}`);
    });
    await bench.run();
    const lat = bench.tasks[0]!.result!.latency;
    classes[name] = { medianUs: (lat.p50 ?? 0) * 1000, p99Us: (lat.p99 ?? 0) * 1000, n: texts.length };
  }
  const triggers: Record<string, Record<string, number>> = {};
  for (const label of ['ham', 'spam']) {
    const counts: Record<string, number> = {};
    const e = new Tier1Engine('rates', TIER1_DEFAULTS, (l: DecisionLog) => { counts[`${l.code}:${l.outcome}`] = (counts[`${l.code}:${l.outcome}`] ?? 0) + 1; });
    const texts = sets[`sms ${label}`]!;
    texts.forEach((text, k) => e.screen({ text, role: 'END_USER', senderKey: `s${k}`, engagementId: `e${k}`, participant: '1', nowMs: 1_700_000_000_000 + k }));
    for (const key of Object.keys(counts)) counts[key] = Math.round((counts[key]! / texts.length) * 1e5) / 1e3; // percent
    triggers[label] = counts;
  }
  return { classes, triggers };
}

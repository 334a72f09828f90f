// `npm run bench:tier1`. One exported function per section (tier1.ts now; a MessagePort
// transport section goes beside it in its own file and is called from here).
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchTier1 } from './tier1.ts';
import { benchTransport } from './transport.ts';

const results: Record<string, unknown> = { node: process.version, date: new Date().toISOString() };

const t1 = await benchTier1();
console.log('Tier-1 screen() per message (µs). Method:', t1.method);
console.table(Object.fromEntries(Object.entries(t1.classes).map(([k, v]) => [k, { median: +v.medianUs.toFixed(2), p99: +v.p99Us.toFixed(2), 'analyze median': +v.analyzeMedianUs.toFixed(2), messages: v.n }])));
console.log('Per-rule trigger rate, % of distinct messages:', t1.triggers);
results.tier1 = t1;

const tr = await benchTransport();
console.log(`\nShard transport — ${tr.question}\nMethod: ${tr.method}`);
console.table(tr.rows);
console.log('Answer:', tr.answer);
results.transport = tr;

mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
writeFileSync(new URL('../results/tier1.json', import.meta.url), JSON.stringify(results, null, 2));

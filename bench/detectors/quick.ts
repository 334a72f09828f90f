// Quick A/B helper (not part of `npm run bench:tier1`): mean CPU µs per call (process.cpuUsage,
// so other load on the machine matters less), best of 5 rounds, for
// analyze() and screen() per class — less sensitive to a busy machine than tinybench medians.
// Usage: node --import tsx bench/detectors/quick.ts [class-substring]
import { smsRows } from '../sms-dataset.ts';
import { analyze, initTier1, Tier1Engine, TIER1_DEFAULTS } from '../../workers/tier1/index.ts';

await initTier1();
const ham = smsRows('ham');
const cp4000 = (s: string) => { const a = [...s]; let out = ''; for (let i = 0; i < 4000; i++) out += a[i % a.length]; return out; };
const zalgo = (s: string) => [...s].map((c) => c + '\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309').join('');
const sets: Record<string, string[]> = {
  'ham ~100': ham.filter((t) => t.length >= 90 && t.length <= 110),
  'sms ham': ham,
  'zalgo 4000': [zalgo('hello world ').slice(0, 4000)],
  'invisible 4000': ['free\u200B'.repeat(800)],
  'mixed 4000': [cp4000('Hello мир 你好 👨‍👩‍👧 مرحبا é\u0301 \u200B𝐟𝐫𝐞𝐞 ')],
  'ascii 4000': [cp4000('The quick brown fox jumps over example.com 12345 ')],
};
const filter = process.argv[2];
const engine = new Tier1Engine('q', TIER1_DEFAULTS, () => {});
let seq = 0;
let now = 1_700_000_000_000;
for (const [name, texts] of Object.entries(sets)) {
  if (filter && !name.includes(filter)) continue;
  const n = texts[0]!.length > 1000 ? 3000 : 100_000;
  const best = (f: (t: string) => void) => {
    let b = Infinity;
    for (let r = 0; r < 5; r++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) f(texts[i % texts.length]!);
      const c = process.cpuUsage(c0);
      b = Math.min(b, (c.user + c.system) / n);
    }
    return b;
  };
  const a = best((t) => analyze(t));
  const s = best((t) => {
    const k = seq++ % 1024; const sid = `s${Math.floor(seq / 16)}`;
    now += 300;
    engine.screen({ text: t, role: 'END_USER', senderKey: sid, engagementId: `e${sid}`, participant: '1', nowMs: now });
    if (seq % 16 === 15) engine.forgetEngagement(`e${sid}`);
    void k;
  });
  console.log(`${name.padEnd(16)} analyze ${a.toFixed(2).padStart(8)} µs   screen ${s.toFixed(2).padStart(8)} µs`);
}

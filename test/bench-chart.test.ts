// bench/results/latest.svg labels every bar with its value; labels of neighbouring bars must not
// overlap. Before, the p99 panel's ham group drew five ~10 px bars under ~20 px labels ("4.23",
// "3.18", "5.06", …) on top of each other, and its group labels ran together ("ham @50%adversarial").
// Boxes are estimated from the text with a conservative character width, as a renderer lays it out.
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../bench/system/report.ts';
import type { BenchReport, ResultRow, ServerName } from '../bench/system/types.ts';

const row = (scenario: string, server: ServerName, reqPerSec: number, p99Ms: number, mode: 'peak' | 'fixed-rate' = 'peak'): ResultRow => ({
  scenario, server, mode, loadClient: 'wrk', connections: 64, durationS: 10, requests: reqPerSec * 10, reqPerSec, p50Ms: 1, p90Ms: 2, p99Ms, p999Ms: p99Ms, maxMs: p99Ms,
  statusCounts: {}, socketErrors: 0, targetRate: mode === 'fixed-rate' ? 16579 : null, cpuPct: 99, cpuUsPerReq: 30, rssPeakMb: 100, wsDelivered: null, wsDeliveredPerSec: null, wsReceivers: null,
});

// the figures of the run the defect was seen in
const report: BenchReport = {
  generatedAt: 'x', machine: { cpuModel: 'AMD EPYC', cores: 2, node: 'v20.20.2', os: 'Linux', totalMemMb: 1, loadClient: 'wrk', uwsNative: true, handOff: null, placement: null },
  params: {}, notes: [], idle: null, unavailable: [], ratios: { parleyVsUws: null, parleyVsNodeHttp: null },
  targets: { parleyVsUws: { target: 0.7, value: null, met: null }, parleyVsNodeHttp: { target: 1.4, value: null, met: null }, p99AtHalfPeakMs: { target: 5, value: null, met: null, rate: null, client: null } },
  results: [
    row('ham', 'parley', 33157, 4.23), row('ham', 'uws', 69538, 3.18), row('ham', 'node-http', 28466, 5.06), row('ham', 'uws-hop', 54033, 4.87), row('ham', 'parley-nojournal', 36169, 4.09),
    row('ham', 'parley', 16570, 14.2, 'fixed-rate'), row('ham', 'uws', 16574, 3.18, 'fixed-rate'), row('ham', 'uws-hop', 16575, 4.21, 'fixed-rate'),
    row('adversarial', 'uws', 56561, 4.06), row('adversarial', 'node-http', 29614, 5.87), row('adversarial', 'parley', 26971, 5.81),
    row('fanout', 'parley', 3689, 38.5), row('chat', 'parley', 15062, 10.21),
  ],
};

interface Box { text: string; x0: number; x1: number; y0: number; y1: number }

/** the boxes of the text elements of one font size, upright ones turned as their transform says */
function boxes(svg: string, fontPx: number): Box[] {
  const out: Box[] = [];
  for (const m of svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)) {
    const attrs = m[1]!;
    const num = (name: string): number => Number(new RegExp(`(?:^| )${name}="([-\\d.]+)"`).exec(attrs)?.[1]);
    if (num('font-size') !== fontPx) continue;
    const text = m[2]!.replace(/&[a-z]+;/g, '_');
    const w = text.length * 0.64 * fontPx;
    const x = num('x');
    const y = num('y');
    const anchor = /text-anchor="middle"/.test(attrs) ? 'middle' : 'start';
    if (/rotate\(-90 /.test(attrs)) out.push({ text, x0: x - 0.8 * fontPx, x1: x + 0.2 * fontPx, y0: y - w, y1: y });
    else out.push({ text, x0: anchor === 'middle' ? x - w / 2 : x, x1: anchor === 'middle' ? x + w / 2 : x + w, y0: y - 0.8 * fontPx, y1: y + 0.2 * fontPx });
  }
  return out;
}

const overlapping = (bs: Box[]): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < bs.length; i++) {
    for (let j = i + 1; j < bs.length; j++) {
      const a = bs[i]!;
      const b = bs[j]!;
      if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) out.push([a.text, b.text]);
    }
  }
  return out;
};

describe('bench chart', () => {
  const svg = renderSvg(report);

  it('no two value labels overlap, and each sits inside its panel', () => {
    const labels = boxes(svg, 9);
    expect(labels.length).toBe(10 + 13); // peak rows in the throughput panel, every row in the p99 one
    expect(overlapping(labels)).toEqual([]);
    const panels = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="none"/g)].map((m) => ({ y0: Number(m[2]), y1: Number(m[2]) + Number(m[4]) }));
    expect(panels).toHaveLength(2);
    for (const l of labels) expect(panels.some((p) => l.y0 >= p.y0 && l.y1 <= p.y1)).toBe(true);
  });

  it('no two group labels overlap', () => {
    expect(overlapping(boxes(svg, 11))).toEqual([]);
  });
});

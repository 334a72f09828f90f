// bench/results/latest.svg: peak throughput and p99 latency per scenario and server, two panels
// one above the other. Every value is labelled over its bar; a label wider than its bar is turned
// upright (read bottom to top) and the bars leave room above for it, so labels of neighbouring
// bars never overlap (they did: five ~10 px bars under 20 px labels in the p99 panel's ham group).
// Within a group only its own servers take a slot. Pure: tested as text (test/bench-chart.test.ts).
import type { BenchReport, ResultRow } from './types.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLORS: Record<string, string> = { parley: '#2f6fde', uws: '#8a8f98', 'node-http': '#d9822b', 'uws-hop': '#b5b9c0', 'parley-nojournal': '#1b3f80' };

/** value labels' font size, px */
export const LABEL_PX = 9;
/** a conservative width of one character of a sans-serif face, in em (DejaVu Sans digits: 0.636) */
export const CHAR_EM = 0.64;

interface Bar {
  group: string;
  series: string;
  value: number;
}

const fmtMs = (n: number): string => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const fmtRate = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n)));

function barPanel(title: string, unit: string, bars: Bar[], x0: number, y0: number, w: number, h: number, empty = 'no data'): string[] {
  const out: string[] = [];
  out.push(`<text x="${x0}" y="${y0 - 8}" font-size="13" font-weight="bold">${esc(title)}</text>`);
  out.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>`);
  if (bars.length === 0) {
    out.push(`<text x="${x0 + w / 2}" y="${y0 + h / 2}" text-anchor="middle" font-size="12" fill="#888">${esc(empty)}</text>`);
    return out;
  }
  const groups = [...new Set(bars.map((b) => b.group))];
  const max = Math.max(...bars.map((b) => b.value), 1e-9);
  const gw = w / groups.length;
  const widest = Math.max(...groups.map((g) => bars.filter((b) => b.group === g).length));
  const bw = Math.min(40, (gw * 0.8) / widest);
  const label = (v: number): string => (unit === 'req/s' ? fmtRate(v) : fmtMs(v));
  const textW = (t: string): number => t.length * CHAR_EM * LABEL_PX;
  const upright = (t: string): boolean => textW(t) > bw - 2;
  // room above the tallest bar for its label: a line of text, or an upright label's length
  const headroom = 8 + Math.max(LABEL_PX, ...bars.map((b) => (upright(label(b.value)) ? textW(label(b.value)) : 0)));
  groups.forEach((g, gi) => {
    const own = bars.filter((b) => b.group === g);
    const gx = x0 + gi * gw + (gw - bw * own.length) / 2;
    own.forEach((b, si) => {
      const bh = Math.max(1, (b.value / max) * (h - headroom));
      const x = gx + si * bw;
      const y = y0 + h - bh;
      const cx = x + (bw - 2) / 2;
      out.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="${COLORS[b.series] ?? '#555'}"><title>${esc(`${g} ${b.series}: ${b.value} ${unit}`)}</title></rect>`);
      const t = label(b.value);
      if (upright(t)) {
        // turned -90° about its start: it reads upwards from the bar's top, its glyphs on the bar's centre line
        const tx = (cx + LABEL_PX / 2 - 1).toFixed(1);
        const ty = (y - 3).toFixed(1);
        out.push(`<text x="${tx}" y="${ty}" transform="rotate(-90 ${tx} ${ty})" font-size="${LABEL_PX}">${esc(t)}</text>`);
      } else {
        out.push(`<text x="${cx.toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="${LABEL_PX}">${esc(t)}</text>`);
      }
    });
    out.push(`<text x="${(x0 + gi * gw + gw / 2).toFixed(1)}" y="${y0 + h + 14}" text-anchor="middle" font-size="11">${esc(g)}</text>`);
  });
  return out;
}

/** Throughput (peak req/s) and p99 latency per scenario and server, as standalone SVG text. */
export function renderSvg(r: BenchReport): string {
  const W = 760;
  const PANEL_H = 260;
  const H = 60 + PANEL_H + 60 + PANEL_H + 60;
  const rows = r.results;
  const label = (row: ResultRow): string => (row.mode === 'fixed-rate' ? `${row.scenario} @50%` : row.scenario);
  const thr: Bar[] = rows.filter((x) => x.mode === 'peak').map((x) => ({ group: x.scenario, series: x.server, value: x.reqPerSec }));
  const lat: Bar[] = rows.map((x) => ({ group: label(x), series: x.server, value: x.p99Ms }));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="20" y="24" font-size="15" font-weight="bold">${esc(`Parley system benchmark — ${r.machine.cpuModel}, ${r.machine.cores} cores, Node ${r.machine.node}`)}</text>`);
  // an idle-only run has no load rows, but it measured something: say what instead of "no data"
  const idle = r.idle ? `no load run; idle: ${r.idle.engagements.toLocaleString('en-US')} open engagements, ${r.idle.bytesPerEngagement.toLocaleString('en-US')} bytes per engagement` : 'no data';
  out.push(...barPanel('Throughput (req/s, peak)', 'req/s', thr, 40, 60, W - 80, PANEL_H, idle));
  out.push(...barPanel('p99 latency (ms)', 'ms', lat, 40, 60 + PANEL_H + 60, W - 80, PANEL_H, r.idle ? 'no load run' : 'no data'));
  const servers = [...new Set(rows.map((x) => x.server))];
  servers.forEach((s, i) => {
    out.push(`<rect x="${40 + i * 140}" y="${H - 28}" width="12" height="12" fill="${COLORS[s] ?? '#555'}"/>`);
    out.push(`<text x="${58 + i * 140}" y="${H - 18}" font-size="12">${esc(s)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

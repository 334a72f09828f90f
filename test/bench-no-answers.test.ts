// A load run in which no request was answered is reported as unavailable with the reason, never
// as a row of zeros. Before, wrk with --connections 20000 that could open none of them exited 0
// with `requests: 0`, and the report printed `| chat | parley | peak | 0 | 0.00 | 0.00 | …` and
// regenerated the README with it; the Node client, given a port nobody answered on, hung for ever
// waiting for its connections.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWrkOutput } from '../bench/system/wrk.ts';
import { runNodeLoad } from '../bench/system/node-load.ts';
import { requireAnswers } from '../bench/system/measure.ts';
import { consumerPostSession, renderSessionFile, renderTextsFile } from '../bench/system/plan.ts';

/** a port that was just free: nothing listens on it */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('a load run with no answer', () => {
  it('wrk: `requests: 0` after connect errors is no figure but the reason', () => {
    const out =
      '@@BENCH {"requests":0,"durationUs":2004000,"bytes":0,"errors":{"connect":19930,"read":0,"write":0,"status":0,"timeout":0},' +
      '"latencyUs":{"p50":0,"p90":0,"p99":0,"p999":0,"max":0,"mean":0.0},"codes":{},"cpuTicks":12}\n';
    const load = parseWrkOutput(out, 20000);
    expect(() => requireAnswers(load)).toThrow('no request was answered in 2 s over 20000 connection(s) (wrk client, 19930 socket errors: connect, read, write or timeout)');
    // a run with answers passes through unchanged
    const ok = parseWrkOutput(out.replace('"requests":0', '"requests":5'), 20000);
    expect(requireAnswers(ok)).toBe(ok);
  });

  it('Node client: a port nobody answers on ends the run (no hang) with socket errors, and no figure', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-noanswer-'));
    try {
      const sessions = path.join(dir, 's.tsv');
      const texts = path.join(dir, 't.txt');
      fs.writeFileSync(sessions, renderSessionFile([consumerPostSession('bench', '1:1', 'x')]));
      fs.writeFileSync(texts, renderTextsFile(['hello']));
      const load = await runNodeLoad({ url: `http://127.0.0.1:${await closedPort()}`, sessionsFile: sessions, hamFile: texts, advFile: null, advEvery: 0, processes: 1, connections: 4, durationS: 1, rate: 0, warmupS: 0, idNonce: null });
      expect(load.requests).toBe(0);
      expect(load.socketErrors).toBeGreaterThan(0);
      expect(() => requireAnswers(load)).toThrow(/^no request was answered in [\d.]+ s over 4 connection\(s\) \(node client, \d+ socket errors/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('a report that measured nothing', () => {
  it('is written to the results dir as latest-incomplete.*, and leaves the README\'s figures as they were', async () => {
    const { writeReport, README_START, README_END } = await import('../bench/system/report.ts');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-noanswer-'));
    try {
      const readme = path.join(dir, 'README.md');
      const before = `# x\n${README_START}\nearlier figures\n${README_END}\n`;
      fs.writeFileSync(readme, before);
      const report = {
        generatedAt: '2026-01-01T00:00:00.000Z',
        machine: { cpuModel: 'Test CPU', cores: 2, node: 'v20.0.0', os: 'Linux', totalMemMb: 4096, loadClient: 'wrk', uwsNative: true, handOff: null, placement: null },
        params: {}, notes: [], results: [], idle: null,
        unavailable: [{ scenario: 'chat', server: 'parley' as const, reason: 'no request was answered in 2 s over 20000 connection(s)' }],
        ratios: { parleyVsUws: null, parleyVsNodeHttp: null },
        targets: { parleyVsUws: { target: 0.7, value: null, met: null }, parleyVsNodeHttp: { target: 1.4, value: null, met: null }, p99AtHalfPeakMs: { target: 5, value: null, met: null, rate: null, client: null } },
      };
      const r = writeReport(report, path.join(dir, 'results'), readme, { complete: false, fullSet: true });
      expect(r.readme).toBe('incomplete');
      expect(fs.readFileSync(readme, 'utf8')).toBe(before);
      const md = fs.readFileSync(path.join(dir, 'results', 'latest-incomplete.md'), 'utf8');
      expect(md).toContain('- chat / parley: no request was answered in 2 s over 20000 connection(s)');
      expect(md).not.toMatch(/\| chat \| parley \|/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

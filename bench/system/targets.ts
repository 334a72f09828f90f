// The headline of a run: the ratios between the server under test and the baselines (each the
// median of per-round ratios, slices.ts), and the three targets judged on them. Pure: the report
// fixtures test it (test/bench-no-journal-labelled.test.ts).
import { pairedRatio } from './slices.ts';
import { baselineCaveat, type LoadSetup } from './saturation.ts';
import { machineBound } from './bound.ts';
import type { BenchReport, ResultRow, ServerName } from './types.ts';

/**
 * The server under test: Parley as it runs in production. With `--no-journal` it is another
 * build of the work (nothing stored), so its rows say so (`parley-nojournal`, the name the ham
 * scenario's journal-cost row already has) and no target is judged on it.
 */
export function serverUnderTest(journal: boolean): ServerName {
  return journal ? 'parley' : 'parley-nojournal';
}

/** Rows and not-measured entries of `parley` as run (journal off: `parley-nojournal`). */
export function labelUnderTest<T extends { server: string }>(items: readonly T[], journal: boolean): T[] {
  return journal ? [...items] : items.map((x) => (x.server === 'parley' ? { ...x, server: 'parley-nojournal' } : x));
}

export const NO_JOURNAL_CAVEAT = 'not judged: Parley ran without its journal (`--no-journal`: nothing stored), which no production server does';

export interface HeadlineInput {
  results: readonly ResultRow[];
  journal: boolean;
  cores: number;
  /** `--client-cores` > 0: the load client had cores of its own */
  ownClientCores: boolean;
  loadSetup: LoadSetup;
}

export function headline(i: HeadlineInput): Pick<BenchReport, 'ratios' | 'ratioRounds' | 'targets'> {
  const sut = serverUnderTest(i.journal);
  const peak = (server: string): ResultRow | undefined => i.results.find((r) => r.scenario === 'ham' && r.server === server && r.mode === 'peak');
  // each ratio within a round (both servers measured seconds apart), then the median over rounds
  const paired = (a: string, b: string) => pairedRatio(peak(a)?.reqPerSecSlices, peak(b)?.reqPerSecSlices);
  const pUws = paired(sut, 'uws');
  const pNode = paired(sut, 'node-http');
  const pJournal = i.journal ? paired('parley', 'parley-nojournal') : null;
  const pHop = paired('uws-hop', 'uws');
  const pWork = paired(sut, 'uws-hop');
  const uwsCaveat = i.journal ? baselineCaveat(peak('uws'), 'bare uWS', i.loadSetup) : NO_JOURNAL_CAVEAT;
  const nodeCaveat = i.journal ? baselineCaveat(peak('node-http'), 'node:http', i.loadSetup) : NO_JOURNAL_CAVEAT;
  const parleyVsUws = pUws?.ratio ?? null;
  const parleyVsNodeHttp = pNode?.ratio ?? null;
  const fixed = i.results.find((r) => r.scenario === 'ham' && r.server === sut && r.mode === 'fixed-rate');
  return {
    ratios: { parleyVsUws, parleyVsNodeHttp, journalOnVsOff: pJournal?.ratio ?? null, hopVsUws: pHop?.ratio ?? null, parleyVsHop: pWork?.ratio ?? null },
    ratioRounds: {
      parleyVsUws: pUws?.rounds ?? [], parleyVsNodeHttp: pNode?.rounds ?? [], journalOnVsOff: pJournal?.rounds ?? [],
      hopVsUws: pHop?.rounds ?? [], parleyVsHop: pWork?.rounds ?? [],
    },
    targets: {
      parleyVsUws: {
        target: 0.7, value: parleyVsUws, met: parleyVsUws === null || uwsCaveat !== null ? null : parleyVsUws >= 0.7, caveat: uwsCaveat,
        bound: machineBound(peak(sut), peak('uws'), i.cores, i.ownClientCores, 0.7),
      },
      parleyVsNodeHttp: {
        target: 1.4, value: parleyVsNodeHttp, met: parleyVsNodeHttp === null || nodeCaveat !== null ? null : parleyVsNodeHttp >= 1.4, caveat: nodeCaveat,
        bound: machineBound(peak(sut), peak('node-http'), i.cores, i.ownClientCores, 1.4),
      },
      p99AtHalfPeakMs: {
        target: 5,
        value: fixed ? fixed.p99Ms : null,
        met: fixed && i.journal ? fixed.p99Ms < 5 : null,
        rate: fixed ? fixed.targetRate : null,
        client: fixed ? 'Node open-loop client' : null,
        ...(i.journal ? {} : { caveat: NO_JOURNAL_CAVEAT }),
      },
    },
  };
}

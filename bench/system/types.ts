// Result shapes shared by the load clients, the runner and the report.
import type { HandOff } from './handoff.ts';
import type { MachineBound } from './bound.ts';
import type { AdversarialPlan, Tier1Counts } from './adversarial.ts';

export interface LatencyMs {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  client: 'wrk' | 'node';
  mode: 'peak' | 'fixed-rate';
  connections: number;
  durationS: number;
  requests: number;
  reqPerSec: number;
  latencyMs: LatencyMs;
  /** per HTTP status when counted ("200", "409", ...); wrk without a response hook only knows "non2xx" */
  statusCounts: Record<string, number>;
  socketErrors: number;
  /** fixed-rate runs: the rate asked for */
  targetRate?: number;
  /** CPU time the load client used over the run, µs (wrk only: its start-up, ~1 % of a slice, included) */
  clientCpuUs?: number;
}

/** `parley-nojournal`: the same server with PARLEY_JOURNAL=off, to price the journal in the same run */
export type ServerName = 'parley' | 'parley-nojournal' | 'uws' | 'uws-hop' | 'node-http';

export interface ResultRow {
  scenario: string;
  server: ServerName;
  mode: 'peak' | 'fixed-rate';
  loadClient: string;
  connections: number;
  durationS: number;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  statusCounts: Record<string, number>;
  socketErrors: number;
  targetRate: number | null;
  cpuPct: number | null;
  /** server CPU time (all its threads and child processes) per answered request, µs */
  cpuUsPerReq: number | null;
  /** the load client's CPU time per answered request, µs (wrk runs) */
  clientUsPerReq?: number | null;
  /** the part of cpuUsPerReq spent on the server's main thread, µs */
  mainThreadUsPerReq?: number | null;
  /** share of all cores idle during the run (load client included), % */
  machineIdlePct?: number | null;
  /** share of the run the server's main thread was runnable but waiting for a CPU, % (Linux schedstat) */
  mainThreadRunqPct?: number | null;
  /** times per second the scheduler put the main thread on a CPU (each wake-up, each return after preemption) */
  mainThreadSlicesPerSec?: number | null;
  rssPeakMb: number | null;
  /** WebSocket frames received by the bench's receivers during the load window */
  wsDelivered: number | null;
  wsDeliveredPerSec: number | null;
  wsReceivers: number | null;
  /** chat scenario: entries the agent's long polls received per second during the load window */
  agentDeliveredPerSec?: number;
  /** each alternating slice's p99 (the row's p99 is their median) */
  p99SlicesMs?: number[];
  /** peak rows: each round's req/s (the row's req/s is requests over all rounds ÷ their duration) */
  reqPerSecSlices?: number[];
  /** adversarial/parley: Parley's Tier-1 counters over the measured rounds; null when they could not be read */
  tier1?: Tier1Counts | null;
}

export interface Unavailable {
  scenario: string;
  server: ServerName | 'all';
  reason: string;
}

export interface IdleResult {
  engagements: number;
  failed: number;
  setupSeconds: number;
  createdPerSec: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  bytesPerEngagement: number;
  clientProcesses: number;
  /**
   * after kill -9 of that server, seconds from starting it again on the same data dir until
   * /readyz answers 200 (every shard has replayed the journal); null if not measured
   */
  restartSeconds: number | null;
}

export interface Machine {
  cpuModel: string;
  cores: number;
  node: string;
  os: string;
  totalMemMb: number;
  loadClient: string;
  uwsNative: boolean;
  /** cost of one thread hand-off here (bench/system/handoff.ts); null when not measured */
  handOff: HandOff | null;
  /** where servers and clients ran (`--client-cores`); null: all on every CPU */
  placement: string | null;
}

export interface Targets {
  /** caveat: set when the baseline did not saturate at peak (bench/system/saturation.ts); met is then null */
  parleyVsUws: { target: number; value: number | null; met: boolean | null; caveat?: string | null; bound?: MachineBound | null };
  parleyVsNodeHttp: { target: number; value: number | null; met: boolean | null; caveat?: string | null; bound?: MachineBound | null };
  /** caveat: why it was not judged (a `--no-journal` run); met is then null */
  p99AtHalfPeakMs: { target: number; value: number | null; met: boolean | null; rate: number | null; client: string | null; caveat?: string | null };
}

export interface BenchReport {
  generatedAt: string;
  machine: Machine;
  params: Record<string, string | number | boolean>;
  notes: string[];
  /** right before each round of peak runs: other CPU load in the VM (% of one core) and the fixed CPU probe's time */
  conditions?: Array<{ run: string; busyPct: number; probeMs: number }>;
  results: ResultRow[];
  idle: IdleResult | null;
  unavailable: Unavailable[];
  /**
   * journalOnVsOff: Parley ham peak with the journal ÷ without it, same run. hopVsUws: the bare uWS
   * server with Parley's thread hop and no work (baselines/uws-hop.ts) ÷ bare uWS — what the hop
   * costs by itself; parleyVsHop: Parley ÷ that — what Parley's per-message work costs.
   */
  ratios: { parleyVsUws: number | null; parleyVsNodeHttp: number | null; journalOnVsOff?: number | null; hopVsUws?: number | null; parleyVsHop?: number | null };
  /** each ratio per round (ratios holds their median) */
  ratioRounds?: { parleyVsUws: number[]; parleyVsNodeHttp: number[]; journalOnVsOff: number[]; hopVsUws?: number[]; parleyVsHop?: number[] };
  targets: Targets;
  /** how the adversarial scenario's load was planned (when it ran) */
  adversarial?: AdversarialPlan;
}

/** One /proc sample of a server process over a load run (bench/system/proc.ts). */
export interface UsageSample {
  /** CPU time over wall time in %, 100 = one core busy */
  cpuPct: number | null;
  /** the same for the server's main thread alone (Parley: the HTTP thread; the rest is its shards) */
  mainThreadPct: number | null;
  /**
   * share of all cores idle over the window, load client included: at peak, idle cores mean the
   * work waited on hand-offs between threads rather than on CPU
   */
  machineIdlePct: number | null;
  /**
   * share of the window the main thread was runnable but not running: the other threads and the
   * load client held the cores, or (on a VM) the vCPU it was woken onto was still waking up
   */
  mainThreadRunqPct: number | null;
  /** times per second the main thread was put on a CPU: once per wake-up from sleep, and once per return after preemption */
  mainThreadSlicesPerSec: number | null;
  rssPeakMb: number | null;
  rssEndMb: number | null;
}

/** What the bench keeps of a server process over its slices: means of the samples, the highest RSS. */
export type ServerUsage = Omit<UsageSample, 'rssEndMb'>;

// Operator metrics in the Prometheus text format (GET /admin/v1/metrics). Everything is counted
// on the main thread: HTTP answers as they are written (respond.ts), and what the shards report
// once a second as deltas (Tier-1 screens and decisions by tenant, rule, outcome and mode;
// engagements held in memory), so a restarted shard loses at most one second of counts and every
// counter stays monotonic. Label values come from closed sets (known operations, rule codes,
// tenant site names), never from raw request text, so the series count stays bounded.

import type { ShardHealth } from './shards/supervisor.ts';

/** Upper bounds (seconds) of the answer-time histogram. Measured in whole milliseconds (Date.now). */
const BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BUCKETS_MS = BUCKETS_S.map((s) => s * 1000);

/** Adds `n` to a counter kept in a map. */
function add<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/** Answer times of one operation and status: a histogram; its count is the answer count. */
class Timings {
  /** per bucket (not cumulative); the last slot is +Inf */
  readonly buckets = new Array<number>(BUCKETS_MS.length + 1).fill(0);
  sumMs = 0;
  count = 0;

  observe(ms: number): void {
    let i = 0;
    while (i < BUCKETS_MS.length && ms > (BUCKETS_MS[i] as number)) i++;
    this.buckets[i] = (this.buckets[i] ?? 0) + 1;
    this.sumMs += ms;
    this.count++;
  }
}

/**
 * Answers of one API operation, by status: each status its own answer-time histogram, so the
 * times of served requests are not averaged with fast refusals (a flood of 400s or 503s answered
 * in a millisecond would pull the operation's p99 down). Per answer it is the one map lookup the
 * count by status took before; a status gets its histogram at its first answer, and statuses
 * are a closed set (respond.ts STATUS_TEXT).
 */
export class RouteStats {
  readonly byStatus = new Map<number, Timings>();

  constructor(
    readonly api: string,
    readonly op: string,
  ) {}

  observe(status: number, ms: number): void {
    let t = this.byStatus.get(status);
    if (t === undefined) {
      t = new Timings();
      this.byStatus.set(status, t);
    }
    t.observe(ms);
  }
}

/** What a shard reports each second (the `metrics` shard → main message, minus its envelope). */
export interface ShardMetrics {
  /** [site, messages screened] since the last report */
  screened: Array<[string, number]>;
  /** [site, rule code, outcome, mode, decisions] since the last report */
  decisions: Array<[string, string, string, string, number]>;
  /** [site, REGEX sets the shard's breaker turned off] since the last report (workers/tier1/regex.ts) */
  regexDisabled: Array<[string, number]>;
  /** engagements the shard holds in memory now (live, or concluded and not yet evicted) */
  engagements: number;
  /** new engagements refused (AT_CAPACITY) since the last report */
  refused: number;
  /** posts and new engagements refused (STORE_FULL) since the last report */
  storeRefused: number;
  /** the journal's filesystem is below PARLEY_JOURNAL_MIN_FREE_MB now */
  storeLow: boolean;
  /** log lines the shard dropped since the last report (stdout not keeping up, see src/log.ts) */
  logDrops: number;
  /** the shard's old generation in use now (what admission control compares, workers/actor/admission.ts) */
  oldGenBytes: number;
  /** [cause, engagements ended] since the last report (causes: workers/actor/shard-state.ts EndCause) */
  ended: Array<[string, number]>;
  /** [`api:reason`, long-poll answers that started before the cursor] since the last report (workers/actor/poll-replay.ts) */
  pollReplays: Array<[string, number]>;
}

/** Point-in-time values read when the metrics are rendered. */
export interface Gauges {
  shards: ShardHealth[];
  inFlight: number;
  /** requests refused by the shard quarantine (src/shards/quarantine.ts) */
  quarantineRefusals: number;
  websockets: Array<{ api: string; connected: number; frames: number; slowCloses: number }>;
  /** sign-ins refused with 429 by the failure throttle (auth-throttle.ts) */
  authThrottled: number;
  /** new engagements refused with 429 by the per-address limit (engagement-rate-limit.ts) */
  engagementsRateLimited: number;
  /** the accept guard (accept-guard.ts); absent where the open-files limit is unknown */
  accept?: { paused: boolean; pauses: number; limit: number };
  rssBytes: number;
  heapUsedBytes: number;
  /** log lines the main thread has dropped since start */
  mainLogDrops: number;
}

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class Metrics {
  private readonly routes = new Map<string, RouteStats>();
  private readonly screened = new Map<string, number>();
  private readonly decisions = new Map<string, { labels: [string, string, string, string]; n: number }>();
  private readonly regexDisabled = new Map<string, number>();
  private readonly engagements = new Map<number, number>();
  private readonly refused = new Map<number, number>();
  private readonly storeRefused = new Map<number, number>();
  private readonly storeLow = new Map<number, boolean>();
  private readonly oldGen = new Map<number, number>();
  private shardLogDrops = 0;
  private readonly ended = new Map<string, number>();
  private readonly pollReplays = new Map<string, number>();

  /**
   * The stats of one API operation; `op` must come from the API's closed set of operation names
   * (callers map anything else to 'other'). Look it up once per request.
   */
  route(api: string, op: string): RouteStats {
    const key = `${api}/${op}`;
    let r = this.routes.get(key);
    if (r === undefined) {
      r = new RouteStats(api, op);
      this.routes.set(key, r);
    }
    return r;
  }

  /** The stats lookup of one API's operations: a name outside `ops` counts as 'other'. */
  opStats(api: string, ops: Iterable<string>): (op: string) => RouteStats {
    const known = new Map([...ops].map((op) => [op, this.route(api, op)]));
    const other = this.route(api, 'other');
    return (op) => known.get(op) ?? other;
  }

  applyShard(shard: number, m: ShardMetrics): void {
    for (const [site, n] of m.screened) add(this.screened, site, n);
    for (const [site, code, outcome, mode, n] of m.decisions) {
      const key = `${site}\u0000${code}\u0000${outcome}\u0000${mode}`;
      const d = this.decisions.get(key);
      if (d) d.n += n;
      else this.decisions.set(key, { labels: [site, code, outcome, mode], n });
    }
    for (const [site, n] of m.regexDisabled) add(this.regexDisabled, site, n);
    this.engagements.set(shard, m.engagements);
    add(this.refused, shard, m.refused);
    add(this.storeRefused, shard, m.storeRefused);
    this.storeLow.set(shard, m.storeLow);
    this.oldGen.set(shard, m.oldGenBytes);
    this.shardLogDrops += m.logDrops;
    for (const [cause, n] of m.ended) add(this.ended, cause, n);
    for (const [key, n] of m.pollReplays) add(this.pollReplays, key, n);
  }

  render(g: Gauges): string {
    const out: string[] = [];
    const head = (name: string, type: string, help: string): void => void out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const routes = [...this.routes.values()].sort((a, b) => (a.api + a.op < b.api + b.op ? -1 : 1));

    const answers = routes.flatMap((r) => [...r.byStatus].sort((a, b) => a[0] - b[0]).map(([status, t]) => ({ l: `api="${esc(r.api)}",op="${esc(r.op)}",status="${status}"`, t })));
    head('parley_http_requests_total', 'counter', 'HTTP answers by API, operation and status.');
    for (const { l, t } of answers) out.push(`parley_http_requests_total{${l}} ${t.count}`);
    head('parley_http_request_duration_seconds', 'histogram', 'Time from request to answer by API, operation and status, long polls included (millisecond resolution).');
    for (const { l, t } of answers) {
      let cum = 0;
      BUCKETS_S.forEach((le, i) => {
        cum += t.buckets[i] ?? 0;
        out.push(`parley_http_request_duration_seconds_bucket{${l},le="${le}"} ${cum}`);
      });
      out.push(`parley_http_request_duration_seconds_bucket{${l},le="+Inf"} ${t.count}`);
      out.push(`parley_http_request_duration_seconds_sum{${l}} ${t.sumMs / 1000}`);
      out.push(`parley_http_request_duration_seconds_count{${l}} ${t.count}`);
    }
    head('parley_tier1_screened_total', 'counter', 'Posted messages screened by Tier-1, by tenant.');
    for (const [site, n] of [...this.screened].sort()) out.push(`parley_tier1_screened_total{site="${esc(site)}"} ${n}`);
    head('parley_tier1_decisions_total', 'counter', 'Tier-1 decisions other than allow, by tenant, rule code, outcome and mode (observe: logged, not enforced; outcome error: the rule\'s detector threw and the other rules decided).');
    for (const { labels: [site, code, outcome, mode], n } of [...this.decisions.values()].sort((a, b) => (a.labels.join() < b.labels.join() ? -1 : 1))) {
      out.push(`parley_tier1_decisions_total{site="${esc(site)}",code="${esc(code)}",outcome="${esc(outcome)}",mode="${esc(mode)}"} ${n}`);
    }
    head('parley_tier1_regex_disabled_total', 'counter', 'Tenant REGEX sets a shard turned off because one match took over the breaker (100 ms per 4,000 code points), by tenant; each stays off on that shard until the tenant\'s config is next set.');
    for (const [site, n] of [...this.regexDisabled].sort()) out.push(`parley_tier1_regex_disabled_total{site="${esc(site)}"} ${n}`);
    head('parley_engagements_in_memory', 'gauge', 'Engagements a shard holds in memory (live, or concluded and not yet evicted), as last reported.');
    for (const [shard, n] of [...this.engagements].sort((a, b) => a[0] - b[0])) out.push(`parley_engagements_in_memory{shard="${shard}"} ${n}`);
    head('parley_engagements_ended_total', 'counter', 'Engagements ended, by cause: consumer, agent, tier1 (terminated), operator (admin terminate), abandoned (consumer silent past PARLEY_CONSUMER_IDLE_MS), queue_timeout.');
    for (const [cause, n] of [...this.ended].sort()) out.push(`parley_engagements_ended_total{cause="${esc(cause)}"} ${n}`);
    head('parley_poll_replays_total', 'counter', 'getMessages answers that gave a batch again (PARLEY_POLL_REPLAY_MS): reason undelivered (the last answer could not be written: its client had gone) or retry (a consumer repeated the last poll\'s clientTransactionId, poll-replay.ts).');
    for (const [key, n] of [...this.pollReplays].sort()) {
      const [api, reason] = key.split(':');
      out.push(`parley_poll_replays_total{api="${esc(api ?? '')}",reason="${esc(reason ?? '')}"} ${n}`);
    }
    head('parley_engagements_refused_total', 'counter', 'New engagements refused with 503 AT_CAPACITY (shard over its heap share or engagement cap).');
    for (const [shard, n] of [...this.refused].sort((a, b) => a[0] - b[0])) out.push(`parley_engagements_refused_total{shard="${shard}"} ${n}`);
    head('parley_store_full_refusals_total', 'counter', 'Posts and new engagements refused with 503 STORE_FULL (the journal filesystem under PARLEY_JOURNAL_MIN_FREE_MB).');
    for (const [shard, n] of [...this.storeRefused].sort((a, b) => a[0] - b[0])) out.push(`parley_store_full_refusals_total{shard="${shard}"} ${n}`);
    head('parley_journal_disk_low', 'gauge', '1 while the journal filesystem has less than PARLEY_JOURNAL_MIN_FREE_MB free (the shard refuses new posts and engagements).');
    for (const [shard, low] of [...this.storeLow].sort((a, b) => a[0] - b[0])) out.push(`parley_journal_disk_low{shard="${shard}"} ${low ? 1 : 0}`);
    head('parley_shard_old_generation_bytes', 'gauge', 'V8 old generation in use on a shard thread, as last reported (admission compares it with PARLEY_SHARD_HEAP_ADMIT_PCT of the heap limit).');
    for (const [shard, n] of [...this.oldGen].sort((a, b) => a[0] - b[0])) out.push(`parley_shard_old_generation_bytes{shard="${shard}"} ${n}`);
    head('parley_shard_up', 'gauge', '1 while the shard thread is running and recovered.');
    g.shards.forEach((s, i) => out.push(`parley_shard_up{shard="${i}"} ${s.up ? 1 : 0}`));
    head('parley_shard_restarts_total', 'counter', 'Shard thread restarts after a crash.');
    g.shards.forEach((s, i) => out.push(`parley_shard_restarts_total{shard="${i}"} ${s.restarts}`));
    head('parley_shard_poison_requests_total', 'counter', 'Requests a shard thread died or hung handling: answered 500 REQUEST_QUARANTINED, the same request refused for 10 minutes.');
    g.shards.forEach((s, i) => out.push(`parley_shard_poison_requests_total{shard="${i}"} ${s.poisoned}`));
    head('parley_quarantine_refusals_total', 'counter', 'Requests refused with 500 REQUEST_QUARANTINED because the same request had taken a shard down.');
    out.push(`parley_quarantine_refusals_total ${g.quarantineRefusals}`);
    head('parley_journal_commit_failures_total', 'counter', 'Shard restarts because a journal group commit failed (its batch was answered 503 JOURNAL_FAILED).');
    g.shards.forEach((s, i) => out.push(`parley_journal_commit_failures_total{shard="${i}"} ${s.journalFailures}`));
    head('parley_inflight_requests', 'gauge', 'Requests sent to shards and not yet answered (parked long polls included).');
    out.push(`parley_inflight_requests ${g.inFlight}`);
    head('parley_websocket_connections', 'gauge', 'WebSocket subscribers connected now.');
    for (const w of g.websockets) out.push(`parley_websocket_connections{api="${esc(w.api)}"} ${w.connected}`);
    head('parley_websocket_frames_total', 'counter', 'WebSocket frames sent to subscribers.');
    for (const w of g.websockets) out.push(`parley_websocket_frames_total{api="${esc(w.api)}"} ${w.frames}`);
    head('parley_websocket_slow_closes_total', 'counter', 'WebSockets closed (4008) because their unsent bytes passed PARLEY_WS_MAX_BACKPRESSURE.');
    for (const w of g.websockets) out.push(`parley_websocket_slow_closes_total{api="${esc(w.api)}"} ${w.slowCloses}`);
    head('parley_auth_throttled_total', 'counter', 'Sign-ins (issuer Basic auth, admin token) refused with 429 TOO_MANY_ATTEMPTS after repeated failures from one address.');
    out.push(`parley_auth_throttled_total ${g.authThrottled}`);
    head('parley_engagements_rate_limited_total', 'counter', 'New engagements refused with 429 TOO_MANY_ENGAGEMENTS: one client address over its allowance on one site (PARLEY_ENGAGEMENT_RATE_BURST).');
    out.push(`parley_engagements_rate_limited_total ${g.engagementsRateLimited}`);
    if (g.accept) {
      head('parley_open_files_limit', 'gauge', 'The process soft limit on open file descriptors (each connection holds one).');
      out.push(`parley_open_files_limit ${g.accept.limit}`);
      head('parley_accept_paused', 'gauge', '1 while the node does not listen because its file descriptors ran out.');
      out.push(`parley_accept_paused ${g.accept.paused ? 1 : 0}`);
      head('parley_accept_pauses_total', 'counter', 'Times the node stopped listening because its file descriptors ran out.');
      out.push(`parley_accept_pauses_total ${g.accept.pauses}`);
    }
    head('process_resident_memory_bytes', 'gauge', 'Resident memory of the whole process (all threads).');
    out.push(`process_resident_memory_bytes ${g.rssBytes}`);
    head('parley_main_heap_used_bytes', 'gauge', 'V8 heap in use on the main (HTTP) thread.');
    out.push(`parley_main_heap_used_bytes ${g.heapUsedBytes}`);
    head('parley_log_lines_dropped_total', 'counter', 'Log lines dropped because stdout did not take them and PARLEY_LOG_BUFFER_BYTES were buffered (all threads).');
    out.push(`parley_log_lines_dropped_total ${g.mainLogDrops + this.shardLogDrops}`);
    return out.join('\n') + '\n';
  }
}

// Server options: typed input → one DEFAULTS → a validated, frozen, fully-filled config.
// A bad value's error names its variable (the path) and the expected shape.
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { DEFAULT_LOG_BUFFER_BYTES } from '../log.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  configDir?: string;
  shards?: number;
  longPollMs?: number;
  /** a long poll repeating the last answered poll's correlation id within this long gets its batch again; 0: never */
  pollReplayMs?: number;
  concludeGraceMs?: number;
  adminToken?: string;
  maxBodyBytes?: number;
  journal?: boolean;
  /** how long an offered engagement waits for ACCEPT before it goes to the next agent */
  offerTimeoutMs?: number;
  /** concluded engagements are deleted from the store after this long */
  retentionMs?: number;
  /** a WebSocket with more than this many bytes unsent is closed (client resumes with ?after=) */
  wsMaxBackpressure?: number;
  /** consumer WebSockets kept per engagement; a newer one closes the oldest (4009) */
  wsMaxPerEngagement?: number;
  /** agent WebSockets kept per agent session; a newer one closes the oldest (4009) */
  wsMaxPerAgentSession?: number;
  /** failed sign-ins (issuer Basic auth, admin token) per client address and user within authFailureWindowS before 429; 0: no limit */
  authMaxFailures?: number;
  authFailureWindowS?: number;
  /** below this much free space on the journal's filesystem, shards refuse new posts and engagements (503 STORE_FULL); 0: no check */
  journalMinFreeMb?: number;
  /** a reverse proxy in front appends the client's address to X-Forwarded-For: key throttles on it */
  trustProxy?: boolean;
  /** an open engagement whose consumer has not called (no poll parked, no WebSocket) for this long is concluded; 0: never */
  consumerIdleMs?: number;
  /** an agent session with no call (no poll parked, no WebSocket) for this long is logged off; 0: never */
  agentIdleMs?: number;
  /** consumer JWT lifetime */
  jwtTtlSec?: number;
  logLevel?: string;
  /** log bytes a thread buffers while stdout does not take them; past it lines are dropped and counted */
  logBufferBytes?: number;
  /** heap limit of each shard thread; a shard that exceeds it dies and is restarted */
  shardMaxHeapMb?: number;
  /** a shard holding this many engagements refuses new ones (503 AT_CAPACITY); 0: no cap */
  shardMaxEngagements?: number;
  /** a shard whose old generation in use is over this percent of shardMaxHeapMb refuses new engagements; 0: off */
  shardHeapAdmitPct?: number;
  /** a shard that answers no heartbeat for this long is taken as hung: its thread is replaced */
  shardHangMs?: number;
  /** a graceful stop (SIGTERM) that has not finished after this long ends with SIGKILL */
  stopTimeoutMs?: number;
  /** enables POST /admin/v1/shards/:n/fault (crash-recovery tests only) */
  faultInjection?: boolean;
  /** how batches cross the shard ports (see src/shards/transport.ts for the measurement) */
  shardCodec?: 'clone' | 'msgpackr';
  /** journal durability: 'commit' survives a process crash, 'flush' also a power loss (fsync per batch) */
  journalSync?: 'commit' | 'flush';
}

export interface ResolvedServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly configDir: string;
  readonly shards: number;
  readonly longPollMs: number;
  readonly pollReplayMs: number;
  readonly concludeGraceMs: number;
  readonly adminToken: string;
  readonly adminTokenGenerated: boolean;
  readonly maxBodyBytes: number;
  readonly journal: boolean;
  readonly offerTimeoutMs: number;
  readonly retentionMs: number;
  readonly wsMaxBackpressure: number;
  readonly wsMaxPerEngagement: number;
  readonly wsMaxPerAgentSession: number;
  readonly authMaxFailures: number;
  readonly authFailureWindowS: number;
  readonly trustProxy: boolean;
  readonly journalMinFreeMb: number;
  readonly consumerIdleMs: number;
  readonly agentIdleMs: number;
  readonly jwtTtlSec: number;
  readonly logLevel: string;
  readonly logBufferBytes: number;
  readonly shardMaxHeapMb: number;
  readonly shardMaxEngagements: number;
  readonly shardHeapAdmitPct: number;
  readonly shardHangMs: number;
  readonly stopTimeoutMs: number;
  readonly faultInjection: boolean;
  readonly shardCodec: 'clone' | 'msgpackr';
  readonly journalSync: 'commit' | 'flush';
}

export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  dataDir: './data',
  configDir: './config',
  shards: Math.max(1, os.availableParallelism() - 1),
  longPollMs: 25_000,
  pollReplayMs: 5_000,
  concludeGraceMs: 60_000,
  maxBodyBytes: 1_048_576,
  journal: true,
  offerTimeoutMs: 30_000,
  retentionMs: 7 * 24 * 3600_000,
  wsMaxBackpressure: 1_048_576,
  wsMaxPerEngagement: 8,
  wsMaxPerAgentSession: 8,
  authMaxFailures: 10,
  authFailureWindowS: 300,
  trustProxy: false,
  journalMinFreeMb: 64,
  consumerIdleMs: 300_000,
  agentIdleMs: 300_000,
  jwtTtlSec: 300,
  logLevel: 'info',
  logBufferBytes: DEFAULT_LOG_BUFFER_BYTES,
  shardMaxHeapMb: 4096,
  shardMaxEngagements: 0,
  shardHeapAdmitPct: 60,
  shardHangMs: 10_000,
  stopTimeoutMs: 30_000,
  faultInjection: false,
  shardCodec: 'clone',
  journalSync: 'commit',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Maps environment variables to options; unset variables stay undefined (→ DEFAULTS). */
export function optionsFromEnv(env: NodeJS.ProcessEnv): { options: ServerOptions; problems: string[] } {
  const problems: string[] = [];
  const int = (name: string, min: number, max: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}: expected an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return n;
  };
  const str = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const bool = (name: string): boolean | undefined => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    if (/^(1|true|on|yes)$/i.test(raw)) return true;
    if (/^(0|false|off|no)$/i.test(raw)) return false;
    problems.push(`${name}: expected on|off, got ${JSON.stringify(raw)}`);
    return undefined;
  };
  const options: ServerOptions = {
    port: int('PARLEY_PORT', 0, 65535) ?? int('PORT', 0, 65535),
    host: str('PARLEY_HOST'),
    dataDir: str('PARLEY_DATA_DIR'),
    configDir: str('PARLEY_CONFIG_DIR'),
    shards: int('PARLEY_SHARDS', 1, 256),
    longPollMs: int('PARLEY_LONG_POLL_MS', 1, 120_000),
    pollReplayMs: int('PARLEY_POLL_REPLAY_MS', 0, 120_000),
    concludeGraceMs: int('PARLEY_CONCLUDE_GRACE_MS', 0, 3_600_000),
    adminToken: str('PARLEY_ADMIN_TOKEN'),
    maxBodyBytes: int('PARLEY_MAX_BODY_BYTES', 1024, 64 * 1_048_576),
    journal: bool('PARLEY_JOURNAL'),
    offerTimeoutMs: int('PARLEY_OFFER_TIMEOUT_MS', 100, 600_000),
    retentionMs: int('PARLEY_RETENTION_MS', 1000, 3650 * 24 * 3600_000),
    wsMaxBackpressure: int('PARLEY_WS_MAX_BACKPRESSURE', 1024, 1 << 30),
    wsMaxPerEngagement: int('PARLEY_WS_MAX_PER_ENGAGEMENT', 1, 1000),
    wsMaxPerAgentSession: int('PARLEY_WS_MAX_PER_AGENT_SESSION', 1, 1000),
    authMaxFailures: int('PARLEY_AUTH_MAX_FAILURES', 0, 1_000_000),
    authFailureWindowS: int('PARLEY_AUTH_FAILURE_WINDOW_S', 1, 86_400),
    trustProxy: bool('PARLEY_TRUST_PROXY'),
    journalMinFreeMb: int('PARLEY_JOURNAL_MIN_FREE_MB', 0, 1 << 30),
    consumerIdleMs: int('PARLEY_CONSUMER_IDLE_MS', 0, 7 * 24 * 3600_000),
    agentIdleMs: int('PARLEY_AGENT_IDLE_MS', 0, 7 * 24 * 3600_000),
    jwtTtlSec: int('PARLEY_JWT_TTL_SEC', 5, 86_400),
    logLevel: str('PARLEY_LOG_LEVEL'),
    logBufferBytes: int('PARLEY_LOG_BUFFER_BYTES', 65_536, 1 << 30),
    shardMaxHeapMb: int('PARLEY_SHARD_MAX_HEAP_MB', 64, 65536),
    shardMaxEngagements: int('PARLEY_SHARD_MAX_ENGAGEMENTS', 0, 100_000_000),
    shardHeapAdmitPct: int('PARLEY_SHARD_HEAP_ADMIT_PCT', 0, 95),
    shardHangMs: int('PARLEY_SHARD_HANG_MS', 100, 3_600_000),
    stopTimeoutMs: int('PARLEY_STOP_TIMEOUT_MS', 1000, 3_600_000),
    faultInjection: bool('PARLEY_FAULT_INJECTION'),
    shardCodec: str('PARLEY_SHARD_CODEC') as ServerOptions['shardCodec'],
    journalSync: str('PARLEY_JOURNAL_SYNC') as ServerOptions['journalSync'],
  };
  return { options, problems };
}

export function resolveServerConfig(input: ServerOptions, extraProblems: string[] = []): ResolvedServerConfig {
  const problems = [...extraProblems];
  const check = (p: string, ok: boolean, shape: string): void => {
    if (!ok) problems.push(`${p}: expected ${shape}`);
  };
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS &
    ServerOptions;
  check('port', Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535, 'integer in [0, 65535]');
  check('host', typeof o.host === 'string' && o.host.length > 0, 'non-empty string');
  check('shards', Number.isInteger(o.shards) && o.shards >= 1 && o.shards <= 256, 'integer in [1, 256]');
  check('longPollMs', Number.isInteger(o.longPollMs) && o.longPollMs > 0, 'positive integer (ms)');
  check('pollReplayMs', Number.isInteger(o.pollReplayMs) && o.pollReplayMs >= 0 && o.pollReplayMs <= 120_000, 'integer in [0, 120000] (ms; 0: no replay)');
  check('concludeGraceMs', Number.isInteger(o.concludeGraceMs) && o.concludeGraceMs >= 0, 'integer ≥ 0 (ms)');
  check('shardCodec', o.shardCodec === 'clone' || o.shardCodec === 'msgpackr', 'clone | msgpackr');
  check('journalSync', o.journalSync === 'commit' || o.journalSync === 'flush', 'commit | flush');
  check('stopTimeoutMs', Number.isInteger(o.stopTimeoutMs) && o.stopTimeoutMs >= 1000, 'integer ≥ 1000 (ms)');
  check('shardHangMs', Number.isInteger(o.shardHangMs) && o.shardHangMs >= 100, 'integer ≥ 100 (ms)');
  check('shardMaxEngagements', Number.isInteger(o.shardMaxEngagements) && o.shardMaxEngagements >= 0, 'integer ≥ 0 (0: no cap)');
  check('shardHeapAdmitPct', Number.isInteger(o.shardHeapAdmitPct) && o.shardHeapAdmitPct >= 0 && o.shardHeapAdmitPct <= 95, 'integer in [0, 95] (0: off)');
  check('logBufferBytes', Number.isInteger(o.logBufferBytes) && o.logBufferBytes >= 65_536, 'integer ≥ 65536 (bytes)');
  for (const [name, n] of [['wsMaxPerEngagement', o.wsMaxPerEngagement], ['wsMaxPerAgentSession', o.wsMaxPerAgentSession]] as const) {
    check(name, Number.isInteger(n) && n >= 1 && n <= 1000, 'integer in [1, 1000]');
  }
  for (const [name, ms] of [['consumerIdleMs', o.consumerIdleMs], ['agentIdleMs', o.agentIdleMs]] as const) {
    const v: number = ms;
    check(name, Number.isInteger(v) && (v === 0 || v >= 1000), '0 (never) or an integer ≥ 1000 (ms)');
  }
  check('authMaxFailures', Number.isInteger(o.authMaxFailures) && o.authMaxFailures >= 0, 'integer ≥ 0 (0: no limit)');
  check('authFailureWindowS', Number.isInteger(o.authFailureWindowS) && o.authFailureWindowS >= 1, 'integer ≥ 1 (seconds)');
  check('journalMinFreeMb', Number.isInteger(o.journalMinFreeMb) && o.journalMinFreeMb >= 0, 'integer ≥ 0 (MB; 0: no check)');
  check('trustProxy', typeof o.trustProxy === 'boolean', 'boolean');
  check('maxBodyBytes', Number.isInteger(o.maxBodyBytes) && o.maxBodyBytes >= 1024, 'integer ≥ 1024');
  if (problems.length) throw new ConfigError(problems);
  const generated = o.adminToken === undefined;
  return Object.freeze({
    port: o.port,
    host: o.host,
    dataDir: path.resolve(o.dataDir),
    configDir: path.resolve(o.configDir),
    shards: o.shards,
    longPollMs: o.longPollMs,
    pollReplayMs: o.pollReplayMs,
    concludeGraceMs: o.concludeGraceMs,
    adminToken: o.adminToken ?? crypto.randomBytes(18).toString('base64url'),
    adminTokenGenerated: generated,
    maxBodyBytes: o.maxBodyBytes,
    journal: o.journal,
    offerTimeoutMs: o.offerTimeoutMs,
    retentionMs: o.retentionMs,
    wsMaxBackpressure: o.wsMaxBackpressure,
    wsMaxPerEngagement: o.wsMaxPerEngagement,
    wsMaxPerAgentSession: o.wsMaxPerAgentSession,
    authMaxFailures: o.authMaxFailures,
    authFailureWindowS: o.authFailureWindowS,
    trustProxy: o.trustProxy,
    journalMinFreeMb: o.journalMinFreeMb,
    consumerIdleMs: o.consumerIdleMs,
    agentIdleMs: o.agentIdleMs,
    jwtTtlSec: o.jwtTtlSec,
    logLevel: o.logLevel,
    logBufferBytes: o.logBufferBytes,
    shardMaxHeapMb: o.shardMaxHeapMb,
    shardMaxEngagements: o.shardMaxEngagements,
    shardHeapAdmitPct: o.shardHeapAdmitPct,
    shardHangMs: o.shardHangMs,
    stopTimeoutMs: o.stopTimeoutMs,
    faultInjection: o.faultInjection,
    shardCodec: o.shardCodec,
    journalSync: o.journalSync,
  });
}

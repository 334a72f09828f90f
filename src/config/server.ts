// Server options: typed input → one DEFAULTS → a validated, frozen, fully-filled config.
// A bad value's error names its variable (the path) and the expected shape.
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { DEFAULT_LOG_BUFFER_BYTES } from '../log.ts';
import { PUBLIC_URL_SHAPE, parsePublicUrl, type PublicAddress } from './public-url.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  configDir?: string;
  shards?: number;
  longPollMs?: number;
  /** a consumer long poll retrying the last answered poll's clientTransactionId within this long gets its batch again (workers/actor/poll-replay.ts); 0: never */
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
  /** failed issuer sign-ins from one client address, whatever the user (password spraying), within authFailureWindowS before 429; 0 (the default): no limit */
  authMaxFailuresPerAddress?: number;
  authFailureWindowS?: number;
  /** new engagements one client address may open on one site at once (a token bucket's size); 0: no limit */
  engagementRateBurst?: number;
  /** one more new engagement is allowed per this long, up to engagementRateBurst */
  engagementRateRefillMs?: number;
  /** below this much free space on the journal's filesystem, shards refuse new posts and engagements (503 STORE_FULL); 0: no check */
  journalMinFreeMb?: number;
  /** a reverse proxy in front appends the client's address to X-Forwarded-For: key throttles on it; and its X-Forwarded-Host/-Proto/-Port say where clients reach the chat server */
  trustProxy?: boolean;
  /** the chat server's address as clients reach it (scheme://host[:port]), handed out by the issuer; unset: from the request's headers */
  publicUrl?: string;
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
  /** the built-in development tenant `demo` (public credentials demo/demo) while no demo.yaml replaces it */
  demoTenant?: boolean;
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
  readonly authMaxFailuresPerAddress: number;
  readonly authFailureWindowS: number;
  readonly engagementRateBurst: number;
  readonly engagementRateRefillMs: number;
  readonly trustProxy: boolean;
  readonly publicUrl: PublicAddress | undefined;
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
  readonly demoTenant: boolean;
}

/** PARLEY_SHARDS's valid values; the bench's --shards check mirrors them */
export const SHARDS_RANGE = { min: 1, max: 256 } as const;

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
  // off by default: on, anyone sharing an address (a NAT, a proxy without PARLEY_TRUST_PROXY) locks
  // out its users with made-up names; operators whose addresses are the clients' turn it on (README)
  authMaxFailuresPerAddress: 0,
  authFailureWindowS: 300,
  // 20 at once, then ≈ 20 a minute, per address and site: more than an office or a carrier NAT
  // address opens on one site's chat (each chat lasts minutes), while one script's flood (measured
  // at 284 a second) gets its first 20 and then one every 3 s
  // off by default: a chat front's backend (a messaging gateway, a bot bridge) opens every
  // engagement from one address, and so do the contract checks and load tests; operators whose
  // browsers call Parley directly turn it on (README: 20, one per 3 s)
  engagementRateBurst: 0,
  engagementRateRefillMs: 3000,
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
  demoTenant: true,
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    // one line: start-up prints it as is, and a log collector keeps a line together
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

interface IntSpec {
  kind: 'int';
  env: string;
  /** read when `env` is unset */
  alt?: string;
  min: number;
  max: number;
  /** 0 is allowed below `min` (an "off" value) */
  zeroOff?: true;
}
interface BoolSpec {
  kind: 'bool';
  env: string;
}
interface StringSpec {
  kind: 'string';
  env: string;
}
/** A secret sent as `Authorization: Bearer <token>`: the bearer parser takes one run of visible
 * characters, and header bytes beyond ASCII do not come back as the same string, so a token with a
 * space or a non-ASCII letter would start and then refuse every request. Never echoed. */
interface TokenSpec {
  kind: 'token';
  env: string;
}
/** The chat server's public URL (public-url.ts): kept as text in options, resolved to its parts. */
interface UrlSpec {
  kind: 'url';
  env: string;
}
interface EnumSpec {
  kind: 'enum';
  env: string;
  values: readonly string[];
}
type SpecFor<T> = [T] extends [number] ? IntSpec : [T] extends [boolean] ? BoolSpec : StringSpec | EnumSpec | TokenSpec | UrlSpec;
type Spec = IntSpec | BoolSpec | StringSpec | EnumSpec | TokenSpec | UrlSpec;

const H = 3600_000;
const DAY = 24 * H;
/**
 * The one place each option's variable and valid values are written down: both the environment
 * (errors name the variable) and options given in code (errors name the option) are checked here.
 */
const SPECS: { readonly [K in keyof ServerOptions]-?: SpecFor<NonNullable<ServerOptions[K]>> } = {
  port: { kind: 'int', env: 'PARLEY_PORT', alt: 'PORT', min: 0, max: 65535 },
  host: { kind: 'string', env: 'PARLEY_HOST' },
  dataDir: { kind: 'string', env: 'PARLEY_DATA_DIR' },
  configDir: { kind: 'string', env: 'PARLEY_CONFIG_DIR' },
  shards: { kind: 'int', env: 'PARLEY_SHARDS', ...SHARDS_RANGE },
  longPollMs: { kind: 'int', env: 'PARLEY_LONG_POLL_MS', min: 1, max: 120_000 },
  pollReplayMs: { kind: 'int', env: 'PARLEY_POLL_REPLAY_MS', min: 0, max: 120_000 },
  concludeGraceMs: { kind: 'int', env: 'PARLEY_CONCLUDE_GRACE_MS', min: 0, max: H },
  adminToken: { kind: 'token', env: 'PARLEY_ADMIN_TOKEN' },
  maxBodyBytes: { kind: 'int', env: 'PARLEY_MAX_BODY_BYTES', min: 1024, max: 64 * 1_048_576 },
  journal: { kind: 'bool', env: 'PARLEY_JOURNAL' },
  offerTimeoutMs: { kind: 'int', env: 'PARLEY_OFFER_TIMEOUT_MS', min: 100, max: 600_000 },
  retentionMs: { kind: 'int', env: 'PARLEY_RETENTION_MS', min: 1000, max: 3650 * DAY },
  wsMaxBackpressure: { kind: 'int', env: 'PARLEY_WS_MAX_BACKPRESSURE', min: 1024, max: 1 << 30 },
  wsMaxPerEngagement: { kind: 'int', env: 'PARLEY_WS_MAX_PER_ENGAGEMENT', min: 1, max: 1000 },
  wsMaxPerAgentSession: { kind: 'int', env: 'PARLEY_WS_MAX_PER_AGENT_SESSION', min: 1, max: 1000 },
  authMaxFailures: { kind: 'int', env: 'PARLEY_AUTH_MAX_FAILURES', min: 0, max: 1_000_000 },
  authMaxFailuresPerAddress: { kind: 'int', env: 'PARLEY_AUTH_MAX_FAILURES_PER_ADDRESS', min: 0, max: 1_000_000 },
  authFailureWindowS: { kind: 'int', env: 'PARLEY_AUTH_FAILURE_WINDOW_S', min: 1, max: 86_400 },
  engagementRateBurst: { kind: 'int', env: 'PARLEY_ENGAGEMENT_RATE_BURST', min: 0, max: 1_000_000 },
  engagementRateRefillMs: { kind: 'int', env: 'PARLEY_ENGAGEMENT_RATE_REFILL_MS', min: 10, max: H },
  journalMinFreeMb: { kind: 'int', env: 'PARLEY_JOURNAL_MIN_FREE_MB', min: 0, max: 1 << 30 },
  trustProxy: { kind: 'bool', env: 'PARLEY_TRUST_PROXY' },
  publicUrl: { kind: 'url', env: 'PARLEY_PUBLIC_URL' },
  consumerIdleMs: { kind: 'int', env: 'PARLEY_CONSUMER_IDLE_MS', min: 1000, max: 7 * DAY, zeroOff: true },
  agentIdleMs: { kind: 'int', env: 'PARLEY_AGENT_IDLE_MS', min: 1000, max: 7 * DAY, zeroOff: true },
  jwtTtlSec: { kind: 'int', env: 'PARLEY_JWT_TTL_SEC', min: 5, max: 86_400 },
  logLevel: { kind: 'enum', env: 'PARLEY_LOG_LEVEL', values: LOG_LEVELS },
  logBufferBytes: { kind: 'int', env: 'PARLEY_LOG_BUFFER_BYTES', min: 65_536, max: 1 << 30 },
  shardMaxHeapMb: { kind: 'int', env: 'PARLEY_SHARD_MAX_HEAP_MB', min: 64, max: 65536 },
  shardMaxEngagements: { kind: 'int', env: 'PARLEY_SHARD_MAX_ENGAGEMENTS', min: 0, max: 100_000_000 },
  shardHeapAdmitPct: { kind: 'int', env: 'PARLEY_SHARD_HEAP_ADMIT_PCT', min: 0, max: 95 },
  shardHangMs: { kind: 'int', env: 'PARLEY_SHARD_HANG_MS', min: 100, max: H },
  stopTimeoutMs: { kind: 'int', env: 'PARLEY_STOP_TIMEOUT_MS', min: 1000, max: H },
  faultInjection: { kind: 'bool', env: 'PARLEY_FAULT_INJECTION' },
  shardCodec: { kind: 'enum', env: 'PARLEY_SHARD_CODEC', values: ['clone', 'msgpackr'] },
  journalSync: { kind: 'enum', env: 'PARLEY_JOURNAL_SYNC', values: ['commit', 'flush'] },
  demoTenant: { kind: 'bool', env: 'PARLEY_DEMO_TENANT' },
};

/** Every variable the server reads (PORT aside): start-up warns about other PARLEY_* names (startup-checks.ts). */
export const ENV_NAMES: ReadonlyArray<string> = Object.values(SPECS as Record<string, Spec>).map((s) => s.env);

function shape(spec: Spec): string {
  switch (spec.kind) {
    case 'int':
      return `${spec.zeroOff ? '0 (off) or ' : ''}an integer in [${spec.min}, ${spec.max}] (decimal digits)`;
    case 'bool':
      return 'on|off';
    case 'string':
      return 'a non-empty string';
    case 'enum':
      return spec.values.join(' | ');
    case 'token':
      return 'visible ASCII characters, no spaces (it is sent as "Authorization: Bearer <token>")';
    case 'url':
      return PUBLIC_URL_SHAPE;
  }
}

function validValue(spec: Spec, v: unknown): boolean {
  switch (spec.kind) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && ((v >= spec.min && v <= spec.max) || (spec.zeroOff === true && v === 0));
    case 'bool':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string' && v.length > 0;
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v);
    case 'token':
      return typeof v === 'string' && /^[\x21-\x7e]+$/.test(v);
    case 'url':
      return typeof v === 'string' && parsePublicUrl(v) !== undefined;
  }
}

/** The value as an error quotes it; a secret only by its first bad character, so it stays out of logs. */
function given(spec: Spec, v: unknown): string {
  if (spec.kind !== 'token' || typeof v !== 'string') return JSON.stringify(v);
  const i = [...v].findIndex((c) => !/^[\x21-\x7e]$/.test(c));
  const c = [...v][i];
  if (c === undefined) return 'an empty value';
  const cp = `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `a value with ${c === ' ' ? 'a space' : cp} at character ${i + 1} (value not shown)`;
}

/** A variable's text → its value, or undefined when it does not have the spec's shape. */
function parseEnv(spec: Spec, raw: string): unknown {
  switch (spec.kind) {
    case 'int':
      // decimal digits only: Number() would also take 0x10, 1e2, " 8 " and 0b1
      return /^[0-9]{1,16}$/.test(raw) ? Number(raw) : undefined;
    case 'bool':
      return /^(1|true|on|yes)$/i.test(raw) ? true : /^(0|false|off|no)$/i.test(raw) ? false : undefined;
    case 'string':
    case 'enum':
    case 'token':
    case 'url':
      return raw;
  }
}

/** Maps environment variables to options; unset (or empty) variables stay undefined (→ DEFAULTS). */
export function optionsFromEnv(env: NodeJS.ProcessEnv): { options: ServerOptions; problems: string[] } {
  const problems: string[] = [];
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SPECS) as [keyof ServerOptions, Spec][]) {
    const name = spec.kind === 'int' && spec.alt !== undefined && !env[spec.env] ? spec.alt : spec.env;
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const v = parseEnv(spec, raw);
    if (v === undefined || !validValue(spec, v)) problems.push(`${name}: expected ${shape(spec)}, got ${given(spec, raw)}`);
    else options[key] = v;
  }
  return { options: options as ServerOptions, problems };
}

export function resolveServerConfig(input: ServerOptions, extraProblems: string[] = []): ResolvedServerConfig {
  const problems = [...extraProblems];
  for (const [key, spec] of Object.entries(SPECS) as [keyof ServerOptions, Spec][]) {
    const v = input[key];
    if (v !== undefined && !validValue(spec, v)) problems.push(`${key}: expected ${shape(spec)}, got ${given(spec, v)}`);
  }
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS &
    ServerOptions;
  // a concluded engagement leaves the store after the retention: a shorter one cuts the grace period
  // its session drains in (polls 403, transcript 404 before the grace ends)
  if (problems.length === 0 && o.retentionMs < o.concludeGraceMs)
    problems.push(`${SPECS.retentionMs.env}: expected at least ${SPECS.concludeGraceMs.env} (${o.concludeGraceMs}): a concluded engagement is deleted after the retention, and its session drains for the grace period; got ${o.retentionMs}`);
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
    authMaxFailuresPerAddress: o.authMaxFailuresPerAddress,
    authFailureWindowS: o.authFailureWindowS,
    engagementRateBurst: o.engagementRateBurst,
    engagementRateRefillMs: o.engagementRateRefillMs,
    trustProxy: o.trustProxy,
    publicUrl: o.publicUrl === undefined ? undefined : parsePublicUrl(o.publicUrl),
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
    demoTenant: o.demoTenant,
  });
}

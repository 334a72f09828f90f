// Starting the servers under test, each as its own process: the baselines and Parley
// (its own temp data dir and a config dir holding the bench tenants).
import { onCpus } from './affinity.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { startServer } from './proc.ts';
import type { Started } from './proc.ts';
import type { ServerName } from './types.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');

export const BENCH_SITE = 'bench';
export const BENCH_ADV_SITE = 'benchadv';
export const BENCH_USER = 'bench';
// establishSessions finds the tenant by its integration user, so each tenant needs its own
export const BENCH_ADV_USER = 'benchadv';
export const BENCH_PASS = 'bench';
export const BENCH_AGENT = { user: 'benchagent', password: 'bench', accountId: 900 };

/** `benchadv`'s Tier-1 settings (see tenantDocs) */
export const BENCH_ADV_TIER1 = { rules: { RATE_BURST: { mode: 'off' } } };

/**
 * Bench tenants. `bench` (ham, fan-out, idle) turns off only the per-sender rules that any
 * closed-loop generator trips by construction — RATE_BURST, DUP_EXACT, DUP_NEAR; every other rule
 * stays at its default. `benchadv` (adversarial) keeps the duplicate rules on so duplicate floods
 * are caught, and turns off only RATE_BURST, which would otherwise soft-block (and after three
 * soft blocks strike) the 90 % ham senders too.
 */
export function tenantDocs(): Record<string, string> {
  const agents = `agents: [{ user: ${BENCH_AGENT.user}, password: ${BENCH_AGENT.password}, name: Bench Agent, accountId: ${BENCH_AGENT.accountId} }]\n`;
  return {
    [`${BENCH_SITE}.yaml`]:
      `site: ${BENCH_SITE}\ncredentials: [{ user: ${BENCH_USER}, password: ${BENCH_PASS} }]\n${agents}` +
      'tier1:\n  rules:\n    RATE_BURST: { mode: off }\n    DUP_EXACT: { mode: off }\n    DUP_NEAR: { mode: off }\n',
    // JSON is YAML: the same settings adversarial.ts screens with to plan the senders' posts
    [`${BENCH_ADV_SITE}.yaml`]: `site: ${BENCH_ADV_SITE}\ncredentials: [{ user: ${BENCH_ADV_USER}, password: ${BENCH_PASS} }]\ntier1: ${JSON.stringify(BENCH_ADV_TIER1)}\n`,
  };
}

export interface ParleyOptions {
  shards: number | null;
  journal: boolean;
  logLevel: string;
  tmpRoot: string;
  /** run the server on these CPUs (`--client-cores`); null: wherever the OS puts it */
  cpus: number[] | null;
  /** PARLEY_WS_MAX_PER_ENGAGEMENT (fanout: every receiver of an engagement shares its one session); unset: the server default */
  wsMaxPerEngagement?: number;
  /** PARLEY_CONSUMER_IDLE_MS (idle: its engagements never poll, and must stay open while measured); unset: the server default */
  consumerIdleMs?: number;
  /** start on this earlier server's directory (data and config) instead of a fresh one: a restart */
  dir?: string;
  /** `--parley-entry`: another build's dist/main.js (comparing builds under the same clients); null: this tree's */
  entry: string | null;
  /** told the shard count a freshly started server reports on /readyz (the report records what ran, not only what was asked) */
  sawShards?: (shards: number) => void;
}

/** `entry` when given (another build), else dist/main.js when a production build exists, else the TypeScript entry through tsx. */
export function parleyCommand(entry: string | null = null): { args: string[]; entry: string } {
  if (entry !== null) return { args: [entry], entry };
  const dist = path.join(ROOT, 'dist', 'main.js');
  if (fs.existsSync(dist)) return { args: [dist], entry: 'dist/main.js' };
  return { args: ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], entry: 'src/main.ts (tsx)' };
}

/** Inherited variables that would configure a server under test behind the bench's back: Parley's own, and Node's. */
const SERVER_SETTING = /^(PARLEY_|NODE_OPTIONS$)/;

/** The inherited settings serverEnv drops, sorted: the run's notes name them. */
export function inheritedServerSettings(inherited: NodeJS.ProcessEnv): string[] {
  return Object.keys(inherited).filter((k) => SERVER_SETTING.test(k)).sort();
}

/**
 * A server's environment: the bench's own (PATH, HOME, TMPDIR …) minus inherited PARLEY_* and
 * NODE_OPTIONS, plus `set`. The bench decides what it measures: a PARLEY_JOURNAL_SYNC=flush left
 * in the shell made Parley 3× slower with no trace in the report.
 */
export function serverEnv(inherited: NodeJS.ProcessEnv, set: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(inherited)) if (!SERVER_SETTING.test(k)) env[k] = v;
  return { ...env, ...set };
}

export async function startParley(o: ParleyOptions): Promise<Started & { dir: string; adminToken: string }> {
  const dir = o.dir ?? fs.mkdtempSync(path.join(o.tmpRoot, 'parley-'));
  const cfg = path.join(dir, 'config');
  if (o.dir === undefined) {
    fs.mkdirSync(path.join(cfg, 'tenants'), { recursive: true });
    for (const [file, text] of Object.entries(tenantDocs())) fs.writeFileSync(path.join(cfg, 'tenants', file), text);
  }
  const adminToken = crypto.randomBytes(12).toString('hex');
  const env: Record<string, string> = {
    PARLEY_PORT: '0',
    PARLEY_HOST: '127.0.0.1',
    PARLEY_DATA_DIR: path.join(dir, 'data'),
    PARLEY_CONFIG_DIR: cfg,
    PARLEY_ADMIN_TOKEN: adminToken,
    PARLEY_LOG_LEVEL: o.logLevel,
    PARLEY_JOURNAL: o.journal ? 'on' : 'off',
    // off: the bench opens its engagements (100,000 for idle) from one address, 127.0.0.1, as no
    // real client does; the per-address limit would refuse all but 20 and then one every 3 s (run.ts's notes)
    PARLEY_ENGAGEMENT_RATE_BURST: '0',
  };
  if (o.consumerIdleMs !== undefined) env.PARLEY_CONSUMER_IDLE_MS = String(o.consumerIdleMs);
  if (o.wsMaxPerEngagement !== undefined) env.PARLEY_WS_MAX_PER_ENGAGEMENT = String(o.wsMaxPerEngagement);
  if (o.shards !== null) env.PARLEY_SHARDS = String(o.shards);
  const c = onCpus(o.cpus, process.execPath, parleyCommand(o.entry).args);
  const started = await startServer(c.cmd, c.args, serverEnv(process.env, env), 90_000);
  // not on a restart: there /readyz is what is being timed
  if (o.sawShards && o.dir === undefined) {
    const ready = await fetch(`${started.base}/readyz`).then((r) => (r.ok ? (r.json() as Promise<{ shards?: unknown }>) : null), () => null);
    if (typeof ready?.shards === 'number') o.sawShards(ready.shards);
  }
  return { ...started, dir, adminToken };
}

let bundled: string | null = null;

/**
 * The baselines bundled as plain JavaScript (dist/baselines/, as `npm run build` bundles Parley),
 * built once per process. Run through tsx they carried its loader thread and its esbuild helper
 * process, whose memory was counted in their RSS (the sampler counts a server's child processes)
 * and which Parley's dist/main.js does not have. Each file is written whole and renamed into
 * place, so a concurrent run never starts a half-written one.
 */
export function baselineBundle(): string {
  if (bundled !== null) return bundled;
  const dir = path.join(ROOT, 'dist', 'baselines');
  const r = buildSync({
    entryPoints: ['uws', 'uws-hop', 'uws-hop-worker', 'node-http'].map((n) => path.join(HERE, 'baselines', `${n}.ts`)),
    bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outdir: dir, write: false, logLevel: 'silent',
  });
  fs.mkdirSync(dir, { recursive: true });
  for (const f of r.outputFiles) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, f.contents);
    fs.renameSync(tmp, f.path);
  }
  return (bundled = dir);
}

export async function startBaseline(name: Exclude<ServerName, 'parley' | 'parley-nojournal'>, cpus: number[] | null): Promise<Started> {
  const c = onCpus(cpus, process.execPath, [path.join(baselineBundle(), `${name}.js`)]);
  return await startServer(c.cmd, c.args, serverEnv(process.env, { BASELINE_HOST: '127.0.0.1', BASELINE_PORT: '0' }));
}

export function makeTmpRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
}

// Tenant documents: `PARLEY_CONFIG_DIR/tenants/<site>.yaml` (or `.json`). Each is validated on
// load with errors naming the field path; a bad file is rejected and the tenant's previous config
// stays live. With no document for it, the development tenant `demo` exists with fixed
// credentials (integration user demo/demo, agents agent1..3/demo).
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { syntaxErrorMessage } from './syntax-error.ts';
import { MAX_ACCOUNT_ID } from '../router/ids.ts';

export interface AgentAccount {
  readonly user: string;
  readonly password: string;
  readonly name: string;
  readonly accountId: number;
}

export interface Tenant {
  readonly site: string;
  readonly pool: string;
  readonly credentials: ReadonlyArray<{ readonly user: string; readonly password: string }>;
  readonly agents: ReadonlyArray<AgentAccount>;
  readonly queues: ReadonlyArray<{ readonly id: number; readonly name: string }>;
  /** the raw tier1 section; resolved by the Tier-1 config module */
  readonly tier1: unknown;
  /** browser origins allowed to call this tenant's consumer and agent APIs cross-origin (CORS); '*' for every origin */
  readonly corsOrigins: ReadonlyArray<string>;
  /** a waiting engagement no agent took within this many seconds is concluded QUEUE_TIMEOUT; 0: it waits */
  readonly queueTimeoutSec: number;
  readonly version: number;
  readonly source: string;
}

export type TenantResult = { ok: true; tenant: Tenant } | { ok: false; errors: Array<{ path: string; message: string }> };

export type Tier1Resolver = (input: unknown, path: string) => { ok: true; value: unknown } | { ok: false; errors: Array<{ path: string; message: string }> };

const SITE_RE = /^[A-Za-z0-9_.-]{1,128}$/;
// an origin: scheme://host[:port], no path; stored as browsers send it (RFC 6454 serialisation)
const ORIGIN_RE = /^(https?):\/\/([a-z0-9.-]+)(?::(\d{1,5}))?$/;
const DEFAULT_PORT: Readonly<Record<string, number>> = { http: 80, https: 443 };

/** `origin` (lower-cased) as a browser's Origin header carries it — no default port, no leading zeros — or undefined. */
function serialisedOrigin(origin: string): string | undefined {
  const m = ORIGIN_RE.exec(origin);
  if (!m) return undefined;
  const [, scheme = '', host = '', portText] = m;
  if (portText === undefined) return origin;
  const port = Number(portText);
  if (port > 65535) return undefined;
  // browsers omit their scheme's default port: `https://www.acme.com:443` would never match
  return port === DEFAULT_PORT[scheme] ? `${scheme}://${host}` : `${scheme}://${host}:${port}`;
}
let versionCounter = 0;

/** The `source` of the built-in demo tenant, which has no file. */
export const BUILT_IN = '(built-in)';

/** The built-in demo tenant's user names, by kind: integration users, agents. */
export const DEMO_USERS = { credentials: ['demo'], agents: ['agent1', 'agent2', 'agent3'] } as const;

/** The built-in demo tenant, less the user names in `leaveOut` (ones a tenant document claims). */
export function demoTenant(resolveTier1: Tier1Resolver, leaveOut: ReadonlySet<string> = new Set()): Tenant {
  const r = resolveTier1(undefined, 'tier1');
  if (!r.ok) throw new Error('built-in Tier-1 defaults do not validate: ' + JSON.stringify(r.errors));
  return Object.freeze({
    site: 'demo',
    pool: '1:1',
    credentials: Object.freeze(DEMO_USERS.credentials.filter((u) => !leaveOut.has(`credentials:${u}`)).map((user) => ({ user, password: 'demo' }))),
    agents: Object.freeze(
      DEMO_USERS.agents.flatMap((user, i) => (leaveOut.has(`agents:${user}`) ? [] : [Object.freeze({ user, password: 'demo', name: `Agent ${i + 1}`, accountId: 101 + i })])),
    ),
    queues: Object.freeze([{ id: 1, name: 'Default' }]),
    tier1: r.value,
    // the development tenant: every page may call it (auth is by header, never by cookie)
    corsOrigins: Object.freeze(['*']),
    queueTimeoutSec: 0,
    version: ++versionCounter,
    source: BUILT_IN,
  });
}

/** Validates one tenant document (already parsed from YAML/JSON). */
export function resolveTenant(doc: unknown, source: string, resolveTier1: Tier1Resolver): TenantResult {
  const errors: Array<{ path: string; message: string }> = [];
  const bad = (p: string, message: string): void => void errors.push({ path: p, message });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, errors: [{ path: '', message: 'expected a mapping (object) at the top level' }] };
  const d = doc as Record<string, unknown>;
  unknownKeys(d, '', TOP_KEYS, bad);
  const site = d.site;
  // "." and ".." are path segments clients and proxies normalise away: the tenant's URLs would not reach it
  if (typeof site !== 'string' || !SITE_RE.test(site) || site === '.' || site === '..') bad('site', 'expected a site name of letters, digits, _ . - (1–128 chars), not "." or ".."');
  const pool = d.pool ?? '1:1';
  if (typeof pool !== 'string' || !/^\d+:\d+$/.test(pool)) bad('pool', 'expected "<cluster>:<pool>", e.g. "1:1"');

  // a repeated user or id would be shadowed by the first: sign-ins and routing would reach one of them only
  const firstAt = new Map<string, string>();
  const unique = (p: string, kind: string, value: string | number, note = ''): void => {
    const key = `${kind}\0${String(value)}`;
    const first = firstAt.get(key);
    if (first === undefined) firstAt.set(key, p);
    else bad(p, `expected a unique value (${JSON.stringify(value)}${note} is also ${first})`);
  };
  const credentials: Array<{ user: string; password: string }> = [];
  if (d.credentials !== undefined) {
    if (!Array.isArray(d.credentials)) bad('credentials', 'expected a list of { user, password }');
    else
      d.credentials.forEach((c: unknown, i) => {
        const o = asRecord(c);
        if (!o || typeof o.user !== 'string' || !o.user || typeof o.password !== 'string' || !o.password) return bad(`credentials[${i}]`, 'expected { user: string, password: string }');
        unknownKeys(o, `credentials[${i}]`, ['user', 'password'], bad);
        unique(`credentials[${i}].user`, 'credential', o.user);
        credentials.push({ user: o.user, password: o.password });
      });
  }
  const agents: AgentAccount[] = [];
  if (d.agents !== undefined) {
    if (!Array.isArray(d.agents)) bad('agents', 'expected a list of { user, password, name?, accountId? }');
    else
      d.agents.forEach((a: unknown, i) => {
        const o = asRecord(a);
        if (!o || typeof o.user !== 'string' || !o.user || typeof o.password !== 'string' || !o.password) return bad(`agents[${i}]`, 'expected { user: string, password: string, name?: string, accountId?: integer }');
        unknownKeys(o, `agents[${i}]`, ['user', 'password', 'name', 'accountId'], bad);
        if (o.name !== undefined && typeof o.name !== 'string') bad(`agents[${i}].name`, 'expected a string');
        const accountId = o.accountId ?? 100 + i + 1;
        if (typeof accountId !== 'number' || !Number.isInteger(accountId) || accountId <= 0 || accountId > MAX_ACCOUNT_ID) {
          return bad(`agents[${i}].accountId`, `expected an integer from 1 to ${MAX_ACCOUNT_ID} (an agent's clientId is accountId × 4 + 3 and must stay below 2^53)`);
        }
        unique(`agents[${i}].user`, 'agent', o.user);
        unique(`agents[${i}].accountId`, 'accountId', accountId, o.accountId === undefined ? ', the default 100 + position,' : '');
        agents.push({ user: o.user, password: o.password, name: typeof o.name === 'string' ? o.name : o.user, accountId });
      });
  }
  const queues: Array<{ id: number; name: string }> = [];
  if (d.queues !== undefined) {
    if (!Array.isArray(d.queues)) bad('queues', 'expected a list of { id, name }');
    else
      d.queues.forEach((q: unknown, i) => {
        const o = asRecord(q);
        if (!o || typeof o.id !== 'number' || !Number.isSafeInteger(o.id) || o.id <= 0) return bad(`queues[${i}].id`, 'expected a positive integer');
        unknownKeys(o, `queues[${i}]`, ['id', 'name'], bad);
        if (o.name !== undefined && typeof o.name !== 'string') bad(`queues[${i}].name`, 'expected a string');
        unique(`queues[${i}].id`, 'queue', o.id);
        queues.push({ id: o.id, name: typeof o.name === 'string' ? o.name : `Queue ${String(o.id)}` });
      });
  }
  if (queues.length === 0) queues.push({ id: 1, name: 'Default' });
  const corsOrigins = resolveCors(d.cors, bad);
  const queueTimeoutSec = d.queueTimeoutSec ?? 0;
  if (!Number.isSafeInteger(queueTimeoutSec) || (queueTimeoutSec as number) < 0) bad('queueTimeoutSec', 'expected an integer ≥ 0 (seconds; 0: engagements wait for an agent without limit)');
  const t1 = resolveTier1(d.tier1, 'tier1');
  if (!t1.ok) errors.push(...t1.errors);
  if (errors.length || !t1.ok) return { ok: false, errors };
  return {
    ok: true,
    tenant: Object.freeze({
      site: site as string,
      pool: pool as string,
      credentials: Object.freeze(credentials),
      agents: Object.freeze(agents),
      queues: Object.freeze(queues),
      tier1: t1.value,
      corsOrigins,
      queueTimeoutSec: queueTimeoutSec as number,
      version: ++versionCounter,
      source,
    }),
  };
}

/** `cors: { origins: [...] }` → the allowed origins, lower-cased (absent: none). */
function resolveCors(cors: unknown, bad: (p: string, message: string) => void): ReadonlyArray<string> {
  if (cors === undefined) return Object.freeze([]);
  const expected = 'expected { origins: ["https://www.example.com", …] } (or ["*"] for any origin)';
  if (typeof cors !== 'object' || cors === null || Array.isArray(cors)) {
    bad('cors', expected);
    return [];
  }
  unknownKeys(cors as Record<string, unknown>, 'cors', ['origins'], bad);
  const origins = (cors as Record<string, unknown>).origins;
  if (!Array.isArray(origins)) {
    bad('cors.origins', expected);
    return [];
  }
  const out: string[] = [];
  origins.forEach((o: unknown, i) => {
    const v = typeof o === 'string' ? o.toLowerCase() : '';
    const origin = v === '*' ? v : serialisedOrigin(v);
    if (origin !== undefined) out.push(origin);
    else bad(`cors.origins[${i}]`, 'expected "*" or an origin like "https://www.example.com" (scheme, host, optional port up to 65535; no path or trailing slash)');
  });
  return Object.freeze(out);
}

// every key a tenant document may hold: a misspelt one (`tier_1:`) would otherwise be ignored and
// its section silently fall back to the defaults
const TOP_KEYS = ['site', 'pool', 'credentials', 'agents', 'queues', 'cors', 'queueTimeoutSec', 'tier1'];

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function unknownKeys(o: Record<string, unknown>, at: string, known: ReadonlyArray<string>, bad: (p: string, message: string) => void): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) bad(at ? `${at}.${k}` : k, `unknown field (expected one of ${known.join(', ')})`);
}

/** The file's document; a syntax error throws with its line and column only (syntax-error.ts). */
export function parseTenantFile(file: string, text: string): unknown {
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new Error(syntaxErrorMessage(file, text, e));
  }
}

export type Problem = { file: string; errors: Array<{ path: string; message: string }> };

/** One error as `path: message` (the Tier-1 resolver's messages already start with their path; a file-level one has none). */
export function errorLine(e: { path: string; message: string }): string {
  return e.path && !e.message.startsWith(`${e.path}: `) ? `${e.path}: ${e.message}` : e.message;
}

/** What a file held when last read, and what it resolved to. */
export interface FileState {
  readonly text: string;
  readonly result: TenantResult;
}

/**
 * Reads every tenant file in the directory; bad files are reported and skipped. A file whose text
 * is what `known` last saw keeps its earlier result (the same Tenant, so the same version): an
 * edit of one file neither re-versions nor re-compiles every other tenant.
 */
export async function loadTenantDir(
  configDir: string,
  resolveTier1: Tier1Resolver,
  known: ReadonlyMap<string, FileState> = new Map(),
): Promise<{ tenants: Tenant[]; problems: Problem[]; files: Map<string, FileState> }> {
  const dir = path.join(configDir, 'tenants');
  const tenants: Tenant[] = [];
  const problems: Problem[] = [];
  const files = new Map<string, FileState>();
  let names: string[] = [];
  try {
    names = (await fs.promises.readdir(dir)).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  } catch {
    return { tenants, problems, files };
  }
  for (const name of names) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (e) {
      problems.push({ file, errors: [{ path: '', message: `cannot read: ${(e as Error).message}` }] });
      continue;
    }
    const prev = known.get(file);
    const r = prev?.text === text ? prev.result : resolveText(file, text, resolveTier1);
    files.set(file, { text, result: r });
    if (r.ok) tenants.push(r.tenant);
    else problems.push({ file, errors: r.errors });
  }
  const kept = oneDocumentPerSite(tenants, problems);
  return { tenants: kept, problems, files };
}

function resolveText(file: string, text: string, resolveTier1: Tier1Resolver): TenantResult {
  let doc: unknown;
  try {
    doc = parseTenantFile(file, text);
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: `cannot parse: ${(e as Error).message}` }] };
  }
  return resolveTenant(doc, file, resolveTier1);
}

/**
 * Two documents claiming one site would otherwise replace each other silently (the one read last
 * wins, the other's users get 401). The document named after its site (`<site>.yaml|.yml|.json`,
 * as documented) is used and the others are refused; when none or several are so named, all are
 * refused, and the registry keeps the site's previous config. Each refusal names the other files.
 */
export function oneDocumentPerSite(tenants: Tenant[], problems: Problem[]): Tenant[] {
  const bySite = new Map<string, Tenant[]>();
  for (const t of tenants) bySite.set(t.site, [...(bySite.get(t.site) ?? []), t]);
  const kept: Tenant[] = [];
  for (const [site, claims] of bySite) {
    const only = claims[0];
    if (claims.length === 1 && only) {
      kept.push(only);
      continue;
    }
    const named = claims.filter((t) => path.basename(t.source).replace(/\.(ya?ml|json)$/, '') === site);
    const winner = named.length === 1 ? named[0] : undefined;
    if (winner) kept.push(winner);
    for (const t of claims) {
      if (t === winner) continue;
      const others = claims.filter((o) => o !== t).map((o) => o.source).join(', ');
      const message = winner
        ? `site "${site}" is already defined by ${winner.source} (the document named after the site); this document is ignored — give it another site or remove it`
        : `site "${site}" is also defined by ${others}; none of them is used until only one document defines it (name it ${site}.yaml)`;
      problems.push({ file: t.source, errors: [{ path: 'site', message }] });
    }
  }
  return kept;
}

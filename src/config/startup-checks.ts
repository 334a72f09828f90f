// Operator mistakes that would leave a node running, but not as meant, said at start: a misspelt
// PARLEY_* variable (ignored otherwise — PARLEY_JOURNAL_SYNCH=flush ran in commit mode without a
// word), a config dir that is missing or holds no tenants/ dir, and settings not meant for
// production. A misspelt name only warns: other tools may set PARLEY_-prefixed variables.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, DEFAULTS, ENV_NAMES, type ResolvedServerConfig } from './server.ts';

export interface StartupWarning {
  readonly msg: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Edit distance (insertions, deletions, substitutions) between two short names. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** A warning for each PARLEY_* variable Parley does not read, with the closest known name when one is near. */
export function unknownVariables(env: NodeJS.ProcessEnv): StartupWarning[] {
  const known = new Set(ENV_NAMES);
  const out: StartupWarning[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('PARLEY_') || known.has(name)) continue;
    let best: string | undefined;
    let bestD = Infinity;
    for (const k of ENV_NAMES) {
      const d = distance(name, k);
      if (d < bestD) [best, bestD] = [k, d];
    }
    // a few edits: a typo, a missing _ or s; farther, a guess would mislead
    const near = best !== undefined && bestD <= 3;
    out.push({ msg: `unknown variable ${name} ignored${near ? ` (did you mean ${best}?)` : ': not a Parley setting'}`, fields: { variable: name, ...(near ? { didYouMean: best } : {}) } });
  }
  return out;
}

/** Settings a production node should not run with. */
export function unsafeSettings(cfg: ResolvedServerConfig): StartupWarning[] {
  const out: StartupWarning[] = [];
  if (!cfg.journal) out.push({ msg: 'PARLEY_JOURNAL=off: nothing is stored — a restart loses every engagement and message (benchmarks only)', fields: { variable: 'PARLEY_JOURNAL' } });
  if (cfg.faultInjection) out.push({ msg: 'PARLEY_FAULT_INJECTION=on: the admin token can crash and hang shard threads (tests only)', fields: { variable: 'PARLEY_FAULT_INJECTION' } });
  return out;
}

const isDir = (p: string): Promise<boolean | undefined> => fs.promises.stat(p).then((s) => s.isDirectory(), () => undefined);

/**
 * The config dir: a path that is not a directory stops start-up (it cannot become one while the
 * node runs); a missing one, or one without tenants/, is a warning — both are watched and loaded
 * once created (tenant-registry.ts), and the quick start runs without one (then an info line).
 */
export async function checkConfigDir(configDir: string): Promise<{ warnings: StartupWarning[]; notes: StartupWarning[] }> {
  const dir = await isDir(configDir);
  if (dir === false) throw new ConfigError([`PARLEY_CONFIG_DIR: expected a directory, got ${JSON.stringify(configDir)} (not a directory)`]);
  const tenantsDir = path.join(configDir, 'tenants');
  if (dir === undefined) {
    const w = { msg: 'config dir not found: no tenant documents loaded (only the built-in demo tenant, if on); it is watched and loaded once created', fields: { dir: configDir } };
    return configDir === path.resolve(DEFAULTS.configDir) ? { warnings: [], notes: [w] } : { warnings: [w], notes: [] };
  }
  const tenants = await isDir(tenantsDir);
  if (tenants === false) throw new ConfigError([`PARLEY_CONFIG_DIR: expected ${JSON.stringify(tenantsDir)} to be a directory of tenant documents, got a file`]);
  if (tenants === true) return { warnings: [], notes: [] };
  const stray = (await fs.promises.readdir(configDir).catch(() => [])).filter((n) => /\.(ya?ml|json)$/.test(n));
  const msg = stray.length > 0
    ? `config dir has no tenants/ dir but ${stray.length} tenant-like file(s) (${stray.slice(0, 3).join(', ')}): tenant documents go in ${tenantsDir}/<site>.yaml — PARLEY_CONFIG_DIR names the dir above tenants/`
    : `config dir has no tenants/ dir: no tenant documents loaded; they go in ${tenantsDir}/<site>.yaml`;
  return { warnings: [{ msg, fields: { dir: configDir } }], notes: [] };
}

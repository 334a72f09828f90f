// The live set of tenants on the main thread. Files are watched; a changed file is re-validated
// and swapped in atomically (shards get the new snapshot between two mailbox batches, so no
// request is dropped); a bad file is logged with its field paths and the old config stays live.
// At start there is no old config: the refused files are kept for start-up to stop on (server.ts).
// A file whose text did not change keeps its tenant and version, so a tenant's version names one
// config: the one an admin PUT answered is the one its decision logs carry.
import fs from 'node:fs';
import path from 'node:path';
import { BUILT_IN, demoTenant, errorLine, loadTenantDir, resolveTenant, type FileState, type Problem, type Tenant, type Tier1Resolver } from './tenants.ts';
import { writeTier1 } from './tenant-file.ts';
import { liveTenants } from './tenant-users.ts';
import type { TenantSnapshot } from '../protocol/shard.ts';
import { legacyAgentCredential, type AgentStamps } from '../auth/agent-credential.ts';

/** A watch on one dir: the inode it follows, so a dir replaced at the same path is noticed. */
interface Watch {
  readonly ino: number;
  readonly watcher: fs.FSWatcher;
  broken: boolean;
}

const RESCAN_MS = 3000;

type Log = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;

export class TenantRegistry {
  private bySite = new Map<string, Tenant>();
  private configWatch: Watch | undefined;
  private tenantsWatch: Watch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private rescan: NodeJS.Timeout | undefined;
  private closed = false;
  /** each tenant file's text as last read or written, and what it resolved to */
  private files = new Map<string, FileState>();
  /**
   * each rejected file's text and errors as last logged: an unchanged bad file is not logged again on
   * every reload, and every edit of one is (two bad edits can read the same errors)
   */
  private reported = new Map<string, { text: string | undefined; errors: string }>();
  /** the files the last load refused */
  private rejected: Problem[] = [];
  /** the demo user names documents claimed at the last load, as last logged */
  private yielded = '[]';
  private loaded = false;
  /**
   * reloads and admin changes, one at a time in arrival order: a reload never reads a file between
   * an admin write and the registry noting what it wrote
   */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly configDir: string,
    private readonly resolveTier1: Tier1Resolver,
    private readonly log: Log,
    private readonly onChange: (t: Tenant) => void,
    /** a tenant whose document is gone (its last config): its agents' sessions end */
    private readonly onRemove: (t: Tenant) => void = () => {},
    /** PARLEY_DEMO_TENANT: the built-in `demo` tenant exists while no document defines site demo */
    private readonly builtInDemo = true,
  ) {}

  load(): Promise<void> {
    return this.serially(() => this.reload());
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.then(() => {}, () => {});
    return run;
  }

  private async reload(): Promise<void> {
    const { tenants, problems, files } = await loadTenantDir(this.configDir, this.resolveTier1, this.files);
    this.files = files;
    // before the refusals are logged: a document claiming another tenant's user name is one of them
    const { live: next, yields } = liveTenants(tenants, problems, this.bySite, this.builtIn());
    this.rejected = problems;
    const yielded = JSON.stringify(yields);
    if (yields.length > 0 && yielded !== this.yielded) {
      this.log('warn', 'the built-in development tenant "demo" leaves out user names a tenant file claims: the file\'s tenant has them', {
        users: yields.map((y) => ({ user: y.user, demo: y.path, file: y.file })),
        fix: 'set PARLEY_DEMO_TENANT=off: the demo tenant, with its public passwords, is for development only',
      });
    }
    this.yielded = yielded;
    const reported = new Map<string, { text: string | undefined; errors: string }>();
    for (const p of problems) {
      const now = { text: files.get(p.file)?.text, errors: JSON.stringify(p.errors) };
      reported.set(p.file, now);
      const last = this.reported.get(p.file);
      if (last !== undefined && last.text === now.text && last.errors === now.errors) continue;
      // at start there is no previous config: start-up stops on the file (server.ts)
      const extra = this.loaded ? { kept: 'the previous config (if any) stays live; a restart stops on this file until it is fixed' } : {};
      this.log('error', 'tenant config rejected', { file: p.file, errors: p.errors, ...extra });
    }
    this.reported = reported;
    this.loaded = true;
    const changed = [...next.values()].filter((t) => this.bySite.get(t.site) !== t);
    const removed = [...this.bySite.values()].filter((t) => !next.has(t.site));
    this.bySite = next;
    for (const t of removed) this.onRemove(t);
    for (const t of changed) this.onChange(t);
  }

  /**
   * The built-in demo tenant's maker — the live one while it has the same users, else a new one with
   * the live one's tier1 (an admin PUT's change lasts until a restart) — or undefined with
   * PARLEY_DEMO_TENANT=off.
   */
  private builtIn(): ((leaveOut: ReadonlySet<string>) => Tenant) | undefined {
    if (!this.builtInDemo) return undefined;
    return (leaveOut) => {
      const live = this.bySite.get('demo');
      const made = demoTenant(this.resolveTier1, leaveOut);
      if (live?.source !== BUILT_IN) return made;
      const users = (t: Tenant): string => JSON.stringify([t.credentials.map((u) => u.user), t.agents.map((a) => a.user)]);
      return users(live) === users(made) ? live : Object.freeze({ ...made, tier1: live.tier1 });
    };
  }

  /**
   * Watches the config dir as well as tenants/: fs.watch follows an inode, so a tenants/ dir
   * created after start-up, or swapped in by rename (`mv tenants.new tenants`, a Kubernetes
   * ConfigMap's `..data` link), would otherwise never be seen or stay watched on the old dir. Any
   * event re-arms the tenants/ watcher on the dir now at that path; a two-stat check every few
   * seconds does the same for a swap no event reported (a config dir created late).
   */
  watch(): void {
    this.arm();
    this.rescan = setInterval(() => void this.replaced().then((r) => r && this.changed()), RESCAN_MS);
    this.rescan.unref();
  }

  private changed(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.arm();
      this.log('info', 'tenant config changed; reloading', { dir: path.join(this.configDir, 'tenants') });
      void this.load();
    }, 100);
  }

  private arm(): void {
    this.configWatch = this.rewatch(this.configDir, this.configWatch);
    this.tenantsWatch = this.rewatch(path.join(this.configDir, 'tenants'), this.tenantsWatch);
  }

  /** The watch on `dir`, kept while the same dir is there, else moved to the one there now (or none). */
  private rewatch(dir: string, cur: Watch | undefined): Watch | undefined {
    let ino: number | undefined;
    try {
      ino = fs.statSync(dir).ino;
    } catch {
      // not there (yet): nothing to watch
    }
    if (cur && cur.ino === ino && !cur.broken) return cur;
    cur?.watcher.close();
    if (ino === undefined) return undefined;
    try {
      const w: Watch = { ino, broken: false, watcher: fs.watch(dir, () => this.changed()) };
      // a watched dir removed: re-armed on the next event or check
      w.watcher.on('error', () => {
        w.broken = true;
        this.changed();
      });
      return w;
    } catch {
      return undefined;
    }
  }

  private async replaced(): Promise<boolean> {
    const inoOf = async (dir: string): Promise<number | undefined> => fs.promises.stat(dir).then((s) => s.ino, () => undefined);
    return (await inoOf(this.configDir)) !== this.configWatch?.ino || (await inoOf(path.join(this.configDir, 'tenants'))) !== this.tenantsWatch?.ino;
  }

  close(): void {
    this.closed = true;
    this.configWatch?.watcher.close();
    this.tenantsWatch?.watcher.close();
    this.configWatch = this.tenantsWatch = undefined;
    clearInterval(this.rescan);
    clearTimeout(this.timer);
  }

  /** The tenant files the last load refused, with their errors. */
  refused(): ReadonlyArray<Problem> {
    return this.rejected;
  }

  /**
   * Why the next start would refuse `file` as it is on disk now (its errors, as the start-up line
   * shows them), or undefined when it would load it for `site` (a user name the site holds live is its
   * own: a stray document claiming it too is refused, not this one). Files unchanged since the last read
   * keep their verdict: only the changed one is validated again.
   */
  private async refusalAtStart(file: string, site: string): Promise<string | undefined> {
    const { tenants, problems } = await loadTenantDir(this.configDir, this.resolveTier1, this.files);
    // with this site's live user names held: a stray document claiming one of them is the one refused
    // (its own rejection log says a restart stops on it), not this file, which holds the change as
    // written. Every other refusal is the same as at start.
    const { live } = liveTenants(tenants, problems, this.bySite, this.builtIn());
    if (live.get(site)?.source === file && !problems.some((p) => p.file === file)) return undefined;
    const errors = problems.filter((p) => p.file === file).flatMap((p) => p.errors);
    const why = errors.length > 0 ? errors.map(errorLine).join('; ') : `the file no longer defines site ${site}`;
    return `the tenant file is refused as it stands (${why}): the next start stops on it; the change is live and written into the file — fix the file`;
  }

  get(site: string): Tenant | undefined {
    return this.bySite.get(site);
  }

  all(): Tenant[] {
    return [...this.bySite.values()];
  }

  /**
   * Admin API: replace one tenant's tier1 section — live at once, then written into the tenant's
   * file (tenant-file.ts) so it survives a restart. `persisted: false`, with its `reason`, for the
   * built-in demo tenant (no file), when the write fails (e.g. a read-only config mount; logged), and
   * when the file as written would be refused at the next start (another field of it is bad): the
   * change is live until the next restart or the next change of the file.
   */
  setTier1(site: string, tier1: unknown): Promise<{ ok: true; tenant: Tenant; persisted: boolean; reason?: string } | { ok: false; errors: Array<{ path: string; message: string }> }> {
    return this.serially(async () => {
      const cur = this.bySite.get(site);
      if (!cur) return { ok: false as const, errors: [{ path: 'site', message: `no tenant ${site}` }] };
      // everything but tier1 stays as it is (a field left out here would fall back to its default)
      const r = resolveTenant({ site: cur.site, pool: cur.pool, credentials: cur.credentials, agents: cur.agents, queues: cur.queues, cors: { origins: [...cur.corsOrigins] }, queueTimeoutSec: cur.queueTimeoutSec, tier1 }, cur.source, this.resolveTier1);
      if (!r.ok) return r;
      this.bySite.set(site, r.tenant);
      this.onChange(r.tenant);
      if (cur.source === BUILT_IN) return { ...r, persisted: false, reason: 'the built-in demo tenant has no file: the change lasts until a restart' };
      // what the file held when the live tenant was read from it; not when the file is now bad (or
      // lost a same-site conflict) and the live tenant is an older version kept live
      const read = this.files.get(cur.source);
      const seen = read?.result.ok === true && read.result.tenant === cur ? read : undefined;
      try {
        const { before, after } = await writeTier1(cur.source, tier1);
        // the reload of our own write must find this tenant (and version) already live; but if the
        // file was edited since it was read, what we wrote carries that edit too: let the reload
        // validate it
        if (seen?.text === before) this.files.set(cur.source, { text: after, result: r });
        // written is not persisted when the next start would refuse the file (another field is bad)
        const reason = await this.refusalAtStart(cur.source, site);
        if (reason !== undefined) {
          this.log('error', 'tier1 change is live and written, but the tenant file is refused: a restart stops on it', { site, file: cur.source, reason });
          return { ...r, persisted: false, reason };
        }
        this.log('info', 'tier1 change written to the tenant file', { site, file: cur.source });
        return { ...r, persisted: true };
      } catch (e) {
        // the file is unchanged: a reload for another file keeps this change live
        if (seen) this.files.set(cur.source, { text: seen.text, result: r });
        const error = (e as Error).message;
        this.log('error', 'tier1 change is live but not written to the tenant file: it lasts until the next restart', { site, file: cur.source, error });
        return { ...r, persisted: false, reason: `the tenant file could not be written (${error}): the change lasts until a restart` };
      }
    });
  }
}

export function snapshotOf(t: Tenant, stamps: AgentStamps): TenantSnapshot {
  const agents = t.agents.map((a) => ({ accountId: a.accountId, user: a.user, name: a.name, credential: stamps.of(t.site, a.user, a.password), legacyCredential: legacyAgentCredential(t.site, a.user, a.password) }));
  return { site: t.site, queues: t.queues.map((q) => ({ id: q.id, name: q.name })), tier1: t.tier1, queueTimeoutSec: t.queueTimeoutSec, agents, version: t.version };
}

// The live set of tenants on the main thread. Files are watched; a changed file is re-validated
// and swapped in atomically (shards get the new snapshot between two mailbox batches, so no
// request is dropped); a bad file is logged with its field paths and the old config stays live.
import fs from 'node:fs';
import path from 'node:path';
import { BUILT_IN, demoTenant, loadTenantDir, resolveTenant, type Tenant, type Tier1Resolver } from './tenants.ts';
import { writeTier1 } from './tenant-file.ts';
import type { TenantSnapshot } from '../protocol/shard.ts';

type Log = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;

export class TenantRegistry {
  private bySite = new Map<string, Tenant>();
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** admin writes to tenant files, one at a time in arrival order */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly configDir: string,
    private readonly resolveTier1: Tier1Resolver,
    private readonly log: Log,
    private readonly onChange: (t: Tenant) => void,
  ) {}

  async load(): Promise<void> {
    const { tenants, problems } = await loadTenantDir(this.configDir, this.resolveTier1);
    for (const p of problems) this.log('error', 'tenant config rejected', { file: p.file, errors: p.errors });
    const next = new Map<string, Tenant>();
    for (const t of tenants) next.set(t.site, t);
    // a tenant whose file is now bad keeps its previous config
    for (const [site, old] of this.bySite) if (!next.has(site) && problems.some((p) => p.file === old.source)) next.set(site, old);
    if (!next.has('demo')) next.set('demo', this.bySite.get('demo')?.source === BUILT_IN ? (this.bySite.get('demo') as Tenant) : demoTenant(this.resolveTier1));
    const changed = [...next.values()].filter((t) => this.bySite.get(t.site) !== t);
    this.bySite = next;
    for (const t of changed) this.onChange(t);
  }

  watch(): void {
    const dir = path.join(this.configDir, 'tenants');
    try {
      this.watcher = fs.watch(dir, () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.log('info', 'tenant config changed; reloading', { dir });
          void this.load();
        }, 100);
      });
      this.watcher.on('error', () => {});
    } catch {
      // no tenants dir: nothing to watch (the built-in demo tenant is used)
    }
  }

  close(): void {
    this.watcher?.close();
    clearTimeout(this.timer);
  }

  get(site: string): Tenant | undefined {
    return this.bySite.get(site);
  }

  all(): Tenant[] {
    return [...this.bySite.values()];
  }

  /**
   * Admin API: replace one tenant's tier1 section — live at once, then written into the tenant's
   * file (tenant-file.ts) so it survives a restart. `persisted: false` for the built-in demo tenant
   * (no file) and when the write fails (e.g. a read-only config mount): the change is live until the
   * next restart or the next change of the file, and the failure is logged.
   */
  async setTier1(site: string, tier1: unknown): Promise<{ ok: true; tenant: Tenant; persisted: boolean } | { ok: false; errors: Array<{ path: string; message: string }> }> {
    const cur = this.bySite.get(site);
    if (!cur) return { ok: false, errors: [{ path: 'site', message: `no tenant ${site}` }] };
    // everything but tier1 stays as it is (a field left out here would fall back to its default)
    const r = resolveTenant({ site: cur.site, pool: cur.pool, credentials: cur.credentials, agents: cur.agents, queues: cur.queues, cors: { origins: [...cur.corsOrigins] }, queueTimeoutSec: cur.queueTimeoutSec, tier1 }, cur.source, this.resolveTier1);
    if (!r.ok) return r;
    this.bySite.set(site, r.tenant);
    this.onChange(r.tenant);
    if (cur.source === BUILT_IN) return { ...r, persisted: false };
    const write = this.writes.then(() => writeTier1(cur.source, tier1));
    this.writes = write.catch(() => {});
    try {
      await write;
      this.log('info', 'tier1 change written to the tenant file', { site, file: cur.source });
      return { ...r, persisted: true };
    } catch (e) {
      this.log('error', 'tier1 change is live but not written to the tenant file: it lasts until the next restart', { site, file: cur.source, error: (e as Error).message });
      return { ...r, persisted: false };
    }
  }
}

export function snapshotOf(t: Tenant): TenantSnapshot {
  return { site: t.site, queues: t.queues.map((q) => ({ id: q.id, name: q.name })), tier1: t.tier1, queueTimeoutSec: t.queueTimeoutSec, agents: t.agents.map((a) => ({ accountId: a.accountId, user: a.user, name: a.name })), version: t.version };
}

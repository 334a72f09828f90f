// The routers of the tenants whose home shard is this one (vshardOfSite(site) → this shard).
// Queue and agent state of a tenant live in exactly one thread, so routing decisions (who gets
// an offer, who wins an ACCEPT race) are plain sequential code with no locks, and a chat message
// costs no round trip to them: engagement shards push agent deliveries here one way.
import type { TenantSnapshot, ToHome } from '../../src/protocol/shard.ts';
import { err } from '../../src/errors.ts';
import { shardOfVshard, vshardOfSite } from '../../src/router/ids.ts';
import { TenantRouter } from './tenant-router.ts';
import type { HomeOp, RouterIo } from './router-io.ts';
import { endPoll } from './inbox.ts';

export class Routing {
  private readonly routers = new Map<string, TenantRouter>();

  constructor(
    private readonly shard: number,
    private readonly shards: number,
    private readonly io: RouterIo,
  ) {}

  isHome(site: string): boolean {
    return shardOfVshard(vshardOfSite(site), this.shards) === this.shard;
  }

  /** A tenant appeared or changed: a new home tenant is rebuilt from the journal. */
  setTenant(t: TenantSnapshot): void {
    if (!this.isHome(t.site)) return;
    const r = this.routers.get(t.site);
    if (r) return r.setTenant(t);
    const fresh = new TenantRouter(t, this.io);
    this.routers.set(t.site, fresh);
    fresh.recover();
  }

  handle(id: number, op: HomeOp): void {
    const site = 'who' in op ? op.who.site : op.site;
    const r = this.routers.get(site);
    if (!r) {
      this.io.stage({ k: 'fail', id, error: err(this.isHome(site) ? 'UNKNOWN_SITE' : 'INTERNAL_SERVER_ERROR') });
      return;
    }
    r.handle(id, op);
  }

  cancel(id: number, site: string, token: string): void {
    this.routers.get(site)?.cancel(id, token);
  }

  /** A graceful stop: every parked agent poll answered now. */
  drainPolls(): void {
    for (const r of this.routers.values()) for (const s of r.sessions.values()) endPoll(this.io, s);
  }

  /** Periodic upkeep of every home tenant (TenantRouter.sweep). */
  sweep(now: number): void {
    for (const r of this.routers.values()) r.sweep(now);
  }

  onCross(ev: ToHome): void {
    this.routers.get(ev.site)?.onCross(ev);
  }
}

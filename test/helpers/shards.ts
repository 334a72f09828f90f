// Which shard thread holds what, as the router computes it (tests that crash or hang one shard).
import { VSHARDS, shardOfVshard, vshardOfSite } from '../../src/router/ids.ts';
import { newConsumer, type Consumer } from './client.ts';

/** The shard of an engagement (its id carries its virtual shard). */
export const shardOfEngagement = (engagementId: string, shards: number): number => shardOfVshard(Number(engagementId) % VSHARDS, shards);

/** The tenant's home shard: its queue and agent sessions. */
export const homeShardOf = (site: string, shards: number): number => shardOfVshard(vshardOfSite(site), shards);

/**
 * A new customer whose engagement lives off the tenant's home shard (E ≠ H, for tests that break
 * one of the two); the ones created on H on the way are concluded, so they wait for no agent.
 */
export async function consumerOffHome(base: string, shards: number, site = 'demo', cred: [string, string] = ['demo', 'demo']): Promise<Consumer> {
  const home = homeShardOf(site, shards);
  for (;;) {
    const u = await newConsumer(base, site, undefined, cred);
    if (shardOfEngagement(u.engagementId, shards) !== home) return u;
    await u.conclude();
  }
}

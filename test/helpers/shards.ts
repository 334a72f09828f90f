// Which shard thread holds what, as the router computes it (tests that crash or hang one shard).
import { VSHARDS, shardOfVshard, vshardOfSite } from '../../src/router/ids.ts';

/** The shard of an engagement (its id carries its virtual shard). */
export const shardOfEngagement = (engagementId: string, shards: number): number => shardOfVshard(Number(engagementId) % VSHARDS, shards);

/** The tenant's home shard: its queue and agent sessions. */
export const homeShardOf = (site: string, shards: number): number => shardOfVshard(vshardOfSite(site), shards);

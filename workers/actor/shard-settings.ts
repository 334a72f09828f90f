// What every shard thread's actors are configured with: the server config's shard-facing part,
// plus the shard's own index and the shard count (src/server.ts → supervisor → workers/shard.ts).
import type { AdmissionLimits } from './admission.ts';

export interface ShardSettings {
  shard: number;
  shards: number;
  longPollMs: number;
  /** a long poll repeating the last answered poll's correlation id within this long gets its batch again (spec §5); 0: never */
  pollReplayMs: number;
  concludeGraceMs: number;
  retentionMs: number;
  /** an offered engagement goes to the next agent after this long (tenant routing, home shard) */
  offerTimeoutMs?: number;
  /** admission control for new engagements (see admission.ts) */
  admission: AdmissionLimits;
  /** WebSocket subscribers one engagement keeps; a newer one closes the oldest (4009) */
  wsMaxPerEngagement: number;
  /** agent WebSockets one agent session keeps (on the tenant's home shard); a newer one closes the oldest (4009) */
  wsMaxPerAgentSession: number;
  /** unsent bytes past which a WebSocket is closed 4008 (the HTTP thread's); agent sessions keep twice this of socket-sent entries for the resume */
  wsMaxBackpressure: number;
  /** an open engagement whose consumer has not called for this long (no poll parked, no socket) is concluded; 0: never */
  consumerIdleMs: number;
  /** an agent session whose agent has not called for this long (no poll parked, no socket) is logged off; 0: never */
  agentIdleMs: number;
}

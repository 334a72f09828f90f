// What the HTTP adapters share: config, tenants, the issuer's keys, the shard supervisor.
import type { ResolvedServerConfig } from '../config/server.ts';
import type { TenantRegistry } from '../config/tenant-registry.ts';
import type { Jwt } from '../auth/jwt.ts';
import type { AgentStamps } from '../auth/agent-credential.ts';
import type { Supervisor } from '../shards/supervisor.ts';
import type { AgentDirectory } from './agent-directory.ts';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import type { Exchange } from './respond.ts';
import type { AcceptGuard } from './accept-guard.ts';
import type { SignInThrottle } from './auth-throttle.ts';
import type { EngagementRateLimit } from './engagement-rate-limit.ts';
import type { ErrorData } from '../errors.ts';
import { sendError, sendJson } from './respond.ts';
import type { ConsumerOp } from '../protocol/shard.ts';
import { shardOfVshard } from '../router/ids.ts';

export interface HttpContext {
  readonly cfg: ResolvedServerConfig;
  readonly tenants: TenantRegistry;
  readonly jwt: Jwt;
  /** agents' password stamps, keyed (agent-credential.ts) */
  readonly stamps: AgentStamps;
  readonly shards: Supervisor;
  /** live agent sessions (fed by the home shards), for authenticating agent calls without a round trip */
  readonly agents: AgentDirectory;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** the port actually listened on (known after listen) */
  port: number;
  /** failed sign-ins per client address and user (issuer Basic auth, admin token) */
  readonly authThrottle: SignInThrottle;
  /** new engagements per client address and site (requestEngagement) */
  readonly engagementRate: EngagementRateLimit;
  /** the descriptor-limit guard on accepting (set after listen; absent where the limit is unknown) */
  accept?: Pick<AcceptGuard, 'paused' | 'pauses' | 'limit'>;
}

/**
 * Sends an op to the shard owning `vshard` and writes its reply (or coded error) to the exchange;
 * `refused` hears of a coded error first.
 */
export function forward(ctx: HttpContext, x: Exchange, vshard: number, op: ConsumerOp, refused?: (e: ErrorData) => void): number {
  const shard = shardOfVshard(vshard, ctx.shards.shardCount);
  return ctx.shards.request(shard, op, (r) => {
    if ('error' in r) {
      refused?.(r.error);
      sendError(x, r.error);
    } else sendJson(x, r.status, r.json);
  });
}

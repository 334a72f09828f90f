// Builds the uWS app: every route adapter, then the fallback: 405 with `Allow` for a known path
// with a method it does not take, 404 with a coded body for anything else (routes.ts).
import uWS from 'uWebSockets.js';
import type { TemplatedApp } from 'uWebSockets.js';
import { begin, readBody, refuseMethod, sendError, sendJson } from './respond.ts';
import { allowOf, allows } from './routes.ts';
import type { HttpContext } from './context.ts';
import { consumerRoutes } from './consumer.ts';
import { issuerRoutes } from './issuer.ts';
import { adminRoutes } from './admin.ts';
import { WsHub } from './ws.ts';
import { AgentWsHub } from './agent-ws.ts';
import { agentRoutes } from './agent.ts';
import { corsRoutes } from './cors.ts';
import { guardApp, reportHandlerErrorsTo } from './guard.ts';
import type { Exchange } from './respond.ts';
import type { QueueRequest } from '../protocol/consumer-requests.ts';

export type QueueStatsHandler = (site: string, x: Exchange, request: QueueRequest, kind: 'stats' | 'queue') => void;

export function assertNativeUws(): void {
  // the unofficial repack silently falls back to a slow JS implementation if its binary fails to load
  if (typeof (uWS as unknown as { getParts?: unknown }).getParts !== 'function') {
    throw new Error('uWebSockets.js native binary did not load (uWS.getParts missing); refusing to run on the JS fallback');
  }
}

export function buildApp(ctx: HttpContext, queueStats: QueueStatsHandler): { app: TemplatedApp; ws: WsHub; agentWs: AgentWsHub } {
  assertNativeUws();
  reportHandlerErrorsTo((where, e) => ctx.log.error({ where, err: e }, 'request handler failed; answered 500, serving on'));
  // every handler registered below runs inside a boundary: a bug answers 500, not the process's end
  const app = guardApp(uWS.App());
  const ws = new WsHub(ctx);
  ws.routes(app);
  const agentWs = new AgentWsHub(ctx);
  agentWs.routes(app);
  consumerRoutes(app, ctx, queueStats);
  issuerRoutes(app, ctx);
  agentRoutes(app, ctx);
  adminRoutes(app, ctx, () => [
    { api: 'consumer', ...ws.stats },
    { api: 'agent', ...agentWs.stats },
  ]);
  corsRoutes(app, ctx);
  // liveness: the HTTP thread answers. Readiness (for load balancers): every shard is up and the
  // node is not shutting down — a 503 takes it out of rotation while a shard restarts or it drains.
  // Both answer HEAD too (every GET route does, guard.ts): load balancers probe with either.
  app.get('/healthz', (res) => sendJson(begin(res), 200, '{"status":"ok"}'));
  app.get('/readyz', (res) => {
    const x = begin(res);
    const why = ctx.shards.notReady ?? (ctx.accept?.paused ? 'CONNECTIONS_FULL' : undefined);
    if (why !== undefined) return sendError(x, why);
    sendJson(x, 200, JSON.stringify({ status: 'ready', shards: ctx.shards.shardCount }));
  });
  const unrouted = ctx.metrics.route('other', 'other');
  app.any('/*', (res, req) => {
    const method = req.getMethod().toUpperCase();
    const allow = allowOf(req.getUrl());
    const x = begin(res, unrouted);
    // a method the path takes is routed before this; were one to come here, 404 rather than a 405 naming it
    const answer = (): void => refuseMethod(x, allow !== undefined && !allows(allow, method) ? allow : undefined);
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') readBody(x, ctx.cfg.maxBodyBytes, answer);
    else answer();
  });
  return { app, ws, agentWs };
}

// Agent API adapter (spec §4, §7): authenticate against the session directory, validate, and
// forward — session-level ops to the tenant's home shard, engagement ops to the engagement's shard.
// Nothing about routing or engagements is decided here.
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { begin, bearer, readBody, refuseMethod, refuseWithoutUpgrade, sendError, sendJson, type Exchange } from './respond.ts';
import { AGENT_GET_OPS as GET_OPS, AGENT_LOGON_OP, apiAllow } from './routes.ts';
import type { HttpContext } from './context.ts';
import { ENGAGEMENT_AGENT_OPS, type AgentOp } from '../protocol/shard.ts';
import { AGENT_POST_OPS, engagementIdOf, validateAgentOp } from '../protocol/agent-requests.ts';
import { isPlainObject, readInt64, type JsonParse } from '../protocol/json.ts';
import { parseRequestParam, type QueueRequest } from '../protocol/consumer-requests.ts';
import { wrongType } from '../protocol/optional-fields.ts';
import { shardOfVshard, vshardOfId, vshardOfSite } from '../router/ids.ts';
import { siteTenant } from './cors.ts';
import { invalidField } from '../errors.ts';

const BASE = '/engagement/api/agent/:site/v1';

/** Sends an agent op to the shard that acts on it and writes its reply (or coded error). */
export function forwardAgent(ctx: HttpContext, x: Exchange, op: AgentOp): number {
  const site = 'who' in op ? op.who.site : op.site;
  const vshard = ENGAGEMENT_AGENT_OPS.has(op.op) && 'engagementId' in op ? vshardOfId(op.engagementId) : vshardOfSite(site);
  return ctx.shards.requestAgent(shardOfVshard(vshard, ctx.shards.shardCount), op, (r) => {
    if ('error' in r) sendError(x, r.error);
    else sendJson(x, r.status, r.json);
  });
}

export function agentRoutes(app: TemplatedApp, ctx: HttpContext): void {
  const stats = ctx.metrics.opStats('agent', [...AGENT_POST_OPS, ...GET_OPS, AGENT_LOGON_OP]);
  app.post(`${BASE}/:op`, (res: HttpResponse, req: HttpRequest) => {
    const site = req.getParameter(0) ?? '';
    const op = req.getParameter(1) ?? '';
    const token = req.getHeader('x-jsessionid').trim();
    const aid = req.getHeader('x-aid').trim();
    const auth = req.getHeader('authorization');
    const origin = req.getHeader('origin');
    const x = begin(res, stats(op));
    readBody(x, ctx.cfg.maxBodyBytes, (body) => {
      if (!siteTenant(ctx, x, site, origin)) return;
      if (op === AGENT_LOGON_OP) return logon(ctx, x, site, auth, body);
      if (!AGENT_POST_OPS.has(op)) return refuseMethod(x, apiAllow('agent', op));
      const who = ctx.agents.check(site, token, aid);
      if ('error' in who) return sendError(x, who.error);
      if (!body.ok) return sendError(x, body.error);
      const v = validateAgentOp(op, body.value, who);
      if (!v.ok) return sendError(x, v.error);
      const id = forwardAgent(ctx, x, v.value);
      // a parked poll whose client went away must not swallow the entries meant for the next one
      if (id && v.value.op === 'agentGetMessages') {
        const home = shardOfVshard(vshardOfSite(site), ctx.shards.shardCount);
        x.onAbort = () => ctx.shards.cancel(home, { k: 'agentCancel', id, site, token });
      }
    });
  });

  app.get(`${BASE}/:op`, (res: HttpResponse, req: HttpRequest) => {
    const site = req.getParameter(0) ?? '';
    const op = req.getParameter(1) ?? '';
    const token = req.getHeader('x-jsessionid').trim();
    const aid = req.getHeader('x-aid').trim();
    const request = req.getQuery('request') ?? '';
    const origin = req.getHeader('origin');
    const x = begin(res, stats(op));
    if (op === 'ws') return refuseWithoutUpgrade(x);
    if (!siteTenant(ctx, x, site, origin)) return;
    if (!GET_OPS.has(op)) return refuseMethod(x, apiAllow('agent', op));
    const who = ctx.agents.check(site, token, aid);
    if ('error' in who) return sendError(x, who.error);
    const r = parseRequestParam(request);
    if (!r.ok) return sendError(x, r.error);
    const id = engagementIdOf(r.value.engagementId);
    if (!id.ok) return sendError(x, id.error);
    forwardAgent(ctx, x, { op: 'rerouteAvailability', who, engagementId: id.value });
  });
}

async function logon(ctx: HttpContext, x: Exchange, site: string, auth: string, body: JsonParse): Promise<void> {
  if (!body.ok) return sendError(x, body.error);
  if (!isPlainObject(body.value)) return sendError(x, 'BODY_NOT_OBJECT');
  const b = body.value;
  const override = wrongType(b.logonOverride, 'logonOverride', 'boolean');
  if (override) return sendError(x, override.error);
  const seq = readInt64(b.sequenceNumber);
  if (seq === null) return sendError(x, invalidField('sequenceNumber', 'an int64'));
  const jwt = bearer(auth);
  if (!jwt) return sendError(x, 'INVALID_TOKEN');
  const claims = await ctx.jwt.verifyAgent(jwt);
  if (x.aborted) return;
  if (!claims || claims.site !== site) return sendError(x, 'INVALID_TOKEN');
  const account = ctx.tenants.get(site)?.agents.find((a) => a.accountId === claims.accountId);
  // a token made before the agent's user or password changed in the tenant document is refused, as
  // its sessions are ended (tenant-router.ts setTenant)
  const stale = account && (account.user !== claims.sub || (claims.credential !== undefined && !ctx.stamps.matches(claims.credential, site, account.user, account.password)));
  if (!account || stale) return sendError(x, 'ACCESS_DENIED');
  forwardAgent(ctx, x, { op: 'agentLogon', site, accountId: account.accountId, user: account.user, name: account.name, jti: claims.jti, jwtExp: claims.exp, ...(seq !== undefined ? { seq } : {}) });
}

/** Consumer getQueueStats / getEngagementQueue (validated by validateQueueRequest), answered by the tenant's home shard from live routing state. */
export function queueStatsFromRouting(ctx: HttpContext): (site: string, x: Exchange, request: QueueRequest, kind: 'stats' | 'queue') => void {
  return (site, x, request, kind) => {
    // optional fields assigned, not spread into the literals (see postedEvent, workers/actor/events.ts)
    const op: Extract<AgentOp, { op: 'queueStats' }> = { op: 'queueStats', site, kind, available: request.available, echo: { t0: x.t0 } };
    if (request.queueId !== undefined) op.queueId = request.queueId;
    if (request.clientTransactionId !== undefined) op.echo.clientTransactionId = request.clientTransactionId;
    if (request.clientRequestTime !== undefined) op.echo.clientRequestTime = request.clientRequestTime;
    forwardAgent(ctx, x, op);
  };
}

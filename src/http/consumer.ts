// Consumer API adapter (spec §3): parse and validate on the main thread, decide nothing — every
// engagement operation is forwarded to the shard that owns the engagement.
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { begin, bearer, readBody, refuseMethod, refuseWithoutUpgrade, sendError, type Exchange } from './respond.ts';
import { apiAllow, CONSUMER_GET_OPS as GET_OPS, CONSUMER_POST_OPS as POST_OPS } from './routes.ts';
import { forward, type HttpContext } from './context.ts';
import { decodeSessionId, shardOfVshard, vshardOfId, vshardOfSender } from '../router/ids.ts';
import { parseRequestParam, validateActivity, validateEchoOnly, validatePostMessage, validateQueueRequest, type QueueRequest } from '../protocol/consumer-requests.ts';
import type { JsonParse } from '../protocol/json.ts';
import { siteTenant } from './cors.ts';
import { peerOf } from './auth-throttle.ts';
import { admitEngagement } from './engagement-rate-limit.ts';

const BASE = '/engagement/api/consumer/:site/v1';

export function consumerRoutes(app: TemplatedApp, ctx: HttpContext, queueStats: (site: string, x: Exchange, request: QueueRequest, kind: 'stats' | 'queue') => void): void {
  const stats = ctx.metrics.opStats('consumer', [...POST_OPS, ...GET_OPS]);
  app.post(`${BASE}/:op`, (res: HttpResponse, req: HttpRequest) => {
    const site = req.getParameter(0) ?? '';
    const op = req.getParameter(1) ?? '';
    // header names are case-insensitive; uWS hands them to us lower-cased
    const sessionHeader = req.getHeader('sessionid');
    const auth = req.getHeader('authorization');
    const origin = req.getHeader('origin');
    // the client's address only for the op limited by it (engagement-rate-limit.ts): postMessage,
    // the hot path, reads no more headers than before
    const creating = op === 'requestEngagement';
    const peer = creating ? peerOf(res, req, ctx.cfg.trustProxy) : '';
    const x = begin(res, stats(op));
    readBody(x, ctx.cfg.maxBodyBytes, (body) => {
      if (!siteTenant(ctx, x, site, origin)) return;
      if (!POST_OPS.has(op)) return refuseMethod(x, apiAllow('consumer', op));
      if (creating) return requestEngagement(ctx, x, site, peer, auth, body);
      sessionOp(ctx, x, site, op, sessionHeader, body);
    });
  });

  app.get(`${BASE}/:op`, (res: HttpResponse, req: HttpRequest) => {
    const site = req.getParameter(0) ?? '';
    const op = req.getParameter(1) ?? '';
    const request = req.getQuery('request') ?? '';
    const origin = req.getHeader('origin');
    const x = begin(res, stats(op));
    if (op === 'ws') return refuseWithoutUpgrade(x);
    if (!siteTenant(ctx, x, site, origin)) return;
    if (!GET_OPS.has(op)) return refuseMethod(x, apiAllow('consumer', op));
    const r = parseRequestParam(request);
    if (!r.ok) return sendError(x, r.error);
    const kind = op === 'getQueueStats' ? 'stats' : 'queue';
    const q = validateQueueRequest(r.value, kind);
    if (!q.ok) return sendError(x, q.error);
    queueStats(site, x, q.value, kind);
  });
}

async function requestEngagement(ctx: HttpContext, x: Exchange, site: string, peer: string, auth: string, body: JsonParse): Promise<void> {
  if (!body.ok) return sendError(x, body.error);
  const v = validateEchoOnly(body.value);
  if (!v.ok) return sendError(x, v.error);
  const token = bearer(auth);
  if (!token) return sendError(x, 'INVALID_TOKEN', undefined);
  const claims = await ctx.jwt.verifyConsumer(token);
  if (!claims || claims.site !== site) return sendError(x, 'INVALID_TOKEN');
  if (x.aborted) return;
  // counted once the JWT is known good, so a forged or stale one costs the address nothing; refused
  // here, nothing reaches a shard and the JWT is not used up
  const bucket = admitEngagement(ctx, x, site, peer);
  if (bucket === undefined) return;
  const info = claims.info;
  const name = [info.firstName, info.lastName].filter((s) => typeof s === 'string' && s).join(' ') || 'Customer';
  forward(ctx, x, vshardOfSender(site, claims.sub), {
    op: 'createEngagement',
    site,
    vshard: vshardOfSender(site, claims.sub),
    senderKey: claims.sub,
    jti: claims.jti,
    jwtExp: claims.exp,
    name,
    info,
    echo: { ...v.value, t0: x.t0 },
  }, () => ctx.engagementRate.refund(bucket)); // refused by the shard (AT_CAPACITY, a used JWT…): no engagement was made
}

function sessionOp(ctx: HttpContext, x: Exchange, site: string, op: string, sessionHeader: string, body: JsonParse): void {
  const session = decodeSessionId(sessionHeader.trim());
  if (!session) return sendError(x, 'SESSION_UNKNOWN');
  if (!body.ok) return sendError(x, body.error);
  const { engagementId, secret } = session;
  const vshard = vshardOfId(engagementId);
  switch (op) {
    case 'getMessages': {
      const v = validateEchoOnly(body.value);
      if (!v.ok) return sendError(x, v.error);
      const id = forward(ctx, x, vshard, { op: 'getMessages', site, engagementId, secret, echo: { ...v.value, t0: x.t0 } });
      // a parked poll whose client went away must not swallow the messages meant for the next one
      if (id) x.onAbort = () => ctx.shards.cancel(shardOfVshard(vshard, ctx.shards.shardCount), { k: 'cancel', id, engagementId });
      return;
    }
    case 'postMessage': {
      const v = validatePostMessage(body.value);
      if (!v.ok) return sendError(x, v.error);
      // field by field: object rest and spread here cost ~1 % of this thread's CPU under load
      const m = v.value;
      forward(ctx, x, vshard, {
        op: 'postMessage', site, engagementId, secret, body: m.body, richText: m.richText, offTheRecord: m.offTheRecord, messageId: m.messageId,
        echo: { clientTransactionId: m.clientTransactionId, clientRequestTime: m.clientRequestTime, t0: x.t0 },
      });
      return;
    }
    case 'activity': {
      const v = validateActivity(body.value);
      if (!v.ok) return sendError(x, v.error);
      const { clientTransactionId, clientRequestTime, ...a } = v.value;
      forward(ctx, x, vshard, { op: 'activity', site, engagementId, secret, ...a, echo: { clientTransactionId, clientRequestTime, t0: x.t0 } });
      return;
    }
    case 'concludeEngagement': {
      const v = validateEchoOnly(body.value);
      if (!v.ok) return sendError(x, v.error);
      forward(ctx, x, vshard, { op: 'concludeEngagement', site, engagementId, secret, echo: { ...v.value, t0: x.t0 } });
      return;
    }
    default:
      sendError(x, 'NOT_FOUND');
  }
}

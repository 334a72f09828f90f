// Operator API under /admin/v1 (Bearer PARLEY_ADMIN_TOKEN; anything else → 401, and after repeated
// wrong tokens from one address 429 — auth-throttle.ts; sign-in failures at the issuer never count).
import crypto from 'node:crypto';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { begin, bearer, readBody, send, sendError, sendJson, type Exchange } from './respond.ts';
import { blockedLog, peerOf, signInThrottled } from './auth-throttle.ts';
import { forward, type HttpContext } from './context.ts';
import { vshardOfId } from '../router/ids.ts';
import type { Gauges } from '../metrics.ts';
import { droppedLogLines } from '../log.ts';
import type { FaultMode } from '../protocol/shard.ts';
import { err, invalidField } from '../errors.ts';

const HTTP_FAULTS: ReadonlySet<string> = new Set(['early', 'handler', 'body', 'reject']);
const FAULT_MODES: ReadonlySet<string> = new Set<FaultMode>(['throw', 'exit', 'oom', 'hang', 'hangInCommit', 'failCommits']);

function tokenMatches(ctx: HttpContext, header: string): boolean {
  const t = bearer(header);
  if (!t) return false;
  const a = crypto.createHash('sha256').update(t).digest();
  const b = crypto.createHash('sha256').update(ctx.cfg.adminToken).digest();
  return crypto.timingSafeEqual(a, b);
}

/** The caller's token and address, read while the request is valid. */
interface Caller {
  auth: string;
  peer: string;
}

function callerOf(ctx: HttpContext, res: HttpResponse, req: HttpRequest): Caller {
  return { auth: req.getHeader('authorization'), peer: peerOf(res, req, ctx.cfg.trustProxy) };
}

/**
 * false after answering 401 (a failure counted against the caller's address) or 429 (blocked).
 * Only the token's own per-address limit applies, not the issuer's cross-user address budget
 * (address undefined): the issuer's failures must never lock the operator out.
 */
function authorized(ctx: HttpContext, x: Exchange, who: Caller): boolean {
  return signInThrottled(
    ctx.authThrottle, x, { address: undefined, key: who.peer },
    () => (tokenMatches(ctx, who.auth) ? true : undefined),
    (limit) => blockedLog(ctx, limit, who.peer, undefined),
  ) === true;
}

/** 400 INVALID_FIELD with one errorMessages entry per bad field; `errors` keeps the paths apart for tools. */
function invalidFields(x: Exchange, found: ReadonlyArray<{ path: string; message: string }>): void {
  // the Tier-1 resolver's messages already start with their path; the tenant's do not
  const errors = found.map((e) => ({ path: e.path, message: e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message }));
  const lines = errors.map((e) => err('INVALID_FIELD', `${e.path}: ${e.message}`));
  sendJson(x, 400, JSON.stringify({ code: 'INVALID_FIELD', message: lines.map((l) => l.message).join('; '), errorMessages: lines, errors }));
}

export function adminRoutes(app: TemplatedApp, ctx: HttpContext, websockets: () => Gauges['websockets']): void {
  /** An operation on one engagement, answered by its shard: `/admin/v1/engagements/:id/…`. */
  const onEngagement = (op: 'transcript' | 'terminate') => (res: HttpResponse, req: HttpRequest): void => {
    const who = callerOf(ctx, res, req);
    const idRaw = req.getParameter(0) ?? '';
    const x = begin(res);
    if (!authorized(ctx, x, who)) return;
    const id = Number(idRaw);
    if (!/^\d{1,16}$/.test(idRaw) || !Number.isSafeInteger(id)) return sendError(x, 'ENGAGEMENT_ID_UNKNOWN');
    if (op === 'terminate') ctx.log.info({ engagementId: idRaw }, 'operator terminating an engagement');
    forward(ctx, x, vshardOfId(id), { op, engagementId: id });
  };
  app.get('/admin/v1/engagements/:id/transcript', onEngagement('transcript'));
  // A human moderator or a Tier-2 system ends a conversation after the fact, exactly as a Tier-1
  // termination does (notice → end user left → concluded, a strike for the sender); idempotent.
  app.post('/admin/v1/engagements/:id/terminate', onEngagement('terminate'));

  app.get('/admin/v1/tenants/:site/tier1', (res: HttpResponse, req: HttpRequest) => {
    const who = callerOf(ctx, res, req);
    const site = req.getParameter(0) ?? '';
    const x = begin(res);
    if (!authorized(ctx, x, who)) return;
    const t = ctx.tenants.get(site);
    if (!t) return sendError(x, 'UNKNOWN_SITE');
    sendJson(x, 200, JSON.stringify({ site: t.site, version: t.version, source: t.source, tier1: t.tier1 }));
  });

  app.put('/admin/v1/tenants/:site/tier1', (res: HttpResponse, req: HttpRequest) => {
    const who = callerOf(ctx, res, req);
    const site = req.getParameter(0) ?? '';
    const x = begin(res);
    readBody(x, ctx.cfg.maxBodyBytes, async (body) => {
      if (!authorized(ctx, x, who)) return;
      if (!ctx.tenants.get(site)) return sendError(x, 'UNKNOWN_SITE');
      if (!body.ok) return sendError(x, body.error);
      const doc = body.value;
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return sendError(x, 'BODY_NOT_OBJECT');
      // the body is `{"tier1": {…}}` and nothing else: a body without the key (empty, `{}`, a
      // misspelt `tier_1`) taken as the config itself replaced the whole section with the defaults
      const stray = Object.keys(doc).filter((k) => k !== 'tier1').map((k) => ({ path: k, message: 'unknown field (expected tier1)' }));
      const missing = 'tier1' in doc ? [] : [{ path: 'tier1', message: 'required: expected {"tier1": {…}}, the whole Tier-1 section ({"tier1": {}} for the defaults)' }];
      if (missing.length + stray.length > 0) return invalidFields(x, [...missing, ...stray]);
      // answered after the file write: `persisted` says whether the change survives a restart
      const r = await ctx.tenants.setTier1(site, (doc as { tier1: unknown }).tier1);
      if (!r.ok) return invalidFields(x, r.errors);
      sendJson(x, 200, JSON.stringify({ site, version: r.tenant.version, persisted: r.persisted, ...(r.reason === undefined ? {} : { reason: r.reason }), tier1: r.tenant.tier1 }));
    });
  });

  app.post('/admin/v1/shards/:n/fault', (res: HttpResponse, req: HttpRequest) => {
    const who = callerOf(ctx, res, req);
    const n = Number(req.getParameter(0));
    const mode = req.getQuery('mode') ?? 'throw';
    const x = begin(res);
    readBody(x, 1024, () => {
      if (!authorized(ctx, x, who)) return;
      if (!ctx.cfg.faultInjection) return sendError(x, 'NOT_FOUND');
      if (!Number.isInteger(n) || n < 0 || n >= ctx.shards.shardCount) return sendError(x, invalidField('n', `a shard number in [0, ${ctx.shards.shardCount - 1}]`));
      if (!FAULT_MODES.has(mode)) return sendError(x, invalidField('mode', [...FAULT_MODES].join(' | ')));
      ctx.shards.send(n, { k: 'fault', mode: mode as FaultMode });
      sendJson(x, 202, JSON.stringify({ shard: n, mode }));
    });
  });

  // the HTTP thread's own handler boundaries (guard.ts), for their tests: a throw in the route
  // handler, before or after the exchange began, in the body callback, or a rejected continuation
  app.post('/admin/v1/http/fault', (res: HttpResponse, req: HttpRequest) => {
    const mode = req.getQuery('mode') ?? '';
    if (ctx.cfg.faultInjection && mode === 'early') throw new Error('injected fault: HTTP handler, before its exchange');
    const who = callerOf(ctx, res, req);
    const x = begin(res);
    if (ctx.cfg.faultInjection && mode === 'handler') throw new Error('injected fault: HTTP handler');
    readBody(x, 1024, () => {
      if (!authorized(ctx, x, who)) return;
      if (!ctx.cfg.faultInjection) return sendError(x, 'NOT_FOUND');
      if (!HTTP_FAULTS.has(mode)) return sendError(x, invalidField('mode', [...HTTP_FAULTS].join(' | ')));
      if (mode === 'body') throw new Error('injected fault: request body callback');
      return (async () => {
        await Promise.resolve();
        throw new Error('injected fault: async continuation');
      })();
    });
  });

  app.get('/admin/v1/metrics', (res: HttpResponse, req: HttpRequest) => {
    const who = callerOf(ctx, res, req);
    const x = begin(res);
    if (!authorized(ctx, x, who)) return;
    const mem = process.memoryUsage();
    const text = ctx.metrics.render({
      shards: ctx.shards.health, inFlight: ctx.shards.inFlight, quarantineRefusals: ctx.shards.quarantine.refusals, websockets: websockets(), authThrottled: ctx.authThrottle.refused,
      engagementsRateLimited: ctx.engagementRate.refused,
      ...(ctx.accept ? { accept: ctx.accept } : {}), rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, mainLogDrops: droppedLogLines(),
    });
    send(x, 200, 'text/plain; version=0.0.4; charset=utf-8', text);
  });

  app.get('/admin/v1/stats', (res: HttpResponse, req: HttpRequest) => {
    const who = callerOf(ctx, res, req);
    const x = begin(res);
    if (!authorized(ctx, x, who)) return;
    sendJson(x, 200, JSON.stringify({ shards: ctx.shards.shardCount, inFlight: ctx.shards.inFlight, rss: process.memoryUsage().rss }));
  });
}

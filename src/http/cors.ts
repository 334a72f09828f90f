// Cross-origin calls from browser chat fronts (CORS). The chat server lives on its own host
// (spec §1.1), so a consumer widget on the tenant's web site calls it cross-origin, and every call
// it makes is preflighted (JSON body plus a SessionId or Authorization header). Each tenant lists
// the origins it allows (`cors.origins` in its document; '*' for every origin); an allowed request's answer,
// errors included, carries Access-Control-Allow-Origin so the page can read the coded body.
// Auth is by header, never by cookie, so no Allow-Credentials. Issuer and admin endpoints are
// server-to-server and get no CORS headers; WebSocket upgrades are not subject to CORS.
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { Tenant } from '../config/tenants.ts';
import type { HttpContext } from './context.ts';
import { begin, sendError, type Exchange } from './respond.ts';
import { apiAllow } from './routes.ts';

/**
 * The site's tenant, with the answer's CORS origin set on `x` when the tenant allows `origin`; an
 * unknown site is answered 404 UNKNOWN_SITE here (undefined returned).
 */
export function siteTenant(ctx: HttpContext, x: Exchange, site: string, origin: string): Tenant | undefined {
  const tenant = ctx.tenants.get(site);
  if (!tenant) {
    sendError(x, 'UNKNOWN_SITE');
    return undefined;
  }
  x.cors = allowedOrigin(tenant, origin);
  return tenant;
}

/** `origin` (the request's Origin header, '' when absent) if `tenant` allows it, else undefined. */
export function allowedOrigin(tenant: Tenant, origin: string): string | undefined {
  if (origin === '') return undefined;
  const list = tenant.corsOrigins;
  if (list.length === 0) return undefined;
  return list.includes('*') || list.includes(origin.toLowerCase()) ? origin : undefined;
}

// a 204 carries no body and no Content-Length (endWithoutBody)
// a requested header list is echoed only if it is a plain comma-separated list of header names
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;
const DEFAULT_HEADERS = 'Authorization, Content-Type, SessionId, X-AID, X-JSESSIONID';
/** browsers cache an answered preflight this long (seconds) */
const MAX_AGE = '600';

export function corsRoutes(app: TemplatedApp, ctx: HttpContext): void {
  app.options('/engagement/api/:side/:site/v1/:op', (res: HttpResponse, req: HttpRequest) => {
    const side = req.getParameter(0) ?? '';
    const site = req.getParameter(1) ?? '';
    const op = req.getParameter(2) ?? '';
    const origin = req.getHeader('origin');
    const wanted = req.getHeader('access-control-request-headers').trim();
    const x = begin(res);
    const tenant = ctx.tenants.get(site);
    if (side !== 'consumer' && side !== 'agent') return sendError(x, 'NOT_FOUND');
    if (!tenant) return sendError(x, 'UNKNOWN_SITE');
    if (origin === '') {
      // not a preflight: say what the path takes (the same list as a 405's Allow, routes.ts)
      const allow = apiAllow(side, op);
      if (allow === undefined) return sendError(x, 'NOT_FOUND');
      x.done = true;
      res.cork(() => res.writeStatus('204 No Content').writeHeader('allow', allow).endWithoutBody());
      return;
    }
    const allowed = allowedOrigin(tenant, origin);
    if (allowed === undefined) return sendError(x, 'ORIGIN_NOT_ALLOWED');
    x.done = true;
    res.cork(() => {
      res
        .writeStatus('204 No Content')
        .writeHeader('access-control-allow-origin', allowed)
        .writeHeader('vary', 'Origin')
        .writeHeader('access-control-allow-methods', 'GET, POST')
        .writeHeader('access-control-allow-headers', wanted !== '' && HEADER_LIST.test(wanted) ? wanted : DEFAULT_HEADERS)
        .writeHeader('access-control-max-age', MAX_AGE)
        .endWithoutBody();
    });
  });
}

// The tenant platform's session issuer (spec §2): integration users get consumer JWTs, agents get
// service settings and agent JWTs. Passwords are checked here and nowhere else.
import crypto from 'node:crypto';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { basicAuth, begin, readBody, sendError, sendJson, type Exchange } from './respond.ts';
import { blockedLog, peerOf, signInThrottled } from './auth-throttle.ts';
import { CHAT_AUTHENTICATE_PATHS } from './routes.ts';
import type { HttpContext } from './context.ts';
import type { AgentAccount, Tenant } from '../config/tenants.ts';
import { isPlainObject, parseText } from '../protocol/json.ts';
import { err, invalidField } from '../errors.ts';
import { addressHeaders, publicAddress } from './public-address.ts';
import { defaultPort, originOf } from '../config/public-url.ts';
import { validateChatAuthenticate } from '../protocol/chat-authenticate.ts';

const BASE = '/services/rest/crossChannelServices/latest';
/**
 * sessionInformation travels inside the consumer JWT, which the chat front sends back as an
 * Authorization header, and is held with the engagement in the shard's memory and journal. Oracle's
 * fields (name, e-mail, question, product/category ids, a few custom fields) take well under 1 kB.
 * The cap keeps the header under the 8 kB per-line buffer of a default nginx in front (measured
 * through the README's nginx config: 4 kB of info → a 5.8 kB JWT, answered; 6 kB → 8.4 kB, nginx's
 * own 400 "Request Header Or Cookie Too Large") and one client from growing every engagement by a
 * whole 1 MB body.
 */
export const MAX_SESSION_INFO_BYTES = 4096;
const SESSION_INFO_SHAPE = 'an object of customer attributes, or a JSON string of one';

function sameText(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

const BASIC_CHALLENGE = { 'www-authenticate': 'Basic realm="parley"' };

/**
 * Basic credentials checked under the failure throttle (auth-throttle.ts): the match, or undefined
 * after answering 401 (counted) or 429 (blocked, compared with nothing).
 */
function signIn<T>(ctx: HttpContext, x: Exchange, peer: string, auth: string, find: (user: string, password: string) => T | undefined): T | undefined {
  const cred = basicAuth(auth);
  const user = (cred?.user ?? '').slice(0, 128); // capped: 100k keys of 8 kB made-up names would hold 800 MB
  return signInThrottled(
    ctx.authThrottle, x, { address: peer, key: `${peer}\u0000${user}` },
    () => (cred ? find(cred.user, cred.password) : undefined),
    (limit) => blockedLog(ctx, limit, peer, user),
    BASIC_CHALLENGE,
  );
}

function findIntegration(ctx: HttpContext, user: string, password: string): Tenant | undefined {
  for (const t of ctx.tenants.all()) for (const c of t.credentials) if (c.user === user && sameText(c.password, password)) return t;
  return undefined;
}

function findAgent(ctx: HttpContext, user: string, password: string): { tenant: Tenant; agent: AgentAccount } | undefined {
  for (const t of ctx.tenants.all()) for (const a of t.agents) if (a.user === user && sameText(a.password, password)) return { tenant: t, agent: a };
  return undefined;
}

/** Who the customer is, for Tier-1: all of one sender's engagements live on one shard. */
export function senderKeyOf(info: Record<string, unknown>): string {
  const pick = (k: string): string | undefined => {
    const v = info[k];
    return (typeof v === 'string' && v.trim()) || typeof v === 'number' ? String(v).trim().toLowerCase() : undefined;
  };
  const contact = pick('contactId');
  if (contact && contact !== '0') return `contact:${contact}`;
  const email = pick('emailAddress');
  if (email) return `email:${email}`;
  const user = pick('authUserName');
  if (user) return `user:${user}`;
  return `anon:${crypto.randomBytes(12).toString('base64url')}`;
}

export function issuerRoutes(app: TemplatedApp, ctx: HttpContext): void {
  const establishStats = ctx.metrics.route('issuer', 'establishSessions');
  const settingsStats = ctx.metrics.route('issuer', 'serviceSettings');
  const tokenStats = ctx.metrics.route('issuer', 'agentTokens');
  const chatAuthStats = ctx.metrics.route('issuer', 'chatAuthenticate');
  app.post(`${BASE}/establishSessions`, (res: HttpResponse, req: HttpRequest) => {
    const auth = req.getHeader('authorization');
    const appContext = req.getHeader('osvc-crest-application-context');
    const where = publicAddress(ctx.cfg, ctx.port, addressHeaders(req));
    const peer = peerOf(res, req, ctx.cfg.trustProxy);
    const x = begin(res, establishStats);
    readBody(x, ctx.cfg.maxBodyBytes, (body) => {
      // returned, not voided: a rejection becomes a 500 (guard.ts), not the end of the process
      return (async () => {
        const tenant = signIn(ctx, x, peer, auth, (u, p) => findIntegration(ctx, u, p));
        if (!tenant) return;
        if (appContextTooLong(x, appContext)) return;
        if (!body.ok) return sendError(x, body.error);
        if (!isPlainObject(body.value)) return sendError(x, 'BODY_NOT_OBJECT');
        let info: unknown = body.value.sessionInformation ?? {};
        if (typeof info === 'string') {
          const parsed = parseText(info);
          if (!parsed.ok) return sendError(x, parsed.error.code === 'JSON_TOO_DEEP' ? parsed.error : invalidField('sessionInformation', `${SESSION_INFO_SHAPE}; this string is not valid JSON`));
          info = parsed.value;
        }
        if (!isPlainObject(info)) return sendError(x, invalidField('sessionInformation', SESSION_INFO_SHAPE));
        const jwt = await consumerJwt(ctx, x, tenant, info, senderKeyOf(info), 'sessionInformation');
        if (jwt === undefined) return;
        const ssr = { domain: where.domain, port: where.port, pool: tenant.pool };
        sendJson(x, 200, JSON.stringify({
          jwt,
          channelToken: jwt,
          siteName: tenant.site,
          chatSiteName: tenant.site,
          sessionServerResponse: JSON.stringify(ssr),
          ...ssr,
        }));
      })();
    });
  });

  // Fusion Service's issuer (spec §2.1): the same sign-in and token, the customer's fields at the top
  // level, the address as establishSessions gives it (its port left out when it is the scheme's default)
  const chatAuthenticate = (res: HttpResponse, req: HttpRequest): void => {
    const auth = req.getHeader('authorization');
    const where = publicAddress(ctx.cfg, ctx.port, addressHeaders(req));
    const peer = peerOf(res, req, ctx.cfg.trustProxy);
    const x = begin(res, chatAuthStats);
    readBody(x, ctx.cfg.maxBodyBytes, (body) => {
      return (async () => {
        const tenant = signIn(ctx, x, peer, auth, (u, p) => findIntegration(ctx, u, p));
        if (!tenant) return;
        if (!body.ok) return sendError(x, body.error);
        const v = validateChatAuthenticate(body.value);
        if (!v.ok) return sendError(x, v.error);
        const jwt = await consumerJwt(ctx, x, tenant, v.value.info, v.value.sub, "chatAuthenticate's customer fields");
        if (jwt === undefined) return;
        const answer: Record<string, unknown> = { domain: where.domain, poolId: tenant.pool, jwt, chatSiteName: tenant.site };
        if (where.port !== defaultPort(where.scheme)) answer.port = where.port;
        sendJson(x, 201, JSON.stringify(answer));
      })();
    });
  };
  for (const path of CHAT_AUTHENTICATE_PATHS) app.post(path, chatAuthenticate);

  app.get(`${BASE}/serviceSettings/1`, (res: HttpResponse, req: HttpRequest) => {
    const auth = req.getHeader('authorization');
    const where = publicAddress(ctx.cfg, ctx.port, addressHeaders(req));
    const x = begin(res, settingsStats);
    const found = signIn(ctx, x, peerOf(res, req, ctx.cfg.trustProxy), auth, (u, p) => findAgent(ctx, u, p));
    if (!found) return;
    sendJson(x, 200, JSON.stringify({
      domain: where.domain,
      pool: found.tenant.pool,
      port: where.port,
      siteName: found.tenant.site,
      links: [{ rel: 'describedby', href: `${originOf(where)}${BASE}/serviceSettings`, mediaType: 'application/schema+json' }],
    }));
  });

  app.post(`${BASE}/agentTokens`, (res: HttpResponse, req: HttpRequest) => {
    const auth = req.getHeader('authorization');
    const appContext = req.getHeader('osvc-crest-application-context');
    const peer = peerOf(res, req, ctx.cfg.trustProxy);
    const x = begin(res, tokenStats);
    readBody(x, ctx.cfg.maxBodyBytes, (body) => {
      return agentToken(ctx, x, peer, auth, appContext, body.ok && isPlainObject(body.value) && Object.keys(body.value).length === 0);
    });
  });
}

/**
 * The consumer JWT carrying `info` (sessionInformation, or chatAuthenticate's fields), or undefined
 * after answering 413 for `info` over MAX_SESSION_INFO_BYTES (`what` names it in the message).
 */
async function consumerJwt(ctx: HttpContext, x: Exchange, tenant: Tenant, info: Record<string, unknown>, sub: string, what: string): Promise<string | undefined> {
  if (Buffer.byteLength(JSON.stringify(info)) > MAX_SESSION_INFO_BYTES) {
    sendError(x, err('PAYLOAD_TOO_LARGE', `${what} is over ${MAX_SESSION_INFO_BYTES} bytes (as JSON).`));
    return undefined;
  }
  return ctx.jwt.sign({ kind: 'consumer', site: tenant.site, pool: tenant.pool, sub, info }, ctx.cfg.jwtTtlSec);
}

/** Spec §2.1: the header is free text of at most 40 characters — for agentTokens too ("same three headers"). */
function appContextTooLong(x: Exchange, appContext: string): boolean {
  if (appContext.length <= MAX_APP_CONTEXT) return false;
  sendError(x, invalidField('OSvC-CREST-Application-Context', `free text of at most ${MAX_APP_CONTEXT} characters (a header), got ${appContext.length}`));
  return true;
}
const MAX_APP_CONTEXT = 40;

async function agentToken(ctx: HttpContext, x: Exchange, peer: string, auth: string, appContext: string, emptyBody: boolean): Promise<void> {
  const found = signIn(ctx, x, peer, auth, (u, p) => findAgent(ctx, u, p));
  if (!found) return;
  if (appContextTooLong(x, appContext)) return;
  // spec §2.2: empty body only
  if (!emptyBody) return sendError(x, err('BAD_REQUEST', 'agentTokens takes an empty body: no attributes are accepted (send {} or nothing).'));
  const credential = ctx.stamps.of(found.tenant.site, found.agent.user, found.agent.password);
  const jwt = await ctx.jwt.sign({ kind: 'agent', site: found.tenant.site, sub: found.agent.user, accountId: found.agent.accountId, credential }, 3600);
  sendJson(x, 200, JSON.stringify({ sessionToken: jwt, jwt, siteName: found.tenant.site, accountId: found.agent.accountId }));
}

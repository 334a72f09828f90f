// The route table as the HTTP edge tells it to clients: which methods each known path takes, for
// the `Allow` of a 405 (RFC 9110 §15.5.6: it MUST carry one) and of a plain OPTIONS. A known path
// answers every method it does not take 405, whichever that method is; a path that is not one
// answers 404 for every method. HEAD is taken wherever GET is: every GET route is also registered
// for HEAD and answered without its body (guard.ts, respond.ts). The routes themselves are
// registered by their adapters; test/http-head-and-405-allow.test.ts holds this table to them.
import { AGENT_POST_OPS } from '../protocol/agent-requests.ts';

export const CONSUMER_POST_OPS: ReadonlySet<string> = new Set(['requestEngagement', 'getMessages', 'activity', 'postMessage', 'concludeEngagement']);
export const CONSUMER_GET_OPS: ReadonlySet<string> = new Set(['getQueueStats', 'getEngagementQueue']);
export const AGENT_GET_OPS: ReadonlySet<string> = new Set(['rerouteAvailability']);
/** the agent's sign-in: a POST with a bearer token, before any session exists */
export const AGENT_LOGON_OP = 'createAutomatedAgentSession';
/** Fusion Service's issuer endpoint (spec §2.1): the versioned path and the one clients also use */
export const CHAT_AUTHENTICATE_PATHS = ['/serviceApi/resources/11.13.0.0/chatAuthenticate', '/serviceApi/resources/latest/chatAuthenticate'] as const;

const POST = 'POST';
const GET = 'GET, HEAD';
const API_POST = 'POST, OPTIONS';
// `ws` is the WebSocket upgrade (a GET); a plain GET of it is answered 400
const API_GET = 'GET, HEAD, OPTIONS';

/** The methods an API operation takes (`side`: consumer or agent), or undefined: no such operation. */
export function apiAllow(side: string, op: string): string | undefined {
  if (side === 'consumer') {
    if (CONSUMER_POST_OPS.has(op)) return API_POST;
    if (CONSUMER_GET_OPS.has(op) || op === 'ws') return API_GET;
  } else if (side === 'agent') {
    if (AGENT_POST_OPS.has(op) || op === AGENT_LOGON_OP) return API_POST;
    if (AGENT_GET_OPS.has(op) || op === 'ws') return API_GET;
  }
  return undefined;
}

const API_PATH = /^\/engagement\/api\/([^/]+)\/[^/]+\/v1\/([^/]+)$/;
const ISSUER = '/services/rest/crossChannelServices/latest';
const PATHS: ReadonlyArray<readonly [RegExp | string, string]> = [
  ['/healthz', GET],
  ['/readyz', GET],
  [`${ISSUER}/establishSessions`, POST],
  [`${ISSUER}/serviceSettings/1`, GET],
  [`${ISSUER}/agentTokens`, POST],
  ...CHAT_AUTHENTICATE_PATHS.map((p) => [p, POST] as const),
  [/^\/admin\/v1\/engagements\/[^/]+\/transcript$/, GET],
  [/^\/admin\/v1\/engagements\/[^/]+\/terminate$/, POST],
  [/^\/admin\/v1\/tenants\/[^/]+\/tier1$/, 'GET, HEAD, PUT'],
  [/^\/admin\/v1\/shards\/[^/]+\/fault$/, POST],
  ['/admin/v1/http/fault', POST],
  ['/admin/v1/metrics', GET],
  ['/admin/v1/stats', GET],
];

/** The methods the path `url` (no query) takes, or undefined when it is not a known path. */
export function allowOf(url: string): string | undefined {
  const api = API_PATH.exec(url);
  if (api) return apiAllow(api[1] ?? '', api[2] ?? '');
  for (const [path, allow] of PATHS) if (typeof path === 'string' ? url === path : path.test(url)) return allow;
  return undefined;
}

/** Whether `method` (upper case) is one of the `allow` list's. */
export function allows(allow: string, method: string): boolean {
  return allow.split(', ').includes(method);
}

// The thin uWS edge: request lifetime, body streaming, corked writes.
//
// Lifetimes: `HttpRequest` is valid only inside the route callback (read every header and
// parameter there, synchronously). The `ArrayBuffer` given to onData is valid only inside that
// callback (copy it). An `HttpResponse` may be written only until it is aborted; onAborted is
// attached before anything asynchronous happens, and every write checks `aborted` and corks.
import type { HttpResponse } from 'uWebSockets.js';
import { ERRORS, err, type BareErrorCode, type ErrorCode, type ErrorData } from '../errors.ts';
import { parseBody, type JsonParse } from '../protocol/json.ts';
import type { RouteStats } from '../metrics.ts';
import { began, run, type AppConnections } from './guard.ts';

// Keyed by every status the error catalogue can give, so a code added with a new status fails to
// compile until its line is here: uWS writes a bare code as "HTTP/1.1 429" with no SP after it,
// a status line RFC 9112 §4 does not allow and strict clients refuse.
type Status = (typeof ERRORS)[ErrorCode]['status'] | 200 | 201 | 202 | 204 | 408;
export const STATUS_TEXT: Readonly<Record<Status, string>> = {
  200: '200 OK', 201: '201 Created', 202: '202 Accepted', 204: '204 No Content', 400: '400 Bad Request', 401: '401 Unauthorized', 403: '403 Forbidden',
  404: '404 Not Found', 405: '405 Method Not Allowed', 408: '408 Request Timeout', 409: '409 Conflict', 410: '410 Gone', 413: '413 Payload Too Large',
  426: '426 Upgrade Required', 429: '429 Too Many Requests', 500: '500 Internal Server Error', 503: '503 Service Unavailable',
};

/** The status line's code and reason phrase; an unlisted code still gets the SP the grammar needs. */
export function statusLine(status: number): string {
  return (STATUS_TEXT as Readonly<Record<number, string>>)[status] ?? `${status} `;
}

export interface Exchange {
  readonly res: HttpResponse;
  aborted: boolean;
  done: boolean;
  readonly t0: number;
  /** the operation's answer counters (src/metrics.ts); undefined: not counted (admin, preflights) */
  readonly route: RouteStats | undefined;
  /** the request's Origin when the tenant allows it: echoed on the answer (CORS, see cors.ts) */
  cors: string | undefined;
  /** called once if the client goes away before the answer */
  onAbort?: () => void;
  /** a HEAD request: answered as its GET, headers only (RFC 9110 §9.3.2) */
  readonly head: boolean;
  /** the app that took the request (set by began()): once it is stopping, the answer closes the connection */
  app: AppConnections | undefined;
}

// Set by guard.ts while the handler of a HEAD request runs, so the exchange it begins knows —
// one flag rather than a method read per request: HEAD is served by the GET routes' handlers.
let headRequest = false;
export function answeringHead(on: boolean): void {
  headRequest = on;
}

export function begin(res: HttpResponse, route?: RouteStats): Exchange {
  const x: Exchange = { res, aborted: false, done: false, t0: Date.now(), route, cors: undefined, head: headRequest, app: undefined };
  res.onAborted(() => {
    x.aborted = true;
    x.onAbort?.();
  });
  began(x);
  return x;
}

export function sendJson(x: Exchange, status: number, json: string, extraHeaders?: Record<string, string>, closeConnection = false): void {
  send(x, status, 'application/json; charset=utf-8', json, extraHeaders, closeConnection);
}

export function send(x: Exchange, status: number, contentType: string, body: string, extraHeaders?: Record<string, string>, closeConnection = false): void {
  if (x.aborted || x.done) return;
  x.done = true;
  x.route?.observe(status, Date.now() - x.t0);
  x.res.cork(() => {
    x.res.writeStatus(statusLine(status));
    x.res.writeHeader('content-type', contentType);
    if (x.cors !== undefined) {
      x.res.writeHeader('access-control-allow-origin', x.cors).writeHeader('vary', 'Origin');
      // a cross-origin page reads only CORS-safelisted headers unless told: its widget could not
      // see how long to wait after a 503/429 (README: "retry after Retry-After")
      if (extraHeaders?.['retry-after'] !== undefined) x.res.writeHeader('access-control-expose-headers', 'Retry-After');
    }
    if (extraHeaders) for (const [k, v] of Object.entries(extraHeaders)) x.res.writeHeader(k, v);
    // uWS writes a body given to end() on a HEAD answer too, where the client reads it as the
    // start of the next answer. endWithoutBody(length) did not end the answer in this uWS build
    // (uWS then aborted the process, measured), so the GET's length is written as a header.
    if (x.head) x.res.writeHeader('content-length', String(Buffer.byteLength(body))).endWithoutBody();
    // (a stopping server's HEAD answers leave their connection open: app.close() ends it)
    else x.res.end(body, closeConnection || x.app?.closing === true);
  });
}

/** A coded error: `{code, message}` at the top level, and Oracle's `errorMessages` array too. */
export function sendError(x: Exchange, e: ErrorData | BareErrorCode, extraHeaders?: Record<string, string>): void {
  const data = typeof e === 'string' ? err(e) : e;
  const status = ERRORS[data.code].status;
  // a stopping node: the client's retry should open a new connection (to another node), not reuse this one
  const retry = status === 503 ? { 'retry-after': '1', ...extraHeaders } : extraHeaders;
  sendJson(x, status, JSON.stringify({ code: data.code, message: data.message, errorMessages: [data] }), retry, data.code === 'SHUTTING_DOWN');
}

/**
 * A plain GET on a WebSocket path (uWS hands a request without the handshake to the GET routes):
 * 426 with `Upgrade: websocket`, and the `Connection: Upgrade` RFC 9110 §7.8 asks to go with it.
 */
export function refuseWithoutUpgrade(x: Exchange): void {
  sendError(x, 'UPGRADE_REQUIRED', { upgrade: 'websocket', connection: 'Upgrade' });
}

/** A request the path does not take: 405 with the methods it does (`allow`, routes.ts), or 404 when the path is not one. */
export function refuseMethod(x: Exchange, allow: string | undefined): void {
  if (allow === undefined) sendError(x, 'NOT_FOUND');
  else sendError(x, 'METHOD_NOT_ALLOWED', { allow });
}

/**
 * Streams the body, enforcing the size cap while streaming. An oversize body is read to its end
 * (bounded by `drainLimit`) and then answered 413, so clients that write their whole body before
 * reading see the coded answer instead of a reset connection.
 */
export function readBody(x: Exchange, maxBytes: number, cb: (body: JsonParse) => unknown, drainLimit = 64 * 1_048_576): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  x.res.onData((ab, isLast) => {
    size += ab.byteLength;
    if (size > maxBytes) {
      tooBig = true;
      chunks.length = 0;
      if (size > drainLimit) {
        if (!x.aborted && !x.done) {
          x.done = true;
          x.res.close();
        }
        return;
      }
    } else if (isLast && chunks.length === 0) {
      // the common case, a body in one chunk: decode it while `ab` is still valid (decoding copies
      // it into a JS string), no intermediate copy
      if (!x.aborted) run(x, 'request body', () => cb(parseBody(new Uint8Array(ab))));
      return;
    } else if (ab.byteLength > 0) {
      chunks.push(Buffer.from(ab.slice(0)));
    }
    if (!isLast || x.aborted) return;
    if (tooBig) return run(x, 'request body', () => cb({ ok: false, error: err('PAYLOAD_TOO_LARGE') }));
    run(x, 'request body', () => cb(parseBody(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks))));
  });
}

/** A percent-encoded parameter decoded, or '' when its encoding is broken (`%E0`): callers then
 * answer as for a missing value — decodeURIComponent throws URIError, which in a uWS callback
 * ended the process (an unauthenticated WebSocket upgrade with `?aid=%25E0` did). */
export function decodeParam(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

/** `Basic base64(user:password)` → the pair, or undefined (the scheme in any case, RFC 9110 §11.1). */
export function basicAuth(header: string): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/** `Bearer <token>` → the token, or undefined. The scheme is case-insensitive (RFC 9110 §11.1), as for Basic. */
export function bearer(header: string): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

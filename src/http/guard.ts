// The HTTP thread's handler boundaries. uWebSockets.js ends the process on an exception thrown in
// any of its callbacks (a route handler's `throw` printed the error and exited, measured), and an
// async handler's rejection is an unhandled rejection, on which Node 20 ends the process too. One
// bug met by one request — a sessionInformation nested 100,000 deep once overflowed the stack in
// the issuer — then took every engagement's connections down with it. Each boundary catches
// instead: the request gets 500 INTERNAL_SERVER_ERROR, the error is logged with its stack, and
// the node goes on serving.
//
// Boundaries: route handlers and WebSocket callbacks (guardApp), request bodies (respond.ts
// readBody calls run()), async continuations (run() on the promise), shard replies (supervisor).
//
// guardApp also registers every GET route for HEAD (uWS routes a HEAD to no GET route): its handler
// runs with the exchange marked HEAD, answered with the GET's headers and no body (respond.ts).
import type { HttpRequest, HttpResponse, TemplatedApp, WebSocketBehavior } from 'uWebSockets.js';
import { answeringHead, begin, sendError, type Exchange } from './respond.ts';

type Report = (where: string, e: unknown) => void;
let report: Report = (where, e) => console.error(JSON.stringify({ level: 'error', msg: 'handler failed', where, error: String(e) }));

/** Where handler failures are logged (wired once, by server.ts). */
export function reportHandlerErrorsTo(fn: Report): void {
  report = fn;
}

/** The exchange begun by the route handler running now (set by begin()): a throw answers it. */
let current: Exchange | undefined;
/** The app whose route handler runs now: its exchanges learn from it whether the app is stopping. */
let currentApp: AppConnections | undefined;
export function began(x: Exchange): void {
  current = x;
  x.app = currentApp;
}

/** Per app: set once its server stops, after which every answer closes its connection. */
export interface AppConnections {
  closing: boolean;
}
const appConnections = new WeakMap<TemplatedApp, AppConnections>();

/**
 * A stopping server's answers — 503 SHUTTING_DOWN, and the real answers of requests already in
 * flight — each close their connection (`Connection: close`, then uWS closes it once written), so
 * a keep-alive client's next request opens a new connection instead of meeting the process's exit.
 */
export function closeConnectionsAfterAnswers(app: TemplatedApp): void {
  const c = appConnections.get(app);
  if (c) c.closing = true;
}

/** Logs the failure and answers 500, unless the exchange was answered or aborted already. */
export function internalError(x: Exchange, where: string, e: unknown): void {
  report(where, e);
  sendError(x, 'INTERNAL_SERVER_ERROR');
}

/** Calls `fn`; a throw, or the rejection of a promise it returns, goes to `onError`. */
function contain(fn: () => unknown, onError: (e: unknown) => void): void {
  try {
    const r = fn();
    if (r instanceof Promise) r.catch(onError);
  } catch (e) {
    onError(e);
  }
}

/** Runs a continuation of the exchange `x`: a throw, or the rejection of a returned promise, becomes a 500. */
export function run(x: Exchange, where: string, fn: () => unknown): void {
  contain(fn, (e) => internalError(x, where, e));
}

// a WebSocket upgrade handler takes a third argument (the socket context): passed on as it came
type Handler = (res: HttpResponse, req: HttpRequest, ...rest: never[]) => unknown;

/** `head`: the route's requests are HEAD ones ('ask': read the method, for a route of every method) */
function guardRoute(pattern: string, handler: Handler, conns: AppConnections, head: boolean | 'ask' = false): (res: HttpResponse, req: HttpRequest, ...rest: never[]) => void {
  return (res, req, ...rest) => {
    current = undefined;
    currentApp = conns;
    // set until the handler returned: an exchange begun after a throw (below) is HEAD's too
    if (head !== false) answeringHead(head === true || req.getMethod() === 'head');
    try {
      const r = handler(res, req, ...rest);
      const x = current;
      if (r instanceof Promise) r.catch((e: unknown) => (x ? internalError(x, pattern, e) : report(pattern, e)));
    } catch (e) {
      report(pattern, e);
      try {
        // the exchange the handler began, or (thrown before it) one begun now: still inside uWS's callback
        sendError(current ?? begin(res), 'INTERNAL_SERVER_ERROR');
      } catch {
        // the handler had answered or closed the response itself
      }
    } finally {
      current = undefined;
      currentApp = undefined;
      if (head !== false) answeringHead(false);
    }
  };
}

function guardWs<T>(pattern: string, b: WebSocketBehavior<T>, conns: AppConnections): WebSocketBehavior<T> {
  const out: WebSocketBehavior<T> = { ...b };
  const wrap = <A extends unknown[]>(name: string, fn: ((...a: A) => unknown) | undefined): ((...a: A) => void) | undefined =>
    fn && ((...a: A) => contain(() => fn(...a), (e) => report(`${pattern} ${name}`, e)));
  if (b.upgrade) out.upgrade = guardRoute(`${pattern} upgrade`, b.upgrade as Handler, conns) as WebSocketBehavior<T>['upgrade'];
  out.open = wrap('open', b.open);
  out.message = wrap('message', b.message);
  out.drain = wrap('drain', b.drain);
  out.close = wrap('close', b.close);
  return out;
}

const ROUTES = new Set(['get', 'post', 'put', 'patch', 'del', 'options', 'head', 'connect', 'trace', 'any']);

/** The app with every route handler and WebSocket callback registered through it guarded. */
export function guardApp(app: TemplatedApp): TemplatedApp {
  const conns: AppConnections = { closing: false };
  const guardedApp: TemplatedApp = new Proxy(app, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      const fn = v as (...a: unknown[]) => unknown;
      if (prop === 'ws') {
        return (pattern: string, b: WebSocketBehavior<unknown>) => {
          fn.call(target, pattern, guardWs(pattern, b, conns));
          return guardedApp;
        };
      }
      if (typeof prop === 'string' && ROUTES.has(prop)) {
        return (pattern: string, handler: Handler) => {
          fn.call(target, pattern, guardRoute(pattern, handler, conns, prop === 'head' || (prop === 'any' ? 'ask' : false)));
          if (prop === 'get') target.head(pattern, guardRoute(pattern, handler, conns, true));
          return guardedApp;
        };
      }
      return fn.bind(target);
    },
  });
  appConnections.set(guardedApp, conns);
  return guardedApp;
}

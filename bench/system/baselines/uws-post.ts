// What both uWebSockets.js baselines share (uws.ts and uws-hop.ts): the native-binary check, the
// reading of a POST body, and listening — so the two differ only in where the answer is made.
import uWS, { type HttpRequest, type HttpResponse, type TemplatedApp } from 'uWebSockets.js';

// The npm repack silently falls back to a slow JS implementation if the native binary fails to load;
// a baseline measured on that fallback would flatter Parley, so refuse to run.
export function assertNativeUws(): void {
  if (typeof (uWS as unknown as { getParts?: unknown }).getParts !== 'function') {
    console.error('uWebSockets.js native binary not loaded (getParts missing)');
    process.exit(1);
  }
}

/** A request's state after its route callback returned (req is gone by then; res lives until answered or aborted). */
export interface Post {
  readonly res: HttpResponse;
  readonly sessionId: string;
  aborted: boolean;
}

/**
 * Answers a non-POST with `{}`; for a POST, reads the whole body and calls `posted` with it,
 * unless the client went away first.
 */
export function readPost(res: HttpResponse, req: HttpRequest, posted: (p: Post, raw: Buffer) => void): void {
  const method = req.getCaseSensitiveMethod();
  const p: Post = { res, sessionId: req.getHeader('sessionid'), aborted: false };
  res.onAborted(() => {
    p.aborted = true;
  });
  if (method !== 'POST') {
    res.writeStatus('200 OK').writeHeader('content-type', 'application/json').end('{}');
    return;
  }
  let chunks: Buffer[] = [];
  res.onData((ab, isLast) => {
    // uWS reuses the ArrayBuffer after the callback returns, so copy each chunk
    chunks.push(Buffer.from(ab.slice(0)));
    if (!isLast) return;
    const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    chunks = [];
    if (!p.aborted) posted(p, raw);
  });
}

export function answer(p: Post, status: string, json: string): void {
  p.res.cork(() => {
    p.res.writeStatus(status).writeHeader('content-type', 'application/json; charset=utf-8').end(json);
  });
}

/** The post's `body` text ('' when it has none), or undefined once a body that is not JSON was answered 400. */
export function bodyText(p: Post, raw: Buffer): string | undefined {
  let body: { body?: unknown };
  try {
    body = JSON.parse(raw.toString('utf8')) as { body?: unknown };
  } catch {
    answer(p, '400 Bad Request', '{"errorMessages":[{"code":"BAD_REQUEST","message":"invalid JSON"}]}');
    return undefined;
  }
  return typeof body.body === 'string' ? body.body : '';
}

/** What a baseline answers a post with: small, and made from the request, as Parley's answer is. */
export function postAnswer(id: number, sessionId: string, bodyLength: number): string {
  return JSON.stringify({ clientId: id, clientIdString: String(id), clientRequestTime: null, sessionId, bodyLength });
}

export function listen(app: TemplatedApp, name: string): void {
  const host = process.env.BASELINE_HOST ?? '127.0.0.1';
  const port = Number(process.env.BASELINE_PORT ?? '0');
  app.listen(host, port, (sock) => {
    if (!sock) {
      console.error(`${name} baseline: cannot listen on ${host}:${port}`);
      process.exit(1);
    }
    console.log(`Baseline ${name} listening on http://${host}:${uWS.us_socket_local_port(sock)}`);
  });
}

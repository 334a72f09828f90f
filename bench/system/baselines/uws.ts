// Baseline 1: a bare uWebSockets.js server doing the least a postMessage handler must do —
// read the body, JSON.parse it, answer a small JSON 200. Parley ÷ this = the cost of everything else.
import uWS from 'uWebSockets.js';

// The npm repack silently falls back to a slow JS implementation if the native binary fails to load;
// a baseline measured on that fallback would flatter Parley, so refuse to run.
if (typeof (uWS as unknown as { getParts?: unknown }).getParts !== 'function') {
  console.error('uWebSockets.js native binary not loaded (getParts missing)');
  process.exit(1);
}

const host = process.env.BASELINE_HOST ?? '127.0.0.1';
const port = Number(process.env.BASELINE_PORT ?? '0');
let clientId = 0;

const app = uWS.App();
app.any('/*', (res, req) => {
  const method = req.getCaseSensitiveMethod();
  const sessionId = req.getHeader('sessionid');
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
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
    if (aborted) return;
    let status = '200 OK';
    let out: string;
    try {
      const body = JSON.parse(raw.toString('utf8')) as { body?: unknown; clientTransactionId?: unknown };
      const id = ++clientId;
      out = JSON.stringify({
        clientId: id,
        clientIdString: String(id),
        clientRequestTime: null,
        sessionId,
        bodyLength: typeof body.body === 'string' ? body.body.length : 0,
      });
    } catch {
      status = '400 Bad Request';
      out = '{"errorMessages":[{"code":"BAD_REQUEST","message":"invalid JSON"}]}';
    }
    res.cork(() => {
      res.writeStatus(status).writeHeader('content-type', 'application/json; charset=utf-8').end(out);
    });
  });
});

app.listen(host, port, (sock) => {
  if (!sock) {
    console.error(`uws baseline: cannot listen on ${host}:${port}`);
    process.exit(1);
  }
  console.log(`Baseline uws listening on http://${host}:${uWS.us_socket_local_port(sock)}`);
});

// Baseline 2: the same minimal handler as baselines/uws.ts on node:http — what a conventional
// Node server costs before any application logic.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const host = process.env.BASELINE_HOST ?? '127.0.0.1';
const port = Number(process.env.BASELINE_PORT ?? '0');
let clientId = 0;

const server = http.createServer((req, res) => {
  const sessionId = req.headers['sessionid'];
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let status = 200;
    let out = '{}';
    if (req.method === 'POST') {
      try {
        const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        const body = JSON.parse(raw.toString('utf8')) as { body?: unknown };
        const id = ++clientId;
        out = JSON.stringify({
          clientId: id,
          clientIdString: String(id),
          clientRequestTime: null,
          sessionId: typeof sessionId === 'string' ? sessionId : null,
          bodyLength: typeof body.body === 'string' ? body.body.length : 0,
        });
      } catch {
        status = 400;
        out = '{"errorMessages":[{"code":"BAD_REQUEST","message":"invalid JSON"}]}';
      }
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
// keep-alive connections from the load client must not be cut mid-run
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

server.listen(port, host, () => {
  const addr = server.address() as AddressInfo;
  console.log(`Baseline node-http listening on http://${host}:${addr.port}`);
});

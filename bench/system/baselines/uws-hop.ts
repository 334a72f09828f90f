// Baseline 3: baselines/uws.ts with Parley's thread hop and nothing else — the HTTP thread reads
// and parses the body as before, then hands the request to one worker thread through Parley's own
// transport (src/shards/transport.ts: one batched MessagePort message per event-loop turn, each
// way) and writes the answer when the worker's batch comes back. The worker does no work: it
// builds the same small JSON the uws baseline answers with.
// Parley ÷ this is the cost of Parley's per-message work (Tier-1, journal, engagement actor) with
// the hop's cost taken out; this ÷ bare uWS is what the hop costs on the machine by itself.
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import uWS, { type HttpResponse } from 'uWebSockets.js';
import { BatchPort } from '../../../src/shards/transport.ts';
import type { HopReply, HopRequest } from './uws-hop-worker.ts';

if (typeof (uWS as unknown as { getParts?: unknown }).getParts !== 'function') {
  console.error('uWebSockets.js native binary not loaded (getParts missing)');
  process.exit(1);
}

const host = process.env.BASELINE_HOST ?? '127.0.0.1';
const port = Number(process.env.BASELINE_PORT ?? '0');

// A .ts file cannot be a Worker's entry on Node 20; the bench's plain boot file requires it
// through tsx's hook (see bench/detectors/ts-worker.mjs).
const { port1, port2 } = new MessageChannel();
const worker = new Worker(new URL('../../detectors/ts-worker.mjs', import.meta.url), {
  workerData: { entry: fileURLToPath(new URL('./uws-hop-worker.ts', import.meta.url)), port: port2 },
  transferList: [port2],
});
worker.on('error', (e) => {
  console.error('uws-hop baseline: worker failed', e);
  process.exit(1);
});

// A response waits here from its request until the worker's answer; aborted ones stay until then
// (the worker answers every request) and are skipped.
const waiting = new Map<number, { res: HttpResponse; aborted: boolean }>();
let nextId = 0;

const hop = new BatchPort<HopRequest>(port1, (batch) => {
  for (const r of batch as HopReply[]) {
    const w = waiting.get(r.id);
    if (w === undefined) continue;
    waiting.delete(r.id);
    if (w.aborted) continue;
    w.res.cork(() => {
      w.res.writeStatus('200 OK').writeHeader('content-type', 'application/json; charset=utf-8').end(r.json);
    });
  }
});

const app = uWS.App();
app.any('/*', (res, req) => {
  const method = req.getCaseSensitiveMethod();
  const sessionId = req.getHeader('sessionid');
  const w = { res, aborted: false };
  res.onAborted(() => {
    w.aborted = true;
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
    if (w.aborted) return;
    let body: { body?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8')) as { body?: unknown };
    } catch {
      res.cork(() => {
        res.writeStatus('400 Bad Request').writeHeader('content-type', 'application/json; charset=utf-8').end('{"errorMessages":[{"code":"BAD_REQUEST","message":"invalid JSON"}]}');
      });
      return;
    }
    const id = ++nextId;
    waiting.set(id, w);
    hop.send({ id, sessionId, body: typeof body.body === 'string' ? body.body : '' });
  });
});

app.listen(host, port, (sock) => {
  if (!sock) {
    console.error(`uws-hop baseline: cannot listen on ${host}:${port}`);
    process.exit(1);
  }
  console.log(`Baseline uws-hop listening on http://${host}:${uWS.us_socket_local_port(sock)}`);
});

// Baseline 3: baselines/uws.ts with Parley's thread hop and nothing else — the HTTP thread reads
// and parses the body as before, then hands the request to one worker thread through Parley's own
// transport (src/shards/transport.ts: one batched MessagePort message per event-loop turn, each
// way) and writes the answer when the worker's batch comes back. The worker does no work: it
// builds the same small JSON the uws baseline answers with.
// Parley ÷ this is the cost of Parley's per-message work (Tier-1, journal, engagement actor) with
// the hop's cost taken out; this ÷ bare uWS is what the hop costs on the machine by itself.
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import uWS from 'uWebSockets.js';
import { BatchPort } from '../../../src/shards/transport.ts';
import { answer, assertNativeUws, bodyText, listen, readPost, type Post } from './uws-post.ts';
import type { HopReply, HopRequest } from './uws-hop-worker.ts';

assertNativeUws();

// The bench runs the bundle (dist/baselines/uws-hop.js beside uws-hop-worker.js); run as
// TypeScript, a .ts file cannot be a Worker's entry on Node 20, so the bench's plain boot file
// requires it through tsx's hook (see bench/detectors/ts-worker.mjs).
const { port1, port2 } = new MessageChannel();
const worker = import.meta.url.endsWith('.js')
  ? new Worker(new URL('./uws-hop-worker.js', import.meta.url), { workerData: { port: port2 }, transferList: [port2] })
  : new Worker(new URL('../../detectors/ts-worker.mjs', import.meta.url), {
      workerData: { entry: fileURLToPath(new URL('./uws-hop-worker.ts', import.meta.url)), port: port2 },
      transferList: [port2],
    });
worker.on('error', (e) => {
  console.error('uws-hop baseline: worker failed', e);
  process.exit(1);
});

// A post waits here from its body until the worker's answer; one whose client went away stays
// until then (the worker answers every request) and is skipped.
const waiting = new Map<number, Post>();
let nextId = 0;

const hop = new BatchPort<HopRequest>(port1, (batch) => {
  for (const r of batch as HopReply[]) {
    const p = waiting.get(r.id);
    if (p === undefined) continue;
    waiting.delete(r.id);
    if (!p.aborted) answer(p, '200 OK', r.json);
  }
});

const app = uWS.App();
app.any('/*', (res, req) => {
  readPost(res, req, (p, raw) => {
    const body = bodyText(p, raw);
    if (body === undefined) return;
    const id = ++nextId;
    waiting.set(id, p);
    hop.send({ id, sessionId: p.sessionId, body });
  });
});
listen(app, 'uws-hop');

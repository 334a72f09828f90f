// Shard transport micro-benchmark. Design question: how should the main thread talk to a shard —
// a Piscina task per request, one MessagePort message per request, or micro-batches (and packed
// with msgpackr or structured-cloned)? Measures round-trip throughput of request/reply pairs
// through a real worker thread, with a fixed number of requests in flight.
import { MessageChannel, Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Packr } from 'msgpackr';
import { Piscina } from 'piscina';
import { inToWire } from '../../src/protocol/wire.ts';
import { asShardOutBatch, type ShardIn } from '../../src/protocol/shard.ts';

const ECHO = fileURLToPath(new URL('./echo-worker.ts', import.meta.url));
const BOOT = fileURLToPath(new URL('./ts-worker.mjs', import.meta.url));
const PISCINA_ECHO = fileURLToPath(new URL('./piscina-echo.ts', import.meta.url));
const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const N = 200_000;

export interface Row { transport: string; batch: number; roundTripsPerSec: number; cpuUsPerRoundTrip: number }
type Mode = 'msgpackr' | 'clone' | 'wire';

function command(id: number): Record<string, unknown> {
  return { k: 'req', id, op: { op: 'postMessage', site: 'demo', engagementId: 4097 + id, secret: 'AAAAAAAAAAAAAAAAAAAAAA', body: 'Hello, I need help with my order please', richText: false, offTheRecord: false, echo: { t0: 1764000000000 } } };
}

async function portRun(mode: Mode, batch: number): Promise<Row> {
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(BOOT, { workerData: { entry: ECHO, mode, port: port2 }, transferList: [port2], execArgv: ['--import', 'tsx'] });
  await new Promise((r) => w.once('message', r));
  let done = 0;
  let sent = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const sendBatch = (): void => {
      const b = [];
      for (let i = 0; i < batch && sent < N; i++) b.push(mode === 'wire' ? inToWire(command(sent++) as unknown as ShardIn) : command(sent++));
      if (mode === 'msgpackr') {
        const bytes = new Uint8Array(packr.pack(b));
        port1.postMessage(bytes, [bytes.buffer]);
      } else port1.postMessage(b);
    };
    port1.on('message', (data: unknown) => {
      const replies = mode === 'msgpackr' ? (packr.unpack(data as Uint8Array) as unknown[]) : mode === 'wire' ? asShardOutBatch(data) : (data as unknown[]);
      done += replies.length;
      if (done >= N) return resolve();
      if (sent < N) sendBatch();
    });
    // keep 8 batches in flight, as a busy main thread would
    for (let i = 0; i < 8 && sent < N; i++) sendBatch();
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  // process CPU covers both threads: the cost of a round trip, steadier than throughput on a busy box
  const c = process.cpuUsage(c0);
  port1.close();
  await w.terminate();
  const name = mode === 'wire' ? 'MessagePort clone, flat wire forms (protocol/wire.ts)' : `MessagePort ${mode}`;
  return { transport: name, batch, roundTripsPerSec: Math.round(N / s), cpuUsPerRoundTrip: Math.round(((c.user + c.system) / N) * 100) / 100 };
}

async function piscinaRun(): Promise<Row> {
  const pool = new Piscina({ filename: PISCINA_ECHO, minThreads: 1, maxThreads: 1, execArgv: ['--import', 'tsx'] });
  const n = 20_000;
  await pool.run(command(0));
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) await pool.run(command(next++));
  };
  await Promise.all(Array.from({ length: 64 }, lane));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  await pool.destroy();
  return { transport: 'Piscina task per request', batch: 1, roundTripsPerSec: Math.round(n / s), cpuUsPerRoundTrip: Math.round(((c.user + c.system) / n) * 100) / 100 };
}

export async function benchTransport(): Promise<{ question: string; method: string; rows: Row[]; answer: string }> {
  const rows: Row[] = [await piscinaRun()];
  for (const mode of ['clone', 'wire', 'msgpackr'] as const) for (const batch of [1, 10, 100, 500]) rows.push(await portRun(mode, batch));
  return {
    question: 'How should requests travel between the uWS thread and a shard thread?',
    method: `${N} request/reply round trips (realistic postMessage command and reply objects) through one real worker thread, 8 batches in flight; Piscina: 20000 tasks, 64 in flight; CPU = process CPU time (both threads) per round trip`,
    rows,
    answer: transportAnswer(rows),
  };
}

/** The fastest row against a Piscina task per request (the first row). */
export function transportAnswer(rows: readonly Row[]): string {
  const best = rows.reduce((a, b) => (b.roundTripsPerSec > a.roundTripsPerSec ? b : a));
  const piscina = rows[0]!.roundTripsPerSec;
  return `${best.transport} with batches of ${best.batch} moves ${best.roundTripsPerSec} round trips/s at ${best.cpuUsPerRoundTrip} µs CPU each, ${(best.roundTripsPerSec / piscina).toFixed(1)}× a Piscina task per request (${piscina}/s)`;
}

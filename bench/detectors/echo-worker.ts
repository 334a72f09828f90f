// Echo side of the transport benchmark: answers every command of a batch, like a shard would.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';

const mode = (workerData as { mode: 'msgpackr' | 'clone' }).mode;
const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const port = (workerData as { port: MessagePort }).port;

port.on('message', (data: unknown) => {
  const batch = (mode === 'msgpackr' ? packr.unpack(data as Uint8Array) : data) as Array<{ id: number }>;
  const out = batch.map((m) => ({ k: 'reply', id: m.id, status: 200, json: '{"clientId":1,"clientIdString":"1","clientRequestTime":null}' }));
  if (mode === 'msgpackr') {
    const bytes = new Uint8Array(packr.pack(out));
    port.postMessage(bytes, [bytes.buffer]);
  } else port.postMessage(out);
});
parentPort?.postMessage('ready');

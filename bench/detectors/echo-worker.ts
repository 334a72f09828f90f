// Echo side of the transport benchmark: answers every command of a batch, like a shard would.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';
import { asShardInBatch, type ShardOut } from '../../src/protocol/shard.ts';
import { outToWire } from '../../src/protocol/wire.ts';

const mode = (workerData as { mode: 'msgpackr' | 'clone' | 'wire' }).mode;
const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const port = (workerData as { port: MessagePort }).port;

port.on('message', (data: unknown) => {
  const batch = (mode === 'msgpackr' ? packr.unpack(data as Uint8Array) : mode === 'wire' ? asShardInBatch(data) : data) as Array<{ id: number }>;
  const reply = (id: number): ShardOut => ({ k: 'reply', id, status: 200, json: '{"clientId":1,"clientIdString":"1","clientRequestTime":null}' });
  const out = mode === 'wire' ? batch.map((m) => outToWire(reply(m.id))) : batch.map((m) => reply(m.id));
  if (mode === 'msgpackr') {
    const bytes = new Uint8Array(packr.pack(out));
    port.postMessage(bytes, [bytes.buffer]);
  } else port.postMessage(out);
});
parentPort?.postMessage('ready');

// The worker of baselines/uws-hop.ts: answers each request of a batch at once, doing no work.
import { workerData, type MessagePort } from 'node:worker_threads';
import { BatchPort } from '../../../src/shards/transport.ts';
import { postAnswer } from './uws-post.ts';

export interface HopRequest {
  id: number;
  sessionId: string;
  body: string;
}
export interface HopReply {
  id: number;
  json: string;
}

const { port } = workerData as { port: MessagePort };
const out: BatchPort<HopReply> = new BatchPort<HopReply>(port, (batch) => {
  for (const r of batch as HopRequest[]) {
    out.send({ id: r.id, json: postAnswer(r.id, r.sessionId, r.body.length) });
  }
});

// Agent WebSocket delivery: the same getResponseTypes entries agent getMessages returns, as
// `{"getResponseTypes":[...]}` frames in sequence order, each entry once per socket; `?after=<seq>`
// resumes (410 RESUME_TOO_OLD once that position was pruned; no `after=`: what the session keeps,
// workers/routing/agent-session.ts). The session comes from X-AID / X-JSESSIONID headers or aid / jsessionid query parameters.
//
// Slot lifetimes, buffering and backpressure as for the consumer socket: stream-hub.ts.
import type { TemplatedApp } from 'uWebSockets.js';
import { err } from '../errors.ts';
import { begin, decodeParam, sendError } from './respond.ts';
import type { HttpContext } from './context.ts';
import { shardOfVshard, vshardOfSite } from '../router/ids.ts';
import { AFTER_SHAPE, StreamHub, afterParam, type StreamData } from './stream-hub.ts';

interface WsData extends StreamData {
  site: string;
  token: string;
}

export class AgentWsHub extends StreamHub<WsData> {
  constructor(ctx: HttpContext) {
    super(ctx, 'agent session ended');
  }

  routes(app: TemplatedApp): void {
    app.ws<WsData>(
      '/engagement/api/agent/:site/v1/ws',
      this.behavior((res, req, context) => {
        const site = req.getParameter(0) ?? '';
        const q = (k: string): string => req.getQuery(k) ?? '';
        const token = decodeParam(req.getHeader('x-jsessionid') || q('jsessionid') || q('X-JSESSIONID') || q('JSESSIONID')).trim();
        const aid = decodeParam(req.getHeader('x-aid') || q('aid') || q('X-AID') || q('accountId')).trim();
        // no after= (or an empty one): a client with no position, given what the session keeps
        const afterRaw = q('after');
        const up = { key: req.getHeader('sec-websocket-key'), protocol: req.getHeader('sec-websocket-protocol'), extensions: req.getHeader('sec-websocket-extensions'), context };
        const x = begin(res);
        if (!this.ctx.tenants.get(site)) return sendError(x, 'UNKNOWN_SITE');
        const who = this.ctx.agents.check(site, token, aid);
        if ('error' in who) return sendError(x, who.error);
        const after = afterRaw === '' ? undefined : afterParam(afterRaw);
        if (afterRaw !== '' && after === undefined) return sendError(x, err('INVALID_FIELD', AFTER_SHAPE));
        const shard = shardOfVshard(vshardOfSite(site), this.ctx.shards.shardCount);
        const data: WsData = { wsId: this.reserve(), site, token, shard };
        this.ctx.shards.requestAgent(shard, { op: 'agentWsSubscribe', who, after, wsId: data.wsId }, this.subscribed(x, res, data, up));
      }),
    );
  }

  protected unsubscribe(d: WsData): void {
    this.ctx.shards.send(d.shard, { k: 'agentReq', id: 0, op: { op: 'agentWsUnsubscribe', site: d.site, token: d.token, wsId: d.wsId } });
  }
}

// One process of the Node fallback load client (used when wrk is not installed, and for the
// fixed-rate run). Raw keep-alive sockets with one request in flight each and a minimal HTTP/1.1
// response parser: node:http's client costs more CPU than the servers it would be measuring.
// Closed loop (rate 0): every connection sends its next request as soon as the last one is answered.
// Fixed rate: requests are scheduled at exact intervals and latency is counted from the scheduled
// time, so a server stall shows up as latency instead of silently lowering the send rate
// (no coordinated omission).
import net from 'node:net';
import fs from 'node:fs';
import * as hdr from 'hdr-histogram-js';
import { messageIdPrefix, parseSessionFile, parseTextsFile } from './plan.ts';
import type { LoadSession } from './plan.ts';

export interface WorkerConfig {
  host: string;
  port: number;
  sessionsFile: string;
  hamFile: string;
  advFile: string | null;
  advEvery: number;
  connections: number;
  durationS: number;
  /** requests per second for this process; 0 = closed loop */
  rate: number;
  /** sent but not recorded: the client's own JIT warm-up would otherwise show up as server latency */
  warmupS: number;
  index: number;
  workers: number;
  /** each post carries a messageId with this prefix (plan.ts newIdNonce); null: none */
  idNonce: string | null;
  /** posts per adversarial session before the next takes over (adversarial.ts); 0: all its texts */
  advLife?: number;
  /** texts each ham session posted in earlier runs against this server: it goes on from there */
  textOffset?: number;
}

export interface WorkerResult {
  requests: number;
  durationS: number;
  histogram: string;
  codes: Record<string, number>;
  socketErrors: number;
  /** fixed rate: requests still queued (never sent) when time ran out */
  backlog: number;
}

interface Prepared {
  kind: 'h' | 'a';
  head: string;
  prefix: string;
  suffix: string;
  ptr: number;
  /** plan.ts messageIdPrefix for this session and worker, or null; n counts the session's posts */
  idp: string | null;
  n: number;
}

function prepare(cfg: WorkerConfig): { ham: Prepared[]; adv: Prepared[]; hamTexts: string[]; advTexts: string[] } {
  const all = parseSessionFile(fs.readFileSync(cfg.sessionsFile, 'utf8'));
  const hamTexts = parseTextsFile(fs.readFileSync(cfg.hamFile, 'utf8'));
  const advTexts = cfg.advFile ? parseTextsFile(fs.readFileSync(cfg.advFile, 'utf8')) : [];
  const mk = (s: LoadSession, i: number): Prepared => {
    let head = `POST ${s.path} HTTP/1.1\r\nHost: ${cfg.host}:${cfg.port}\r\nContent-Type: application/json\r\n`;
    for (const [k, v] of Object.entries(s.headers)) head += `${k}: ${v}\r\n`;
    const idp = cfg.idNonce === null ? null : messageIdPrefix(cfg.idNonce, cfg.index, i);
    // an adversarial sender starts at the first adversarial text (its life is counted from there)
    return { kind: s.kind, head: head + 'Content-Length: ', prefix: s.bodyPrefix, suffix: s.bodySuffix, ptr: s.kind === 'a' ? -1 : i * 7919 + (cfg.textOffset ?? 0), idp, n: 0 };
  };
  const mine = all.map(mk).filter((_, i) => i % cfg.workers === cfg.index);
  const pick = (k: 'h' | 'a'): Prepared[] => {
    const m = mine.filter((s) => s.kind === k);
    return m.length ? m : all.map(mk).filter((s) => s.kind === k);
  };
  return { ham: pick('h'), adv: pick('a'), hamTexts, advTexts };
}

async function run(cfg: WorkerConfig): Promise<WorkerResult> {
  const plan = prepare(cfg);
  if (plan.ham.length === 0 || plan.hamTexts.length === 0) throw new Error('no ham sessions or texts');
  let n = 0;
  let hi = 0;
  let ai = -1;
  // as post.lua: each adversarial session posts advLife texts in order, then the next takes over
  const advLife = (cfg.advLife ?? 0) > 0 ? cfg.advLife! : plan.advTexts.length;
  let advLeft = 0;
  const nextRequest = (): Buffer => {
    n++;
    let s: Prepared;
    let texts: string[];
    if (cfg.advEvery > 0 && plan.adv.length > 0 && plan.advTexts.length > 0 && n % cfg.advEvery === 0) {
      if (advLeft <= 0) {
        ai = (ai + 1) % plan.adv.length;
        advLeft = advLife;
      }
      advLeft--;
      s = plan.adv[ai]!;
      texts = plan.advTexts;
    } else {
      s = plan.ham[(hi = (hi + 1) % plan.ham.length)]!;
      texts = plan.hamTexts;
    }
    s.ptr = (s.ptr + 1) % texts.length;
    const body = Buffer.from(s.idp === null ? s.prefix + texts[s.ptr]! + s.suffix : `${s.prefix}${texts[s.ptr]!}${s.idp}${++s.n}"${s.suffix}`, 'utf8');
    return Buffer.concat([Buffer.from(`${s.head}${body.length}\r\n\r\n`, 'latin1'), body]);
  };

  const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const codes: Record<string, number> = {};
  let done = 0;
  let socketErrors = 0;
  let running = false;
  let t0 = 0;
  let recordFrom = 0;
  const queue: number[] = []; // fixed rate: scheduled start times not yet sent
  const interval = cfg.rate > 0 ? 1000 / cfg.rate : 0;
  let scheduled = 0;
  const fillDue = (): void => {
    const now = performance.now();
    while (t0 + scheduled * interval <= now) queue.push(t0 + scheduled++ * interval);
  };
  const idle: Conn[] = [];

  class Conn {
    sock: net.Socket;
    buf: Buffer = Buffer.alloc(0);
    startedAt = 0;
    busy = false;
    connected: Promise<void>;
    constructor() {
      this.sock = net.connect(cfg.port, cfg.host);
      this.sock.setNoDelay(true);
      // settles on a failed connect too (counted as a socket error, retried below): a port nobody
      // answers on must end the run with no answers, not hang it
      this.connected = new Promise((r) => {
        this.sock.once('connect', () => r());
        this.sock.once('close', () => r());
      });
      this.sock.on('data', (d: Buffer) => this.onData(d));
      this.sock.on('error', () => {
        socketErrors++;
      });
      this.sock.on('close', () => {
        if (running) setTimeout(() => replace(this), 50);
      });
    }
    next(): void {
      if (!running) return;
      if (cfg.rate > 0) {
        // every answer is a chance to release what fell due since the last 1 ms tick: sends stay
        // close to their schedule instead of waiting for the timer (the client's own delay is
        // counted as latency, so it must be small)
        fillDue();
        const at = queue.shift();
        if (at === undefined) {
          this.busy = false;
          idle.push(this);
          return;
        }
        this.startedAt = at;
      } else this.startedAt = performance.now();
      this.busy = true;
      this.sock.write(nextRequest());
      // more fell due than this connection can carry: wake idle ones now, not at the next tick
      if (cfg.rate > 0) while (queue.length && idle.length) idle.pop()!.next();
    }
    onData(d: Buffer): void {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      const he = this.buf.indexOf('\r\n\r\n');
      if (he < 0) return;
      const head = this.buf.toString('latin1', 0, he);
      const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      let total: number;
      if (cl) total = he + 4 + Number(cl[1]);
      else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        const z = this.buf.indexOf('\r\n0\r\n\r\n', he);
        if (z < 0) return;
        total = z + 7;
      } else total = he + 4;
      if (this.buf.length < total) return;
      this.buf = this.buf.subarray(total);
      const status = head.slice(9, 12);
      codes[status] = (codes[status] ?? 0) + 1;
      if (running && this.startedAt >= recordFrom) {
        done++;
        hist.recordValue(Math.max(1, Math.round((performance.now() - this.startedAt) * 1000)));
      }
      this.next();
    }
  }
  const conns: Conn[] = [];
  const replace = (c: Conn): void => {
    const i = conns.indexOf(c);
    if (i >= 0) {
      const c2 = new Conn();
      conns[i] = c2;
      void c2.connected.then(() => {
        if (!c2.sock.destroyed) c2.next();
      });
    }
  };
  for (let i = 0; i < cfg.connections; i++) conns.push(new Conn());
  // schedule from the moment every connection is up, not from process start
  await Promise.all(conns.map((c) => c.connected));
  running = true;
  t0 = performance.now();
  recordFrom = t0 + cfg.warmupS * 1000;
  const end = recordFrom + cfg.durationS * 1000;
  for (const c of conns) {
    if (c.sock.destroyed) replace(c);
    else c.next();
  }

  let ticker: NodeJS.Timeout | undefined;
  if (cfg.rate > 0) {
    ticker = setInterval(() => {
      fillDue();
      while (queue.length && idle.length) idle.pop()!.next();
    }, 1);
  }
  await new Promise((r) => setTimeout(r, Math.max(0, end - performance.now())));
  running = false;
  if (ticker) clearInterval(ticker);
  const durationS = (performance.now() - recordFrom) / 1000;
  for (const c of conns) c.sock.destroy();
  return {
    requests: done,
    durationS,
    histogram: hdr.encodeIntoCompressedBase64(hist),
    codes,
    socketErrors,
    backlog: queue.length,
  };
}

// the bench gone (its IPC channel closed): stop rather than load a server nobody measures
process.once('disconnect', () => process.exit(0));
process.once('message', (msg: unknown) => {
  run(msg as WorkerConfig).then(
    (res) => process.send?.({ ok: true, res }, () => process.exit(0)),
    (err: unknown) => process.send?.({ ok: false, error: String(err) }, () => process.exit(1)),
  );
});

// WebSocket receivers: one socket per (consumer session × copy), counting delivered system
// messages (Parley sends JSON array frames; a bare object counts as one message).
import WebSocket from 'ws';

export interface Receivers {
  opened: number;
  failed: number;
  firstError: string | null;
  /** messages received so far */
  count(): number;
  close(): void;
}

export async function openReceivers(base: string, site: string, sessionIds: readonly string[], copies = 1, timeoutMs = 15_000): Promise<Receivers> {
  const wsBase = base.replace(/^http/, 'ws');
  let messages = 0;
  let failed = 0;
  let firstError: string | null = null;
  const sockets: WebSocket[] = [];
  const opens: Array<Promise<boolean>> = [];
  for (const id of sessionIds) {
    for (let k = 0; k < copies; k++) {
      const ws = new WebSocket(`${wsBase}/engagement/api/consumer/${site}/v1/ws?sessionId=${encodeURIComponent(id)}`, { perMessageDeflate: false });
      sockets.push(ws);
      ws.on('message', (data: WebSocket.RawData) => {
        try {
          const v: unknown = JSON.parse(data.toString());
          messages += Array.isArray(v) ? v.length : Array.isArray((v as { systemMessages?: unknown[] }).systemMessages) ? (v as { systemMessages: unknown[] }).systemMessages.length : 1;
        } catch {
          messages++;
        }
      });
      opens.push(
        new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(false), timeoutMs);
          ws.once('open', () => {
            clearTimeout(t);
            resolve(true);
          });
          ws.once('error', (e: Error) => {
            clearTimeout(t);
            firstError ??= e.message;
            resolve(false);
          });
          ws.once('unexpected-response', (_req, res) => {
            clearTimeout(t);
            firstError ??= `HTTP ${res.statusCode} on upgrade`;
            resolve(false);
          });
        }),
      );
      // open in small waves: thousands of simultaneous upgrades measure the accept queue, not delivery
      if (opens.length % 200 === 0) await Promise.all(opens.slice(-200));
    }
  }
  const ok = await Promise.all(opens);
  failed = ok.filter((x) => !x).length;
  return {
    opened: ok.length - failed,
    failed,
    firstError,
    count: () => messages,
    close: () => {
      for (const s of sockets) s.terminate();
    },
  };
}

// Structured logs (pino, JSON lines on stdout). Human-facing start-up lines go to stdout plainly.
import { pino, destination, type Logger } from 'pino';

// Asynchronous destination: a log line never blocks the thread that writes it (decision logs are
// written from shard threads, in the request path of a flagged message).
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { svc: 'parley', ...base }, timestamp: pino.stdTimeFunctions.isoTime }, destination({ dest: 1, sync: false }));
}

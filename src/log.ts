// Structured logs (pino, JSON lines on stdout). Human-facing start-up lines go to stdout plainly.
import { pino, destination, type Logger } from 'pino';

/**
 * Bytes of log lines a thread may hold while stdout does not take them (a full pipe, a blocked
 * container log driver, a stopped reader). Past it new lines are dropped and counted
 * (`parley_log_lines_dropped_total`), so a stuck log reader costs log lines, never the process:
 * unbounded, the buffer grows in the V8 heap of the thread that logs — a shard under a spam attack
 * writes a decision line per flagged message.
 */
export const DEFAULT_LOG_BUFFER_BYTES = 16 * 1_048_576;

let dropped = 0;

/** Log lines this thread has dropped since it started (every logger of the thread together). */
export function droppedLogLines(): number {
  return dropped;
}

// Asynchronous destination: a log line never blocks the thread that writes it (decision logs are
// written from shard threads, in the request path of a flagged message).
export function createLogger(level: string, base: Record<string, unknown> = {}, maxBufferBytes = DEFAULT_LOG_BUFFER_BYTES): Logger {
  const dest = destination({ dest: 1, sync: false, maxLength: maxBufferBytes });
  dest.on('drop', () => {
    dropped++;
  });
  return pino({ level, base: { svc: 'parley', ...base }, timestamp: pino.stdTimeFunctions.isoTime }, dest);
}

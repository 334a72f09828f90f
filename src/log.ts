// Structured logs (pino, JSON lines on stdout). Human-facing start-up lines go to stdout plainly.
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { svc: 'parley' }, timestamp: pino.stdTimeFunctions.isoTime });
}

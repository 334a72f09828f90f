// Builders for consumer system messages (spec §6) and agent getResponseTypes entries (spec §7.2).
// Each message is serialised once, when it is appended; polls and WebSockets send the same text.
import { stringify, twin, type Int64 } from '../../src/protocol/json.ts';
import type { Echo } from '../../src/protocol/shard.ts';

let lastSecond = -1;
let lastText = '';

/** `yyyy-MM-dd'T'HH:mm:ssXXX` as Oracle writes it (seconds precision, UTC); memoised per second. */
export function oracleTime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSecond) {
    lastSecond = sec;
    lastText = new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return lastText;
}

export function consumerMessage(messageName: string, fields: Record<string, unknown>, at: number, seq: number): string {
  return stringify({ messageName, ...fields, createdTime: oracleTime(at), ...twin('sequenceNumber', seq) });
}

export function agentEntry(type: string, fields: Record<string, unknown>, at: number, seq: number): string {
  return stringify({ [type]: { ...fields, chatMessageType: type, ...twin('createdTime', at), ...twin('sequenceNumber', seq) } });
}

/** `"name":digits,"nameString":"digits"` — an int64 pair; digits are canonical (no sign games, no leading zeros). */
export function int64Pair(name: string, digits: Int64 | number): string {
  return `"${name}":${digits},"${name}String":"${digits}"`;
}

/**
 * The consumer response envelope as JSON text, written directly: every consumer reply has it, and
 * building it as an object (computed twin keys, spreads) and stringifying it cost more than the
 * rest of a postMessage reply. Field order as Oracle sends it. `tail` is extra `"k":v` members.
 */
export function envelopeJson(clientId: number | undefined, echo: Echo, tail = '', finishedAt = Date.now()): string {
  let s = clientId === undefined ? '{' : `{${int64Pair('clientId', clientId)},`;
  s += `"clientRequestTime":${echo.clientRequestTime === undefined ? 'null' : JSON.stringify(echo.clientRequestTime)}`;
  if (echo.clientTransactionId !== undefined) s += `,${int64Pair('clientTransactionId', echo.clientTransactionId)}`;
  s += `,"serviceStartTime":"${oracleTime(echo.t0)}","serviceFinishTime":"${oracleTime(finishedAt)}"`;
  return tail === '' ? `${s}}` : `${s},${tail}}`;
}

// Builders for consumer system messages (spec §6) and agent getResponseTypes entries (spec §7.2).
// Each message is serialised once, when it is appended; polls and WebSockets send the same text.
import { int64Pair, stringify } from '../../src/protocol/json.ts';
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

// Both builders write the envelope around the fields' own JSON instead of spreading the fields into
// a new object with twin()s (computed keys spread into a literal: ~7 µs per message, see
// engagement.ts); the text is the same, key for key and in the same order. The fields never carry
// the envelope's own keys (messageName, createdTime, sequenceNumber, chatMessageType).

/** `{...fields}` without its braces: what goes between the envelope's keys ('' for no fields). */
function inner(fields: Record<string, unknown>): string {
  const json = stringify(fields);
  return json.length > 2 ? json.slice(1, -1) + ',' : '';
}

export function consumerMessage(messageName: string, fields: Record<string, unknown>, at: number, seq: number): string {
  return `{"messageName":${JSON.stringify(messageName)},${inner(fields)}"createdTime":"${oracleTime(at)}",${int64Pair('sequenceNumber', seq)}}`;
}

export function agentEntry(type: string, fields: Record<string, unknown>, at: number, seq: number): string {
  const t = JSON.stringify(type);
  return `{${t}:{${inner(fields)}"chatMessageType":${t},${int64Pair('createdTime', at)},${int64Pair('sequenceNumber', seq)}}}`;
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

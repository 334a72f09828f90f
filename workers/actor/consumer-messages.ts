// Builders for consumer system messages (spec §6) and agent getResponseTypes entries (spec §7.2).
// Each message is serialised once, when it is appended; polls and WebSockets send the same text.
import { stringify, twin } from '../../src/protocol/json.ts';

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

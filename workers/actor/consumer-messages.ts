// Builders for consumer system messages (spec §6) and agent getResponseTypes entries (spec §7.2).
// Each message is serialised once, when it is appended; polls and WebSockets send the same text.
import { stringify, twin } from '../../src/protocol/json.ts';

/** `yyyy-MM-dd'T'HH:mm:ssXXX` as Oracle writes it (seconds precision, UTC). */
export function oracleTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function consumerMessage(messageName: string, fields: Record<string, unknown>, at: number, seq: number): string {
  return stringify({ messageName, ...fields, createdTime: oracleTime(at), ...twin('sequenceNumber', seq) });
}

export function agentEntry(type: string, fields: Record<string, unknown>, at: number, seq: number): string {
  return stringify({ [type]: { ...fields, chatMessageType: type, ...twin('createdTime', at), ...twin('sequenceNumber', seq) } });
}

// The fields a customer's and an agent's post share beyond the text (spec §3.4, §7.6).
import { invalidField, type ErrorData } from '../errors.ts';
import { isPlainObject } from './json.ts';

export type PostExtras = { ok: true; messageId: string | undefined } | { ok: false; error: ErrorData };

const MAX_MESSAGE_ID = 256;

/**
 * `messageId` (checked against its sender's earlier ids: a retry is answered, not delivered again)
 * and `messageDataMap` (accepted, not stored). An empty id is no id, as `null` is: typed clients
 * send `""` for an unset string, and taken as an id it would make every later post of that sender
 * look like a retry of the first — answered 200 and never delivered. Nor is an id with U+FFFD: the
 * body's parse turns each unpaired surrogate (a JSON `\udc00` alone, from a widget that cut an emoji
 * in half) into one (protocol/json.ts), so `m-\udc00` and `m-\udfff` were one id and the second, a
 * different message, was answered 200 as a retry and never stored nor delivered. Refused, the
 * client learns at once; real ids are ASCII or whole characters.
 */
export function postExtras(b: Record<string, unknown>): PostExtras {
  const id = b.messageId;
  if (id !== undefined && id !== null && (typeof id !== 'string' || id.length > MAX_MESSAGE_ID || id.includes('\ufffd'))) {
    return { ok: false, error: invalidField('messageId', `a string of at most ${MAX_MESSAGE_ID} characters, with no unpaired surrogate or U+FFFD`) };
  }
  if (b.messageDataMap !== undefined && b.messageDataMap !== null && !isPlainObject(b.messageDataMap)) {
    return { ok: false, error: invalidField('messageDataMap', 'an object of string values') };
  }
  return { ok: true, messageId: typeof id === 'string' && id !== '' ? id : undefined };
}

// The fields a customer's and an agent's post share beyond the text (spec §3.4, §7.6).
import { invalidField, type ErrorData } from '../errors.ts';
import { isPlainObject } from './json.ts';
import { isUnset } from './optional-fields.ts';

export type PostExtras = { ok: true; messageId: string | undefined } | { ok: false; error: ErrorData };

const MAX_MESSAGE_ID = 256;

/**
 * `messageId` (checked against its sender's earlier ids: a retry is answered, not delivered again)
 * and `messageDataMap` (checked — an object of strings — then not stored). An empty id is no id, as `null` is: typed clients
 * send `""` for an unset string, and taken as an id it would make every later post of that sender
 * look like a retry of the first — answered 200 and never delivered. Nor is an id with U+FFFD: the
 * body's parse turns each unpaired surrogate (a JSON `\udc00` alone, from a widget that cut an emoji
 * in half) into one (protocol/json.ts), so `m-\udc00` and `m-\udfff` were one id and the second, a
 * different message, was answered 200 as a retry and never stored nor delivered. Refused, the
 * client learns at once; real ids are ASCII or whole characters.
 */
export function postExtras(b: Record<string, unknown>): PostExtras {
  const id = b.messageId;
  if (!isUnset(id) && (typeof id !== 'string' || id.length > MAX_MESSAGE_ID || id.includes('\ufffd'))) {
    return { ok: false, error: invalidField('messageId', `a string of at most ${MAX_MESSAGE_ID} characters, with no unpaired surrogate or U+FFFD`) };
  }
  const map = b.messageDataMap;
  if (!isUnset(map)) {
    if (!isPlainObject(map)) return { ok: false, error: invalidField('messageDataMap', 'an object of string values') };
    // string → string (spec §3.4, §7.6); a null value is an unset entry, as a null field is unset
    for (const key in map) {
      const v = map[key];
      if (typeof v !== 'string' && v !== null) return { ok: false, error: invalidField(mapPath(key), 'a string') };
    }
  }
  return { ok: true, messageId: typeof id === 'string' && id !== '' ? id : undefined };
}

const PLAIN_KEY = /^[A-Za-z_$][\w$]{0,63}$/;

/** `messageDataMap.key`, or `messageDataMap["…"]` (at most 64 characters of it) for a key that is not a plain name. */
function mapPath(key: string): string {
  if (PLAIN_KEY.test(key)) return `messageDataMap.${key}`;
  return `messageDataMap[${JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key)}]`;
}

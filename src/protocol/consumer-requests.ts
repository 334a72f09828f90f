// Validation of consumer request bodies (spec §3): plain data in, typed data or a coded error out.
// Unknown fields are ignored (forward compatibility); known fields of the wrong type are 400.
import { err, invalidField, type ErrorData } from '../errors.ts';
import { isPlainObject, parseText, readInt64, type Int64 } from './json.ts';
import { postExtras } from './post-fields.ts';
import { cutToCodePoint, PREVIEW_MAX_UNITS } from './cut-text.ts';

export type Valid<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export interface EchoFields {
  clientTransactionId?: Int64;
  clientRequestTime?: string | number | null;
}

const invalid = (field: string, shape: string): { ok: false; error: ErrorData } => ({ ok: false, error: invalidField(field, shape) });

function echoOf(o: Record<string, unknown>): Valid<EchoFields> {
  const out: EchoFields = {};
  const ctid = readInt64(o.clientTransactionId);
  if (ctid === null) return invalid('clientTransactionId', 'an int64 (number or decimal string)');
  if (ctid !== undefined) out.clientTransactionId = ctid;
  const crt = o.clientRequestTime;
  // Oracle sends ISO-8601 strings; one client sends epoch ms: echo either verbatim
  if (crt !== undefined && crt !== null && typeof crt !== 'string' && typeof crt !== 'number') return invalid('clientRequestTime', 'a string (yyyy-MM-ddTHH:mm:ssXXX) or epoch ms');
  if (crt !== undefined) out.clientRequestTime = crt as string | number | null;
  return { ok: true, value: out };
}

function objectBody(body: unknown): Valid<Record<string, unknown>> {
  if (!isPlainObject(body)) return { ok: false, error: err('BODY_NOT_OBJECT') };
  return { ok: true, value: body };
}

/** requestEngagement, getMessages, concludeEngagement: only the echo fields. */
export function validateEchoOnly(body: unknown): Valid<EchoFields> {
  const o = objectBody(body);
  return o.ok ? echoOf(o.value) : o;
}

export interface PostMessageFields extends EchoFields {
  body: string;
  richText: boolean;
  offTheRecord: boolean;
  messageId?: string;
}

export function validatePostMessage(body: unknown): Valid<PostMessageFields> {
  const o = objectBody(body);
  if (!o.ok) return o;
  const b = o.value;
  const echo = echoOf(b);
  if (!echo.ok) return echo;
  if (b.body === undefined || b.body === null) return invalid('body', 'a string (required)');
  if (typeof b.body !== 'string') return invalid('body', 'a string');
  if (b.richText !== undefined && typeof b.richText !== 'boolean') return invalid('richText', 'a boolean');
  if (b.offTheRecord !== undefined && typeof b.offTheRecord !== 'boolean') return invalid('offTheRecord', 'a boolean');
  const extras = postExtras(b);
  if (!extras.ok) return extras;
  const v: PostMessageFields = {
    clientTransactionId: echo.value.clientTransactionId, clientRequestTime: echo.value.clientRequestTime,
    body: b.body, richText: b.richText === true, offTheRecord: b.offTheRecord === true,
  };
  if (extras.messageId !== undefined) v.messageId = extras.messageId;
  return { ok: true, value: v };
}

export interface ActivityFields extends EchoFields {
  mode: string;
  sneakPreviewText?: string;
  sneakPreviewFocus: boolean;
}

// a customer is typing or not (spec §3.3); NONE, AWAY and RESEARCHING are agent states
// (setInteractionStatus) and mean nothing from a customer, so they are refused, not forwarded
const MODES: ReadonlySet<string> = new Set(['LISTENING', 'RESPONDING']);

export function validateActivity(body: unknown): Valid<ActivityFields> {
  const o = objectBody(body);
  if (!o.ok) return o;
  const b = o.value;
  const echo = echoOf(b);
  if (!echo.ok) return echo;
  if (typeof b.mode !== 'string' || !MODES.has(b.mode)) return invalid('mode', 'LISTENING or RESPONDING (required)');
  if (b.sneakPreviewText !== undefined && b.sneakPreviewText !== null && typeof b.sneakPreviewText !== 'string') return invalid('sneakPreviewText', 'a string');
  if (b.sneakPreviewFocus !== undefined && typeof b.sneakPreviewFocus !== 'boolean') return invalid('sneakPreviewFocus', 'a boolean');
  const v: ActivityFields = { ...echo.value, mode: b.mode, sneakPreviewFocus: b.sneakPreviewFocus === true };
  if (typeof b.sneakPreviewText === 'string') v.sneakPreviewText = cutToCodePoint(b.sneakPreviewText, PREVIEW_MAX_UNITS);
  return { ok: true, value: v };
}

/** `request=<url-encoded JSON>` of the two GET endpoints. */
export function parseRequestParam(raw: string): Valid<Record<string, unknown>> {
  if (!raw) return invalid('request', 'a URL-encoded JSON object (required)');
  let text: string;
  try {
    text = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return invalid('request', 'a URL-encoded JSON object');
  }
  if (text.trim() === '') return { ok: false, error: err('MALFORMED_JSON', 'request: not valid JSON') };
  const v = parseText(text);
  if (!v.ok) return { ok: false, error: err(v.error.code, `request: ${v.error.message}`) };
  return isPlainObject(v.value) ? { ok: true, value: v.value } : invalid('request', 'a JSON object');
}

const FIELD_TYPES: ReadonlySet<string> = new Set(['BOOLEAN', 'DATE', 'DATETIME', 'INTEGER', 'LONG', 'STRING', 'DECIMAL']);

/**
 * getEngagementQueue's `customFields` (spec §3.7): every member optional, but a `value` needs a
 * `type` from the documented set — routing cannot compare a value it cannot read. The error names
 * the path (`customFields[2].type`) so a client finds the field it got wrong.
 */
export function validateEngagementQueueRequest(request: Record<string, unknown>): Valid<Record<string, unknown>> {
  const cf = request.customFields;
  if (cf === undefined || cf === null) return { ok: true, value: request };
  if (!Array.isArray(cf)) return invalid('customFields', 'an array of {name, type, value}');
  for (let i = 0; i < cf.length; i++) {
    const f: unknown = cf[i];
    const at = `customFields[${i}]`;
    if (!isPlainObject(f)) return invalid(at, 'an object {name, type, value}');
    if (f.name !== undefined && f.name !== null && typeof f.name !== 'string') return invalid(`${at}.name`, 'a string');
    const value = f.value;
    if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return invalid(`${at}.value`, 'a string, number or boolean');
    const type = f.type;
    const hasValue = value !== undefined && value !== null;
    if (type !== undefined && type !== null && typeof type !== 'string') return invalid(`${at}.type`, 'a string');
    if (hasValue && (typeof type !== 'string' || !FIELD_TYPES.has(type))) return invalid(`${at}.type`, `one of ${[...FIELD_TYPES].join(', ')} when value is present`);
  }
  return { ok: true, value: request };
}

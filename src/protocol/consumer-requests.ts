// Validation of consumer request bodies (spec §3): plain data in, typed data or a coded error out.
// Unknown fields are ignored (forward compatibility); known fields of the wrong type are 400, and
// every optional field sent as `null` is unset (optional-fields.ts), on every endpoint.
import { err } from '../errors.ts';
import { isPlainObject, parseText, readInt64, type Int64 } from './json.ts';
import { postExtras } from './post-fields.ts';
import { cutToCodePoint, PREVIEW_MAX_UNITS } from './cut-text.ts';
import { isUnset, optionalBoolean, refuse as invalid, wrongType, type Refusal, type Valid } from './optional-fields.ts';

export type { Valid } from './optional-fields.ts';

export interface EchoFields {
  clientTransactionId?: Int64;
  clientRequestTime?: string | number | null;
}

function echoOf(o: Record<string, unknown>): Valid<EchoFields> {
  const out: EchoFields = {};
  const ctid = readInt64(o.clientTransactionId);
  if (ctid === null) return invalid('clientTransactionId', 'an int64 (number or decimal string)');
  if (ctid !== undefined) out.clientTransactionId = ctid;
  const crt = o.clientRequestTime;
  // Oracle sends ISO-8601 strings; one client sends epoch ms: echo either verbatim
  if (!isUnset(crt) && typeof crt !== 'string' && typeof crt !== 'number') return invalid('clientRequestTime', 'a string (yyyy-MM-ddTHH:mm:ssXXX) or epoch ms');
  if (crt !== undefined) out.clientRequestTime = crt;
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
  if (isUnset(b.body)) return invalid('body', 'a string (required)');
  if (typeof b.body !== 'string') return invalid('body', 'a string');
  const richText = optionalBoolean(b.richText, 'richText', false);
  if (!richText.ok) return richText;
  const offTheRecord = optionalBoolean(b.offTheRecord, 'offTheRecord', false);
  if (!offTheRecord.ok) return offTheRecord;
  const extras = postExtras(b);
  if (!extras.ok) return extras;
  const v: PostMessageFields = {
    clientTransactionId: echo.value.clientTransactionId, clientRequestTime: echo.value.clientRequestTime,
    body: b.body, richText: richText.value, offTheRecord: offTheRecord.value,
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
  const badText = wrongType(b.sneakPreviewText, 'sneakPreviewText', 'string');
  if (badText) return badText;
  const focus = optionalBoolean(b.sneakPreviewFocus, 'sneakPreviewFocus', false);
  if (!focus.ok) return focus;
  const v: ActivityFields = { ...echo.value, mode: b.mode, sneakPreviewFocus: focus.value };
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

export interface QueueRequest extends EchoFields {
  queueId?: number;
  available: 'AGENTS' | 'SESSIONS';
}

/**
 * The `request=` object of getQueueStats (spec §3.6) and getEngagementQueue (§3.7): `queueId`,
 * `chatProactiveAvailableType` and the echo fields, checked as every consumer body's are (a
 * `clientTransactionId` of the wrong type was ignored here, and refused everywhere else);
 * getEngagementQueue's routing hints (`interfaceId`, `productId`, …) are not read.
 */
export function validateQueueRequest(request: Record<string, unknown>, kind: 'stats' | 'queue'): Valid<QueueRequest> {
  const echo = echoOf(request);
  if (!echo.ok) return echo;
  const q = request.queueId;
  if (!isUnset(q) && !(typeof q === 'number' && Number.isSafeInteger(q)) && !(typeof q === 'string' && /^\d{1,15}$/.test(q))) return invalid('queueId', 'a queue id (an integer, or its decimal digits)');
  const type = request.chatProactiveAvailableType;
  if (!isUnset(type) && type !== 'AGENTS' && type !== 'SESSIONS') return invalid('chatProactiveAvailableType', 'AGENTS or SESSIONS');
  if (kind === 'queue') {
    const cf = customFieldsError(request.customFields);
    if (cf) return cf;
  }
  const v: QueueRequest = { ...echo.value, available: type === 'SESSIONS' ? 'SESSIONS' : 'AGENTS' };
  if (!isUnset(q)) v.queueId = Number(q);
  return { ok: true, value: v };
}

/**
 * getEngagementQueue's `customFields` (spec §3.7): every member optional, but a `value` needs a
 * `type` from the documented set — routing cannot compare a value it cannot read. The error names
 * the path (`customFields[2].type`) so a client finds the field it got wrong.
 */
function customFieldsError(cf: unknown): Refusal | null {
  if (isUnset(cf)) return null;
  if (!Array.isArray(cf)) return invalid('customFields', 'an array of {name, type, value}');
  for (let i = 0; i < cf.length; i++) {
    const f: unknown = cf[i];
    const at = `customFields[${i}]`;
    if (!isPlainObject(f)) return invalid(at, 'an object {name, type, value}');
    const badName = wrongType(f.name, `${at}.name`, 'string');
    if (badName) return badName;
    const value = f.value;
    if (!isUnset(value) && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return invalid(`${at}.value`, 'a string, number or boolean');
    const type = f.type;
    const badType = wrongType(type, `${at}.type`, 'string');
    if (badType) return badType;
    if (!isUnset(value) && (typeof type !== 'string' || !FIELD_TYPES.has(type))) return invalid(`${at}.type`, `one of ${[...FIELD_TYPES].join(', ')} when value is present`);
  }
  return null;
}

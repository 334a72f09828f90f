// The one coded error catalogue. Codes are part of the wire contract: never rename one.
// Errors cross threads as plain data ({ code, message }) — never as Error objects, whose
// class and custom fields do not survive structured clone.

export const ERRORS = {
  // 400 — the request itself is wrong
  MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  JSON_TOO_DEEP: { status: 400, message: 'The request nests objects or arrays more than 64 levels deep.' },
  INVALID_ENCODING: { status: 400, message: 'The request body is not valid UTF-8.' },
  BODY_NOT_OBJECT: { status: 400, message: 'The request body must be a JSON object.' },
  // never sent as is: every INVALID_FIELD names its field (err's types require a message)
  INVALID_FIELD: { status: 400, message: 'A request field is missing or has the wrong type.' },
  EMPTY_MESSAGE: { status: 400, message: 'The message is empty.' },
  BAD_REQUEST: { status: 400, message: 'The request is not valid.' },
  // 401 — credentials (issuer, admin)
  UNAUTHORIZED: { status: 401, message: 'Authentication is required.' },
  // 403 — sessions and tokens
  INVALID_TOKEN: { status: 403, message: 'The token failed validation.' },
  SESSION_UNKNOWN: { status: 403, message: 'The session is unknown or has ended.' },
  ACCESS_DENIED: { status: 403, message: 'Access denied.' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'This origin may not call this site from a browser.' },
  // 404
  NOT_FOUND: { status: 404, message: 'No such resource.' },
  UNKNOWN_SITE: { status: 404, message: 'No such site.' },
  ENGAGEMENT_ID_UNKNOWN: { status: 404, message: 'The engagement id does not exist.' },
  // 405
  METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed on this path.' },
  // 409 — state conflicts
  ENGAGEMENT_TERMINATED: { status: 409, message: 'This conversation has been ended.' },
  LEAD_PARTICIPANT_LEFT: { status: 409, message: 'The lead agent is no longer part of this engagement.' },
  ENGAGEMENT_CONCLUDED: { status: 409, message: 'The engagement has been concluded.' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state.' },
  NOT_PARTICIPANT: { status: 409, message: 'The agent does not hold this engagement.' },
  OFFER_UNKNOWN: { status: 409, message: 'No offer of this engagement is open for this agent session.' },
  // 410 — what was asked for existed and is no longer kept
  RESUME_TOO_OLD: { status: 410, message: 'The position to resume from is older than the oldest entry the server still keeps.' },
  // 413
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  // 426 — a WebSocket path asked without the handshake (a proxy that drops Upgrade/Connection sends that)
  UPGRADE_REQUIRED: { status: 426, message: 'This path is a WebSocket: open it with a WebSocket handshake (GET with Upgrade: websocket and Connection: Upgrade). A proxy in front must forward both headers.' },
  // 429
  TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many failed sign-in attempts; retry after the time in Retry-After.' },
  TOO_MANY_ENGAGEMENTS: { status: 429, message: 'Too many new engagements from this address for this site; retry after the time in Retry-After (the same JWT still works).' },
  // 5xx — ours; the retryable ones say so
  SHARD_UNAVAILABLE: { status: 503, message: 'The engagement is being recovered; retry shortly.' },
  SHUTTING_DOWN: { status: 503, message: 'The server is shutting down; retry shortly.' },
  JOURNAL_FAILED: { status: 503, message: 'The message could not be stored; retry.' },
  AT_CAPACITY: { status: 503, message: 'The chat server is at capacity and takes no new engagements; retry shortly.' },
  STORE_FULL: { status: 503, message: 'The chat server cannot store new messages right now (its storage is full); retry later.' },
  CONNECTIONS_FULL: { status: 503, message: 'The chat server has no file descriptors left and accepts no new connections until some close.' },
  INTERNAL_SERVER_ERROR: { status: 500, message: 'The chat server failed while processing.' },
  REQUEST_QUARANTINED: { status: 500, message: 'This request made the chat server fail; the same request is refused for 10 minutes. Do not retry it unchanged.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error as it travels between threads and onto the wire. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
}

/**
 * Codes whose catalogue message is enough on its own. INVALID_FIELD is not one: its answer names the
 * field and the shape expected (`queueId: expected …`), so it is built only with a message — the
 * types make a bare one impossible to write.
 */
export type BareErrorCode = Exclude<ErrorCode, 'INVALID_FIELD'>;

export function err(code: ErrorCode, message: string): ErrorData;
export function err(code: BareErrorCode, message?: string): ErrorData;
export function err(code: ErrorCode, message?: string): ErrorData {
  return codedError(code, message);
}

/** err() without its overloads: for a function whose own type carries them (Fail). */
export function codedError(code: ErrorCode, message: string | undefined): ErrorData {
  return { code, message: message ?? ERRORS[code].message };
}

/** A shard's answer to request `id` with a coded error, under err()'s rule (INVALID_FIELD only with a message). */
export interface Fail {
  (id: number, code: ErrorCode, message: string): void;
  (id: number, code: BareErrorCode, message?: string): void;
}

/** 400 INVALID_FIELD for `field`: `<field>: expected <shape>`. */
export function invalidField(field: string, shape: string): ErrorData {
  return { code: 'INVALID_FIELD', message: `${field}: expected ${shape}` };
}

export function statusOf(code: ErrorCode): number {
  return ERRORS[code].status;
}

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, v);
}

/** Retryable codes (client may resend the same request, with the same messageId). */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['SHARD_UNAVAILABLE', 'SHUTTING_DOWN', 'JOURNAL_FAILED', 'AT_CAPACITY', 'CONNECTIONS_FULL', 'STORE_FULL', 'TOO_MANY_ENGAGEMENTS']);

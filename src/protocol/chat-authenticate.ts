// Fusion Service's chatAuthenticate body (spec §2.1): the customer's fields at the top level, where
// establishSessions nests them in `sessionInformation`. Checked here, then carried in the consumer
// JWT as `info` exactly as sessionInformation is, so the engagement reads the name, e-mail, question
// and queueId the same way whichever issuer endpoint minted the token.
import { err } from '../errors.ts';
import { isPlainObject, readInt64 } from './json.ts';
import { isUnset, optionalBoolean, refuse, wrongType, type Valid } from './optional-fields.ts';

export interface ChatAuthentication {
  /** the customer's fields for the JWT (unset ones left out; unknown ones kept, as for sessionInformation) */
  info: Record<string, unknown>;
  /** the JWT's key: `authUserName` (spec: "used as its key"), also the customer's Tier-1 sender */
  sub: string;
}

const STRINGS = ['emailAddress', 'firstName', 'lastName', 'question', 'chatSource', 'chatDirection', 'applicationClassification'] as const;
const IDS = ['contactId', 'organizationId', 'queueId'] as const;

export function validateChatAuthenticate(body: unknown): Valid<ChatAuthentication> {
  if (!isPlainObject(body)) return { ok: false, error: err('BODY_NOT_OBJECT') };
  // the only client type a consumer token is for; another would be a token of a kind we do not issue
  if (!isUnset(body.clientType) && body.clientType !== 'CONSUMER') return refuse('clientType', 'CONSUMER (the default)');
  const user = body.authUserName;
  if (typeof user !== 'string' || user.trim() === '') return refuse('authUserName', "a non-empty string (required): the customer's user name, the token's key");
  for (const k of STRINGS) {
    const bad = wrongType(body[k], k, 'string');
    if (bad) return bad;
  }
  for (const k of IDS) if (readInt64(body[k]) === null) return refuse(k, 'an integer (or its decimal digits)');
  const attachments = optionalBoolean(body.allowAgentAttachments, 'allowAgentAttachments', false);
  if (!attachments.ok) return attachments;
  const level = body.escalationLevel;
  if (!isUnset(level) && typeof level !== 'string' && typeof level !== 'number') return refuse('escalationLevel', 'a string or number');
  // fromEntries defines own properties: a "__proto__" field stays a field
  const info = Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== 'clientType' && !isUnset(v)));
  return { ok: true, value: { info, sub: `user:${user.trim().toLowerCase()}` } };
}

// Validation of agent request bodies (spec §7): plain data in, an AgentOp or a coded error out.
// Unknown fields are ignored; known fields of the wrong type are 400. Fields Oracle marks required
// but that real clients leave out (subTypeId, forceLogoff, the retrieve flags) get safe defaults.
import { err, type ErrorData } from '../errors.ts';
import { isPlainObject, readInt64, type Int64 } from './json.ts';
import type { AgentOp, AgentWho } from './shard.ts';
import { postExtras } from './post-fields.ts';
import { cutToCodePoint, PREVIEW_MAX_UNITS } from './cut-text.ts';
import { isUnset, optionalBoolean, refuse as invalid, wrongType, type Valid } from './optional-fields.ts';

export type { Valid } from './optional-fields.ts';

/** The POST operations after logon (createAutomatedAgentSession is handled before a session exists). */
export const AGENT_POST_OPS: ReadonlySet<string> = new Set([
  'getMessages', 'setActivityStatus', 'requestAssignment', 'assignmentAcknowledgement', 'postMessage', 'concludeChat', 'releaseChat',
  'logoff', 'setInteractionStatus', 'setEngagementProperty', 'modifyProperties', 'retrieveAgentsAndQueues', 'rerouteEngagement',
]);

const STATUSES = new Set(['NONE', 'AVAILABLE', 'UNAVAILABLE']);
const ACTIONS = new Set(['NONE', 'ACCEPT', 'DECLINE', 'UNAVAILABLE', 'AVAILABLE']);
const ACTION_TYPES = new Set(['NONE', 'MANUAL', 'AUTO']);
const ASSIGNMENT_TYPES = new Set(['NONE', 'CONFERENCE', 'LEAD', 'TRANSFER', 'MONITOR']);
const MODES = new Set(['NONE', 'LISTENING', 'RESPONDING', 'AWAY', 'RESEARCHING']);
const SNEAK_PREVIEW_STATES = new Set(['NONE', 'ENABLED', 'DISABLED', 'SITE_UNAVAILABLE', 'SERVICE_UNAVAILABLE']);
const VISIBILITIES = new Set(['NONE', 'ALL', 'NOT_ENDUSER']);
/** agent-info types this server knows (AGENT narrows to `id`; NONE is Oracle's unset value); others are INVALID_FIELD (spec §7.14) */
const AGENT_INFO_TYPES = new Set(['NONE', 'AGENT']);

/**
 * Destinations of spec §7.6 that are audiences on the agents' side: another agent, a group or
 * profile of agents, a queue, and the SUBSCRIPTION_… statistics feeds. Posted into the engagement,
 * a note meant for them would be shown to the customer, so they are refused, saying why.
 */
const AGENT_SIDE_DESTINATIONS: ReadonlySet<string> = new Set(['AGENT', 'GROUP', 'PROFILE', 'QUEUE']);

/**
 * An agent post goes to the engagement in `destinationId`: ENGAGEMENT, END_USER, NONE (Oracle's
 * unset value), absent, or a value outside the documented list (the spec: "accept unknown values")
 * — an engagement the agent holds, so the message can only reach that chat. The refusal, or null.
 */
function destinationError(v: unknown): { ok: false; error: ErrorData } | null {
  if (isUnset(v)) return null;
  if (typeof v !== 'string') return invalid('destinationType', 'a string (ENGAGEMENT: the engagement in destinationId)');
  if (AGENT_SIDE_DESTINATIONS.has(v) || v.startsWith('SUBSCRIPTION_')) {
    return { ok: false, error: err('INVALID_FIELD', `destinationType: ${v} is not delivered by this server (it delivers into the engagement only: an agent-side audience's message would reach the customer); expected ENGAGEMENT, END_USER or NONE`) };
  }
  return null;
}

type Body = Record<string, unknown>;

function seqOf(b: Body): Valid<Int64 | undefined> {
  const s = readInt64(b.sequenceNumber);
  if (s === null) return invalid('sequenceNumber', 'an int64');
  return { ok: true, value: s };
}

/** An engagement id: an int64; one that cannot be ours (beyond 2^53) is unknown, not malformed. */
export function engagementIdOf(v: unknown, field = 'engagementId'): Valid<number> | { ok: false; error: ErrorData } {
  const d = readInt64(v);
  if (d === null || d === undefined) return invalid(field, 'an int64 (required)');
  const n = Number(d);
  if (!Number.isSafeInteger(n) || n <= 0) return { ok: false, error: err('ENGAGEMENT_ID_UNKNOWN') };
  return { ok: true, value: n };
}

function int(b: Body, k: string, dflt: number, min: number, max: number): Valid<number> {
  const v = b[k];
  if (isUnset(v)) return { ok: true, value: dflt };
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? { ok: true, value: v } : invalid(k, `an integer in [${min}, ${max}]`);
}

function oneOf(b: Body, k: string, set: ReadonlySet<string>, dflt: string | undefined): Valid<string> {
  const v = b[k];
  if (isUnset(v) && dflt !== undefined) return { ok: true, value: dflt };
  return typeof v === 'string' && set.has(v) ? { ok: true, value: v } : invalid(k, `one of ${[...set].join(', ')}${dflt === undefined ? ' (required)' : ''}`);
}

/** Runs the checks in order; the first failure wins. */
function all<T extends Record<string, unknown>>(parts: { [K in keyof T]: Valid<T[K]> }): Valid<T> {
  const out = {} as T;
  for (const k of Object.keys(parts) as Array<keyof T>) {
    const p = parts[k];
    if (!p.ok) return p;
    out[k] = p.value;
  }
  return { ok: true, value: out };
}

const withSeq = <T extends object>(v: T, seq: Int64 | undefined): T & { seq?: Int64 } => (seq !== undefined ? { ...v, seq } : v);

export function validateAgentOp(op: string, body: unknown, who: AgentWho): Valid<AgentOp> {
  if (!isPlainObject(body)) return { ok: false, error: err('BODY_NOT_OBJECT') };
  const b = body;
  const s = seqOf(b);
  if (!s.ok) return s;
  const seq = s.value;
  switch (op) {
    case 'getMessages':
      return { ok: true, value: withSeq({ op: 'agentGetMessages', who }, seq) };
    case 'setActivityStatus': {
      const v = all({ status: oneOf(b, 'status', STATUSES, undefined), subTypeId: int(b, 'subTypeId', 0, -2147483648, 2147483647) });
      return v.ok ? { ok: true, value: withSeq({ op: 'setActivityStatus', who, ...v.value }, seq) } : v;
    }
    case 'requestAssignment': {
      if (typeof b.assignmentRequested !== 'boolean') return invalid('assignmentRequested', 'a boolean (required)');
      const v = all({ idle: int(b, 'idleSessionCount', 0, 0, 1000), max: int(b, 'maxSessionCount', 1, 0, 1000) });
      return v.ok ? { ok: true, value: withSeq({ op: 'requestAssignment', who, requested: b.assignmentRequested, ...v.value }, seq) } : v;
    }
    case 'assignmentAcknowledgement': {
      const v = all({
        action: oneOf(b, 'action', ACTIONS, undefined),
        actionType: oneOf(b, 'actionType', ACTION_TYPES, 'MANUAL'),
        assignmentType: oneOf(b, 'assignmentType', ASSIGNMENT_TYPES, 'LEAD'),
        engagementId: engagementIdOf(b.engagementId),
      });
      return v.ok ? { ok: true, value: withSeq({ op: 'assignmentAcknowledgement', who, ...v.value }, seq) } : v;
    }
    case 'postMessage': {
      if (typeof b.body !== 'string') return invalid('body', 'a string (required)');
      const refused = destinationError(b.destinationType);
      if (refused) return refused;
      const id = engagementIdOf(b.destinationId, 'destinationId');
      if (!id.ok) return id;
      const vis = b.visibility ?? 'ALL';
      if (vis !== 'ALL' && vis !== 'NOT_ENDUSER' && vis !== 'NONE') return invalid('visibility', 'ALL, NOT_ENDUSER or NONE');
      const v = all({ richText: optionalBoolean(b.richText, 'richText', false), offTheRecord: optionalBoolean(b.offTheRecord, 'offTheRecord', false) });
      if (!v.ok) return v;
      const extras = postExtras(b);
      if (!extras.ok) return extras;
      const value: AgentOp = { op: 'agentPostMessage', who, engagementId: id.value, body: b.body, ...v.value, visibility: vis === 'NOT_ENDUSER' ? 'NOT_ENDUSER' : 'ALL' };
      if (extras.messageId !== undefined) value.messageId = extras.messageId;
      return { ok: true, value: withSeq(value, seq) };
    }
    case 'concludeChat':
    case 'releaseChat':
    case 'rerouteEngagement': {
      const id = engagementIdOf(b.engagementId);
      if (!id.ok) return id;
      return { ok: true, value: withSeq({ op, who, engagementId: id.value }, seq) };
    }
    case 'logoff': {
      const f = optionalBoolean(b.forceLogoff, 'forceLogoff', false);
      return f.ok ? { ok: true, value: withSeq({ op: 'logoff', who, force: f.value }, seq) } : f;
    }
    case 'setInteractionStatus': {
      const v = all({
        engagementId: engagementIdOf(b.engagementId),
        mode: oneOf(b, 'mode', MODES, undefined),
        sneakPreviewFocus: optionalBoolean(b.sneakPreviewFocus, 'sneakPreviewFocus', false),
        // what the customer's client is told it may send (spec §6.1); absent: as before this field was read
        sneakPreviewState: oneOf(b, 'sneakPreviewState', SNEAK_PREVIEW_STATES, 'ENABLED'),
        sneakPreviewInterval: int(b, 'sneakPreviewInterval', 500, 0, 2147483647),
        visibility: oneOf(b, 'visibility', VISIBILITIES, 'ALL'),
      });
      if (!v.ok) return v;
      const badPreview = wrongType(b.sneakPreview, 'sneakPreview', 'string');
      if (badPreview) return badPreview;
      // NONE is Oracle's unset value: the default, as for postMessage
      const value: AgentOp = { op: 'setInteractionStatus', who, ...v.value, visibility: v.value.visibility === 'NOT_ENDUSER' ? 'NOT_ENDUSER' : 'ALL' };
      if (typeof b.sneakPreview === 'string') value.sneakPreview = cutToCodePoint(b.sneakPreview, PREVIEW_MAX_UNITS);
      return { ok: true, value: withSeq(value, seq) };
    }
    case 'setEngagementProperty': {
      const id = engagementIdOf(b.engagementId);
      if (!id.ok) return id;
      if (typeof b.name !== 'string' || !b.name) return invalid('name', 'a property name (required)');
      const type = b.type ?? 'USER';
      if (type !== 'USER' && type !== 'ENGAGEMENT') return invalid('type', 'USER or ENGAGEMENT');
      const value = b.value;
      if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') return invalid('value', 'a string or number');
      return { ok: true, value: withSeq({ op: 'setProperties', who, engagementId: id.value, type, props: { [b.name]: value === undefined || value === null ? '' : String(value) }, customFields: [], many: false }, seq) };
    }
    case 'modifyProperties': {
      const id = engagementIdOf(b.engagementId);
      if (!id.ok) return id;
      const type = b.type ?? 'USER';
      if (type !== 'USER' && type !== 'ENGAGEMENT') return invalid('type', 'USER or ENGAGEMENT');
      const map = b.propertiesMap ?? {};
      if (!isPlainObject(map)) return invalid('propertiesMap', 'an object of property name → value');
      const props: Record<string, string> = {};
      for (const [k, v] of Object.entries(map)) {
        if (typeof v !== 'string' && typeof v !== 'number') return invalid(`propertiesMap.${k}`, 'a string or number');
        props[k] = String(v);
      }
      const cf = b.customFields ?? [];
      if (!Array.isArray(cf) || !cf.every(isPlainObject)) return invalid('customFields', 'a list of { name, type, value }');
      if (cf.length > 0 && type !== 'USER') return invalid('customFields', 'allowed only with type USER');
      return { ok: true, value: withSeq({ op: 'setProperties', who, engagementId: id.value, type, props, customFields: cf, many: true }, seq) };
    }
    case 'retrieveAgentsAndQueues': {
      const v = all({ agents: optionalBoolean(b.includeAgentInformation, 'includeAgentInformation', true), queues: optionalBoolean(b.includeQueueInformation, 'includeQueueInformation', true), stats: optionalBoolean(b.includeQueueStatistics, 'includeQueueStatistics', false) });
      if (!v.ok) return v;
      const id = readInt64(b.id);
      if (id === null) return invalid('id', 'an int64');
      if (b.type !== undefined && b.type !== null && (typeof b.type !== 'string' || !AGENT_INFO_TYPES.has(b.type))) return invalid('type', `one of ${[...AGENT_INFO_TYPES].join(', ')}`);
      const value: AgentOp = { op: 'retrieveAgentsAndQueues', who, ...v.value };
      if (id !== undefined) value.id = id;
      if (typeof b.type === 'string') value.type = b.type;
      return { ok: true, value: withSeq(value, seq) };
    }
    default:
      return { ok: false, error: err('NOT_FOUND') };
  }
}

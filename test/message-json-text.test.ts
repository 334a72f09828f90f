// Consumer system messages, agent entries and agent replies are written as JSON text around their
// fields (no object of twin() keys spread into another: that cost ~7 µs per message). The text is
// what the spread-built object gave, key for key and in order — checked here against that
// construction on generated fields — and every int64 pair an engagement writes says the same
// number twice.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { agentEntry, consumerMessage, oracleTime } from '../workers/actor/consumer-messages.ts';
import { readInt64, stringify, twin, withPair } from '../src/protocol/json.ts';
import { Engagement } from '../workers/actor/engagement.ts';
import type { EngEvent } from '../workers/actor/events.ts';
import { queueStatsBody } from '../workers/routing/replies.ts';
import type { TenantQueue } from '../workers/routing/queue.ts';
import type { AgentSession } from '../workers/routing/agent-session.ts';

const field = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
// field names as the builders' callers write them: never an integer-like key (an object puts those first)
const fields = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !/^(0|[1-9]\d*)$/.test(k) && !['messageName', 'createdTime', 'createdTimeString', 'sequenceNumber', 'sequenceNumberString', 'chatMessageType', '__proto__'].includes(k)), field, { maxKeys: 6 });
const int64 = fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 9223372036854775807n }).map((b) => readInt64(b.toString())!));

describe('message JSON text', () => {
  it('consumer messages and agent entries: the text of the spread-built object', () => {
    fc.assert(
      fc.property(fields, fc.nat(), fc.integer({ min: 0, max: 4e12 }), fc.constantFrom('RNEngagementMessagePostedMessage', 'ChatPostMessage'), (f, seq, at, name) => {
        expect(consumerMessage(name, f, at, seq)).toBe(stringify({ messageName: name, ...f, createdTime: oracleTime(at), ...twin('sequenceNumber', seq) }));
        expect(agentEntry(name, f, at, seq)).toBe(stringify({ [name]: { ...f, chatMessageType: name, ...twin('createdTime', at), ...twin('sequenceNumber', seq) } }));
      }),
      { numRuns: 500 },
    );
  });

  it('an agent reply with its sequenceNumber: the text of the spread-built object, int64 values above 2^53 exact', () => {
    fc.assert(
      fc.property(fields, int64, (f, seq) => {
        expect(withPair(stringify(f), 'sequenceNumber', seq)).toBe(stringify({ ...f, ...twin('sequenceNumber', seq) }));
      }),
      { numRuns: 500 },
    );
    expect(withPair('{}', 'sequenceNumber', '9223372036854775807')).toBe('{"sequenceNumber":9223372036854775807,"sequenceNumberString":"9223372036854775807"}');
  });

  it('consumer queue stats: the text of the spread-built object, for both kinds and any clientTransactionId', () => {
    const queue = { count: (q: number) => q + 2 } as unknown as TenantQueue;
    const sessions = [{ rec: { status: 'AVAILABLE', requested: true }, eligible: true, free: 2 }] as unknown as AgentSession[];
    fc.assert(
      fc.property(fc.constantFrom('stats' as const, 'queue' as const), fc.option(int64.map(String), { nil: undefined }), fc.option(fc.string(), { nil: undefined }), fc.double({ min: 0, max: 1e4, noNaN: true }), (kind, ctid, crt, avg) => {
        const op = { op: 'queueStats' as const, site: 's', kind, available: 'AGENTS' as const, echo: { t0: 1764201599000, clientTransactionId: ctid, clientRequestTime: crt } };
        const got = stringify(queueStatsBody(op, queue, sessions, [7, 8], avg));
        const envelope = { ...twin('clientId', 0), clientRequestTime: crt ?? null, ...(ctid !== undefined ? twin('clientTransactionId', ctid) : {}) };
        const finish = { serviceStartTime: oracleTime(op.echo.t0), serviceFinishTime: (JSON.parse(got) as { serviceFinishTime: string }).serviceFinishTime };
        const want = kind === 'stats'
          ? { ...envelope, availableAgentSessions: 1, totalAvailableAgents: 1, engagementsInQueue: 9, ...twin('queueId', 7), ...finish }
          : { ...envelope, availableAgentSessions: 2, chatRouteId: 7, ...twin('queueId', 7), engagementsInQueue: 9, expectedWaitTimeSeconds: Math.round(avg * 10), ...twin('averageWaitTimeSeconds', Math.round(avg)), ...finish };
        expect(got).toBe(stringify(want));
      }),
      { numRuns: 300 },
    );
  });

  it('every int64 pair of an engagement\'s messages to the customer and to agents says one number twice', () => {
    const T0 = 1764201600000;
    const seen: EngEvent[] = [];
    const e = new Engagement(9007199254740000, 3, () => seen.slice());
    e.live = true;
    const events: EngEvent[] = [
      { e: 'created', at: T0, site: 's', clientId: 3000001, secret: 's', senderKey: 'k', jti: 'j', jwtExp: 0, name: 'Ann', info: {} },
      { e: 'wait', at: T0, position: 3, expectedWaitTimeSeconds: 30, averageWaitTimeSeconds: 41 },
      { e: 'posted', at: T0, from: 3000001, role: 'END_USER', name: 'Ann', body: 'hi', messageId: 'c1', richText: false, offTheRecord: false, visibility: 'ALL' },
      { e: 'joined', at: T0, clientId: 5000001, name: 'Bob', greeting: 'Hello', role: 'LEAD', accountId: 77, agentSession: 'x' },
      { e: 'posted', at: T0, from: 5000001, role: 'AGENT', name: 'Bob', body: 'ok', messageId: 'a1', richText: true, offTheRecord: false, visibility: 'ALL' },
      { e: 'notice', at: T0, body: 'Message not sent.', toAgents: true },
      { e: 'activity', at: T0, from: 3000001, mode: 'RESPONDING' },
      { e: 'left', at: T0, clientId: 3000001, role: 'END_USER', reason: 'END_USER_DISCONNECTED' },
      { e: 'concluded', at: T0, reason: 'END_USER_DISCONNECTED', by: 3000001 },
    ];
    for (const ev of events) {
      seen.push(ev);
      e.apply(ev);
    }
    const objects: Record<string, unknown>[] = [
      ...e.outbox.map((m) => JSON.parse(m.json) as Record<string, unknown>),
      ...e.agentFx.flatMap((d) => ('entries' in d ? d.entries.map((x) => x.fields) : [])),
    ];
    expect(e.outbox.map((m) => (JSON.parse(m.json) as { messageName: string }).messageName)).toEqual([
      'RNEngagementWaitInformationChangedMessage', 'RNEngagementParticipantAddedMessage', 'RNEngagementMessagePostedMessage',
      'RNEngagementParticipantAddedMessage', 'RNEngagementMessagePostedMessage', 'RNEngagementActivityChangedMessage',
      'RNEngagementParticipantLeftMessage', 'RNEngagementConcludedMessage',
    ]);
    let pairs = 0;
    for (const o of objects) {
      for (const [k, v] of Object.entries(o)) {
        if (!k.endsWith('String') || !(k.slice(0, -6) in o)) continue;
        pairs++;
        expect([k, String(o[k.slice(0, -6)])]).toEqual([k, v]);
      }
      if ('engagementId' in o) expect(o.engagementIdString).toBe('9007199254740000');
    }
    expect(pairs).toBeGreaterThan(30);
  });
});

// A restart replays an engagement's journal into the same numbered stream its customer was sent.
// Since the queue-timeout conclusion introduces System first (queue-timeout-conclusion-names-
// introduced-system.test.ts), that introduction is written on the `concluded` event, not derived
// from who concluded: a journal written before it existed (an upgrade in place, the chat still in
// its grace period) replays as it was numbered. Before, the replay inserted the introduction ahead
// of a conclusion already delivered: the customer's next poll got the conclusion a second time,
// as seq 3, and seq 2 meant another message (found upgrading a live node from faa3c14).
import { afterAll, describe, expect, it } from 'vitest';
import { Engagement } from '../workers/actor/engagement.ts';
import type { EngEvent } from '../workers/actor/events.ts';
import { startTestServer, tenantConfigDir, type TestServer } from './helpers/server.ts';
import { newConsumer, openWs, until } from './helpers/client.ts';
import { waitMessage } from './helpers/agent-client.ts';

const T0 = 1764201600000;

/** The customer's stream (message names, in sequence order) an engagement folds from `events`. */
function streamOf(events: EngEvent[]): string[] {
  const seen: EngEvent[] = [];
  const e = new Engagement(4001, 1, () => seen.slice());
  for (const ev of events) {
    seen.push(ev);
    e.apply(ev);
  }
  return e.outbox.map((m) => {
    const o = JSON.parse(m.json) as { messageName: string; sequenceNumber: number };
    return `${o.sequenceNumber} ${o.messageName}`;
  });
}

const waited: EngEvent[] = [
  { e: 'created', at: T0, site: 'qt', clientId: 4001 * 4 + 1, secret: 's', senderKey: 'k', jti: 'j', jwtExp: 0, name: 'Ann', info: {} },
  { e: 'wait', at: T0, position: 1, expectedWaitTimeSeconds: 30, averageWaitTimeSeconds: 30 },
];
const system = 4001 * 4 + 2;

describe('a queue-timeout conclusion replayed', () => {
  it('from a journal written before the introduction: as numbered then (no System inserted)', () => {
    expect(streamOf([...waited, { e: 'concluded', at: T0 + 1, reason: 'QUEUE_TIMEOUT', by: system }])).toEqual([
      '1 RNEngagementWaitInformationChangedMessage',
      '2 RNEngagementConcludedMessage',
    ]);
  });

  it('from a journal written since: System introduced, then the conclusion', () => {
    expect(streamOf([...waited, { e: 'concluded', at: T0 + 1, reason: 'QUEUE_TIMEOUT', by: system, introduce: true }])).toEqual([
      '1 RNEngagementWaitInformationChangedMessage',
      '2 RNEngagementParticipantAddedMessage',
      '3 RNEngagementConcludedMessage',
    ]);
  });

  describe('across a restart of the server', () => {
    let s: TestServer | undefined;
    afterAll(async () => s?.stop());

    it('gives a socket resuming from 0 exactly what the customer polled before', async () => {
      const configDir = tenantConfigDir({ 'qt.yaml': 'site: qt\ncredentials: [{ user: qt, password: qt }]\nqueueTimeoutSec: 1\n' });
      s = await startTestServer({ configDir, longPollMs: 300, concludeGraceMs: 60_000 });
      const u = await newConsumer(s.url, 'qt', undefined, ['qt', 'qt']);
      expect(await waitMessage(u, (m) => m.messageName === 'RNEngagementConcludedMessage', 20)).toBeDefined();
      const before = u.seen.map((m) => `${String(m.sequenceNumber)} ${String(m.messageName)}`);
      const dataDir = s.dataDir;
      await s.stop();
      s = await startTestServer({ configDir, dataDir, longPollMs: 300, concludeGraceMs: 60_000 });
      const w = openWs(s.url, `/engagement/api/consumer/qt/v1/ws?sessionId=${encodeURIComponent(u.sessionId)}&after=0`);
      await w.opened;
      const got = (): string[] => w.frames.flat().map((m) => `${String(m.sequenceNumber)} ${String(m.messageName)}`);
      expect(await until(() => got().length >= before.length)).toBe(true);
      expect(got()).toEqual(before);
      expect(before.at(-1)).toMatch(/ RNEngagementConcludedMessage$/);
      w.ws.close();
    }, 60_000);
  });
});

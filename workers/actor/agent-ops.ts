// Agent operations on the engagement's own shard (E): posting, concluding, typing, properties —
// and the routing events the tenant's home shard (H) sends here (assign, wait, unassign).
// The agent was authenticated on the main thread; here we only check that it takes part in
// this engagement. Everything goes through ShardState's staged output (released after the barrier).
import type { Engagement } from './engagement.ts';
import { agentSenderKey, nfcOf, type Screen } from './screen.ts';
import type { ShardState } from './shard-state.ts';
import { postedEvent, withheldEvent } from './events.ts';
import { agentTypingPace } from './typing.ts';
import type { CrossEvent, EngagementAgentOp } from '../../src/protocol/shard.ts';
import { assertNever } from '../../src/protocol/shard.ts';
import { stringify, twin, withPair, type Int64 } from '../../src/protocol/json.ts';
import { vshardOfSite } from '../../src/router/ids.ts';

type EOp = EngagementAgentOp;
type ToE = Extract<CrossEvent, { t: 'assign' | 'wait' | 'unassign' | 'queueTimeout' }>;

/** Which properties each `type` may set (spec §7.11 / §7.12), and the sessionInformation key they map to. */
const PROPERTY_KEYS: Record<string, string> = {
  FIRST_NAME: 'firstName', LAST_NAME: 'lastName', EMAIL: 'emailAddress', QUESTION: 'question',
  PRODUCT_ID: 'productId', CATEGORY_ID: 'categoryId', CONTACT_ID: 'contactId', INCIDENT_ID: 'incidentId',
};
const SET_ALLOWED: Record<string, ReadonlySet<string>> = {
  ENGAGEMENT: new Set(['CONTACT_ID', 'INCIDENT_ID']),
  USER: new Set(['FIRST_NAME', 'LAST_NAME', 'QUESTION', 'PRODUCT_ID', 'CATEGORY_ID']),
};
const MODIFY_ALLOWED: Record<string, ReadonlySet<string>> = {
  ENGAGEMENT: new Set(['CONTACT_ID', 'INCIDENT_ID']),
  USER: new Set(['FIRST_NAME', 'LAST_NAME', 'EMAIL', 'QUESTION', 'PRODUCT_ID', 'CONTACT_ID', 'CATEGORY_ID']),
};

export class EngagementAgentOps {
  constructor(
    private readonly state: ShardState,
    private readonly screenFor: (site: string) => Screen,
    /** more than one shard: this agent's chats on the others count its strikes too */
    private readonly shareStrikes: boolean,
  ) {}

  private ok(id: number, body: Record<string, unknown>, seq: Int64 | undefined): void {
    const json = stringify(body);
    this.state.reply(id, 200, seq !== undefined ? withPair(json, 'sequenceNumber', seq) : json);
  }

  /** The engagement if this agent takes part in it; otherwise a coded failure (and undefined). */
  private held(id: number, op: EOp): Engagement | undefined {
    const eng = this.state.engagements.get(op.engagementId);
    if (!eng || eng.site !== op.who.site) {
      this.state.fail(id, 'ENGAGEMENT_ID_UNKNOWN');
      return undefined;
    }
    if (!eng.agents.has(op.who.clientId)) {
      this.state.fail(id, 'NOT_PARTICIPANT');
      return undefined;
    }
    return eng;
  }

  handle(id: number, op: EOp): void {
    const eng = this.held(id, op);
    if (!eng) return;
    switch (op.op) {
      case 'agentPostMessage':
        return this.post(id, eng, op);
      case 'concludeChat':
        if (!eng.concluded) {
          this.state.record(eng, { e: 'concluded', at: Date.now(), reason: 'AGENT_CONCLUDED', by: op.who.clientId });
          this.state.countEnd('agent');
          this.state.afterEvents(eng);
        }
        return this.ok(id, { chatConcludeEngagementResult: {} }, op.seq);
      case 'setInteractionStatus': {
        if (eng.concluded) return this.state.fail(id, 'ENGAGEMENT_CONCLUDED');
        // not for the customer, and agents get no typing signals: nothing to deliver, nothing to journal
        if (op.visibility === 'NOT_ENDUSER') return this.ok(id, { chatActivitySignalChangeResult: {} }, op.seq);
        // faster than the chat's interval: answered, not delivered nor journaled (typing.ts)
        const paced = agentTypingPace(eng, op, Date.now());
        if (paced === 'drop') return this.ok(id, { chatActivitySignalChangeResult: {} }, op.seq);
        const ev: Parameters<ShardState['record']>[1] = {
          e: 'activity', at: Date.now(), from: op.who.clientId, mode: op.mode, sneakPreviewFocus: op.sneakPreviewFocus,
          sneakPreviewState: op.sneakPreviewState, sneakPreviewInterval: op.sneakPreviewInterval,
        };
        // the agent's text shown to the customer as it is typed: screened as the agent's posts are
        // (text rules only, never a strike); withheld, the customer still sees the agent typing
        if (paced === 'deliver' && op.sneakPreview !== undefined && (op.sneakPreview === '' || this.screenFor(eng.site).previewShown({
          text: op.sneakPreview, role: 'AGENT', engagementId: eng.idString, participant: String(op.who.clientId),
        }))) ev.sneakPreview = op.sneakPreview;
        this.state.record(eng, ev);
        this.state.afterEvents(eng);
        return this.ok(id, { chatActivitySignalChangeResult: {} }, op.seq);
      }
      case 'setProperties':
        return this.setProperties(id, eng, op);
      default:
        assertNever(op);
    }
  }

  private post(id: number, eng: Engagement, op: Extract<EOp, { op: 'agentPostMessage' }>): void {
    const done = (): void => {
      // assigned, not spread: see postedEvent (events.ts)
      const chatPostResult: { messageId?: string } = {};
      if (op.messageId !== undefined) chatPostResult.messageId = op.messageId;
      this.ok(id, { chatPostResult }, op.seq);
    };
    // a retry of an answered post (stored or withheld): answered as it was, even once concluded (shard-state postMessage)
    if (op.messageId !== undefined && eng.messageIds.has(op.who.clientId, op.messageId)) return done();
    if (eng.concluded) return this.state.fail(id, 'ENGAGEMENT_CONCLUDED');
    if (op.body.length === 0) return this.state.fail(id, 'EMPTY_MESSAGE');
    if (this.state.admission.storeFull()) return this.state.fail(id, 'STORE_FULL');
    const now = Date.now();
    const screen = this.screenFor(eng.site);
    // stored and delivered in NFC (tier1.md §3): the screen's NFC form when it analysed the text
    const posted = (body: string): void =>
      this.state.record(eng, postedEvent({
        e: 'posted', at: now, from: op.who.clientId, role: 'AGENT', name: op.who.name, body,
        richText: op.richText, offTheRecord: op.offTheRecord, visibility: op.visibility,
      }, op.messageId));
    if (!screen.screenAgents) {
      posted(nfcOf(op.body));
      this.state.afterEvents(eng);
      return done();
    }
    // Tier-1 for agents (tier1.md §8): same rules, the agent's own sender key; a terminate ends
    // this agent's participation only — the customer's chat stays open (lead gone → requeue is H's call)
    const senderKey = agentSenderKey(op.who.accountId);
    const verdict = screen.screen({ text: op.body, role: 'AGENT', senderKey, engagementId: eng.idString, participant: String(op.who.clientId), nowMs: now });
    if (verdict.reject) return this.state.fail(id, verdict.reject);
    if (verdict.strike) {
      this.state.record(eng, { e: 'strike', at: now, senderKey });
      // released with the batch, once committed; the main thread passes it to the other shards
      if (this.shareStrikes) this.state.staged.push({ k: 'agentStrikes', strikes: [{ site: eng.site, senderKey, at: now, until: now + screen.strikeMemoryMs }] });
    }
    switch (verdict.outcome) {
      case 'allow':
      case 'flag':
        posted(verdict.text ?? nfcOf(op.body));
        break;
      case 'soft':
      case 'block': {
        // soft: a notice to this agent only; block: to everyone, as for the customer's
        if (verdict.outcome === 'soft') this.toOneAgent(eng, op.who.clientId, verdict.notice ?? 'Your message was not sent.', now);
        else this.state.record(eng, { e: 'notice', at: now, body: verdict.notice ?? 'Message not sent: it looks like spam.', toAgents: true });
        const withheld = withheldEvent(now, op.who.clientId, op.messageId, verdict);
        if (withheld) this.state.record(eng, withheld);
        break;
      }
      case 'terminate': {
        this.toOneAgent(eng, op.who.clientId, verdict.notice ?? 'Your participation in this conversation has been ended.', now);
        // the `left` event's numbered delivery tells this agent too (EJECTED)
        this.state.record(eng, { e: 'left', at: now, clientId: op.who.clientId, role: eng.agents.get(op.who.clientId)?.role ?? 'LEAD', reason: 'EJECTED' });
        this.state.staged.push({ k: 'fwd', vshard: vshardOfSite(eng.site), ev: { t: 'agentLeft', site: eng.site, engagementId: eng.id, accountId: op.who.accountId } });
        this.state.afterEvents(eng);
        return this.state.fail(id, 'ENGAGEMENT_TERMINATED');
      }
      default:
        assertNever(verdict.outcome);
    }
    this.state.afterEvents(eng);
    done();
  }

  /** A system notice for one agent only (never stored in the customer's stream). */
  private toOneAgent(eng: Engagement, clientId: number, body: string, at: number): void {
    eng.agentFx.push({
      type: 'ChatPostMessage',
      fields: { ...twin('engagementId', eng.id), ...twin('senderId', eng.systemClientId), senderType: 'SYSTEM', senderName: eng.systemName, body, richText: false, offTheRecord: false, visibility: 'NOT_ENDUSER' },
      at,
      onlyClientId: clientId,
    });
  }

  private setProperties(id: number, eng: Engagement, op: Extract<EOp, { op: 'setProperties' }>): void {
    const allowed = (op.many ? MODIFY_ALLOWED : SET_ALLOWED)[op.type] ?? (op.many ? MODIFY_ALLOWED.USER : SET_ALLOWED.USER);
    const results: Record<string, boolean> = {};
    const props: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(op.props)) {
      const key = PROPERTY_KEYS[name];
      const ok = key !== undefined && allowed !== undefined && allowed.has(name);
      results[name] = ok;
      if (ok) props[key] = value;
    }
    if (!op.many && Object.values(results).some((v) => !v)) return this.state.fail(id, 'INVALID_FIELD', `name: not settable with type ${op.type}`);
    if (op.customFields.length > 0 && op.type === 'USER') props.customFields = op.customFields;
    if (Object.keys(props).length > 0) this.state.record(eng, { e: 'props', at: Date.now(), props });
    if (op.many) return this.ok(id, { propertiesResultMap: results }, op.seq);
    this.ok(id, { chatSetEngagementPropertyResult: {} }, op.seq);
  }

  // ── routing events from the tenant's home shard ────────────────────────────────────────────
  onCross(ev: ToE): void {
    const eng = this.state.engagements.get(ev.engagementId);
    if (!eng || eng.concluded) return;
    const now = Date.now();
    switch (ev.t) {
      case 'assign': {
        if (eng.agents.has(ev.clientId)) return; // a re-announce after recovery: already joined
        // the joined event numbers this agent's participant entry and the conversation so far (engagement.ts)
        this.state.record(eng, { e: 'joined', at: now, clientId: ev.clientId, name: ev.name, greeting: ev.greeting, role: 'LEAD', accountId: ev.accountId, agentSession: ev.token });
        break;
      }
      case 'wait':
        if (eng.lead) return;
        this.state.record(eng, { e: 'wait', at: now, position: ev.position, expectedWaitTimeSeconds: ev.expectedWaitTimeSeconds, averageWaitTimeSeconds: ev.averageWaitTimeSeconds });
        break;
      case 'unassign': {
        const a = eng.agents.get(ev.clientId);
        if (!a) return;
        this.state.record(eng, { e: 'left', at: now, clientId: ev.clientId, role: a.role, reason: ev.reason, requeued: ev.requeued });
        break;
      }
      case 'queueTimeout':
        if (eng.lead) return; // an agent took it after all
        this.state.record(eng, { e: 'concluded', at: now, reason: 'QUEUE_TIMEOUT', by: eng.systemClientId, introduce: true });
        this.state.countEnd('queue_timeout');
        break;
      default:
        assertNever(ev);
    }
    this.state.afterEvents(eng);
  }
}

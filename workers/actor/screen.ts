// The seam between the engagement actors and the Tier-1 screen: the shard calls exactly one
// screening function per posted message (and per typing preview shown), synchronously, on its own thread.
import type { PreviewInput, ScreenInput, ScreenResult, ScreenSlot } from '../tier1/index.ts';

export type { PreviewInput, ScreenInput, ScreenResult, ScreenSlot };

export interface Screen {
  screen(input: ScreenInput): ScreenResult;
  /** whether a typing preview's text may be shown (the text rules only; never a strike) */
  previewShown(input: PreviewInput): boolean;
  restoreStrike(senderKey: string, engagementId: string, atMs: number): void;
  forgetEngagement(engagementId: string): void;
  readonly screenAgents: boolean;
  /** how long a strike counts for either strike limit */
  readonly strikeMemoryMs: number;
  readonly systemParticipantName: string;
  readonly terminationNotice: string;
}

const NON_ASCII = /[^\x00-\x7f]/;

const AGENT = 'agent:';

/**
 * An agent account's Tier-1 sender key. Its chats are on every shard, so its strikes are shared
 * between shards (src/shards/agent-strikes.ts); a customer's keys have other prefixes
 * (src/http/issuer.ts senderKeyOf) and its engagements are all on one shard.
 */
export const agentSenderKey = (accountId: number): string => `${AGENT}${accountId}`;
export const isAgentSender = (senderKey: string): boolean => senderKey.startsWith(AGENT);

/**
 * The NFC form of a post the screen did not analyse (agent posts with screenAgents off, no tenant
 * config yet): stored text is NFC (tier1.md §3). ASCII text is NFC as it is, and is not copied.
 */
export function nfcOf(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFC') : text;
}

/** Until a tenant's config arrives: accept every well-formed message (never used once tenants load). */
export const ALLOW_ALL: Screen = {
  screen: () => ({ outcome: 'allow', strike: false }),
  previewShown: () => true,
  restoreStrike: () => {},
  forgetEngagement: () => {},
  screenAgents: false,
  strikeMemoryMs: 0,
  systemParticipantName: 'System',
  terminationNotice: 'This conversation has been ended.',
};

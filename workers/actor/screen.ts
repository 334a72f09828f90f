// The seam between the engagement actors and the Tier-1 screen: the shard calls exactly one
// screening function per posted message, synchronously, on its own thread.
import type { ScreenInput, ScreenResult, ScreenSlot } from '../tier1/index.ts';

export type { ScreenInput, ScreenResult, ScreenSlot };

export interface Screen {
  screen(input: ScreenInput): ScreenResult;
  restoreStrike(senderKey: string, engagementId: string, atMs: number): void;
  forgetEngagement(engagementId: string): void;
  readonly screenAgents: boolean;
  readonly systemParticipantName: string;
  readonly terminationNotice: string;
}

const NON_ASCII = /[^\x00-\x7f]/;

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
  restoreStrike: () => {},
  forgetEngagement: () => {},
  screenAgents: false,
  systemParticipantName: 'System',
  terminationNotice: 'This conversation has been ended.',
};

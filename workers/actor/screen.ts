// The seam between the engagement actors and the Tier-1 screen: the shard calls exactly one
// screening function per posted message, synchronously, on its own thread.
export type Outcome = 'allow' | 'flag' | 'soft' | 'block' | 'terminate';

export interface ScreenInput {
  text: string;
  role: 'END_USER' | 'AGENT';
  senderKey: string;
  engagementId: string;
  participant: string;
  nowMs: number;
}

export interface ScreenResult {
  outcome: Outcome;
  reject?: 'EMPTY_MESSAGE';
  notice?: string;
  strike: boolean;
}

export interface Screen {
  screen(input: ScreenInput): ScreenResult;
  restoreStrike(senderKey: string, engagementId: string, atMs: number): void;
  forgetEngagement(engagementId: string): void;
  readonly screenAgents: boolean;
  readonly systemParticipantName: string;
}

/** Until a tenant's config arrives: accept every well-formed message (never used once tenants load). */
export const ALLOW_ALL: Screen = {
  screen: () => ({ outcome: 'allow', strike: false }),
  restoreStrike: () => {},
  forgetEngagement: () => {},
  screenAgents: false,
  systemParticipantName: 'System',
};

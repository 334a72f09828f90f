// The user-visible notices. Four templates, tenant-configurable, and by construction they
// never contain a rule name or reason: the only variable is the retry delay.
import type { ResolvedTier1Config } from '../../src/config/tier1.ts';

export type NoticeKind = 'slowDown' | 'duplicate' | 'blocked' | 'terminated';

/** What renderNotice fills in, per kind; config validation refuses any other `{name}`. */
export const NOTICE_PLACEHOLDERS: Readonly<Record<NoticeKind, readonly string[]>> = {
  slowDown: ['{retryAfterSeconds}'], duplicate: [], blocked: [], terminated: [],
};

export function renderNotice(cfg: ResolvedTier1Config, kind: NoticeKind, retryAfterS = 0): string {
  const t = cfg.notices[kind];
  return kind === 'slowDown' ? t.replaceAll('{retryAfterSeconds}', String(Math.max(1, retryAfterS))) : t;
}

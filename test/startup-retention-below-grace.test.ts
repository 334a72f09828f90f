// PARLEY_RETENTION_MS shorter than PARLEY_CONCLUDE_GRACE_MS stops start-up with one line naming
// both: the store deletes a concluded engagement after the retention, so a shorter one cut the grace
// period (before: with grace 15 s and retention 1 s, the session's poll got 403 and the transcript
// 404 four seconds after the conclusion).
import { describe, expect, it } from 'vitest';
import { runToExit } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import { ConfigError, resolveServerConfig } from '../src/config/server.ts';

describe('a retention shorter than the conclude grace period', () => {
  it('stops start-up with one line naming both variables and their values', async () => {
    const r = await runToExit({ PARLEY_DATA_DIR: tempDir('retgrace'), PARLEY_CONFIG_DIR: tempDir('retgrace-cfg'), PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_SHARDS: '1', PARLEY_RETENTION_MS: '1000', PARLEY_CONCLUDE_GRACE_MS: '15000' });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).not.toContain('Parley listening');
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).toContain('PARLEY_RETENTION_MS: expected at least PARLEY_CONCLUDE_GRACE_MS (15000)');
    expect(r.out).toContain('got 1000');
  });

  it('against the default grace (60 s) too; equal or longer is accepted', () => {
    expect(() => resolveServerConfig({ retentionMs: 30_000 })).toThrow(ConfigError);
    expect(() => resolveServerConfig({ retentionMs: 30_000 })).toThrow(/PARLEY_CONCLUDE_GRACE_MS \(60000\)/);
    expect(resolveServerConfig({ retentionMs: 15_000, concludeGraceMs: 15_000 }).retentionMs).toBe(15_000);
    expect(resolveServerConfig({ retentionMs: 1000, concludeGraceMs: 0 }).retentionMs).toBe(1000);
  });
});

// Config errors say the rule that was broken: a number over the largest Tier-1 threshold names that
// upper bound (before: `expected integer ≥ 1` for 99999999999999999999), SLOWMODE.seconds has one
// wording for every value it refuses (before: 1 and 121 read differently), and a PARLEY_HOST that
// cannot be listened on is blamed, not the port (before: "the port is taken … or not permitted" for
// not.a.host and 999.1.1.1).
import { describe, expect, it } from 'vitest';
import { resolveTier1 } from '../src/config/tier1.ts';
import { runToExit } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';

const errs = (tier1: unknown): string[] => {
  const r = resolveTier1(tier1);
  return r.ok ? [] : r.errors.map((e) => e.message);
};

describe('config error wording', () => {
  it('a threshold over the largest integer names the upper bound', () => {
    expect(errs({ rules: { LEN_MAX: { extremeAt: 99999999999999999999 } } })).toEqual(['tier1.rules.LEN_MAX.extremeAt: expected integer ≥ 1 and ≤ 9007199254740991 (2^53 − 1)']);
    // over HTTP an integer that long arrives as its digits (src/protocol/json.ts)
    expect(errs({ rules: { LEN_MAX: { extremeAt: '99999999999999999999' } } })).toEqual(['tier1.rules.LEN_MAX.extremeAt: expected integer ≥ 1 and ≤ 9007199254740991 (2^53 − 1)']);
    // below the minimum, the usual wording
    expect(errs({ rules: { LEN_MAX: { block: 0 } } })).toEqual(['tier1.rules.LEN_MAX.block: expected integer ≥ 1']);
  });

  it('SLOWMODE.seconds: one wording for every refused value', () => {
    const expected = 'tier1.rules.SLOWMODE.seconds: expected 0 (off) or an integer between 3 and 120';
    for (const seconds of [1, 2, 121, -1, 2.5, 'ten']) expect(errs({ rules: { SLOWMODE: { seconds } } }), String(seconds)).toEqual([expected]);
    for (const seconds of [0, 3, 120]) expect(errs({ rules: { SLOWMODE: { seconds } } })).toEqual([]);
  });

  it.each(['not.a.host.invalid', '999.1.1.1'])('PARLEY_HOST=%s: start-up says the host could not be resolved, not that the port is taken', async (host) => {
    const r = await runToExit({ PARLEY_DATA_DIR: tempDir('hostname'), PARLEY_CONFIG_DIR: tempDir('hostname-cfg'), PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_SHARDS: '1', PARLEY_HOST: host });
    expect(r.code, r.out).not.toBe(0);
    const line = r.out.split('\n').find((l) => l.startsWith('parley: ')) ?? '';
    expect(line).toContain(`parley: cannot listen on ${host}:0: PARLEY_HOST ${JSON.stringify(host)} is not an IP address and does not resolve to one`);
    expect(line).not.toContain('port is taken');
  });

  it('PARLEY_HOST of an address this machine does not have: start-up says so', async () => {
    // TEST-NET-3 (RFC 5737): never a local address
    const r = await runToExit({ PARLEY_DATA_DIR: tempDir('hostaddr'), PARLEY_CONFIG_DIR: tempDir('hostaddr-cfg'), PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_SHARDS: '1', PARLEY_HOST: '203.0.113.7' });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain('parley: cannot listen on 203.0.113.7:0: PARLEY_HOST "203.0.113.7" is not an address of this machine');
  });
});

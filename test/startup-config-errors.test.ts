// A bad environment variable stops start-up with one line naming the variable, the value given and
// the expected shape (README, Configuration → Environment) — not an internal option name, not a
// library's stack trace, and never a start on a value the variable's text does not say.
import { describe, expect, it } from 'vitest';
import { runToExit } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';

async function refusal(name: string, value: string): Promise<string> {
  const r = await runToExit({ PARLEY_DATA_DIR: tempDir('cfgerr'), PARLEY_CONFIG_DIR: tempDir('cfgerr-config'), PARLEY_ADMIN_TOKEN: 'test-admin', PARLEY_SHARDS: '1', [name]: value });
  expect(r.code, r.out).not.toBe(0);
  expect(r.out).not.toContain('Parley listening');
  return r.out;
}

const cases: [name: string, value: string, shape: string][] = [
  ['PARLEY_LOG_LEVEL', 'verbose', 'fatal | error | warn | info | debug | trace | silent'],
  ['PARLEY_LOG_LEVEL', 'INFO', 'fatal | error | warn | info | debug | trace | silent'],
  ['PARLEY_SHARD_CODEC', 'json', 'clone | msgpackr'],
  ['PARLEY_JOURNAL_SYNC', 'fsync', 'commit | flush'],
  ['PARLEY_PORT', '-1', 'an integer in [0, 65535]'],
  // Number() took these as 16 and 100
  ['PARLEY_SHARDS', '0x10', 'an integer in [1, 256] (decimal digits)'],
  ['PARLEY_LONG_POLL_MS', '1e2', 'an integer in [1, 120000] (decimal digits)'],
  ['PARLEY_CONSUMER_IDLE_MS', '500', '0 (off) or an integer in [1000, 604800000]'],
  // a bare host name: its scheme, and so its default port, would be a guess
  ['PARLEY_PUBLIC_URL', 'chat.acme.com', 'an http:// or https:// URL with a host, an optional port and no path, query or user (e.g. https://chat.acme.com)'],
];

describe('start-up with a bad environment variable', () => {
  it.each(cases)('%s=%s: one line naming the variable, the value and the expected shape', async (name, value, expected) => {
    const out = await refusal(name, value);
    expect(out).toContain(`${name}: expected ${expected}`);
    expect(out).toContain(`got ${JSON.stringify(value)}`);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).not.toMatch(/^\s+at /m); // no stack trace
  });

  it('names every bad variable on that one line', async () => {
    const r = await runToExit({ PARLEY_DATA_DIR: tempDir('cfgerr'), PARLEY_SHARD_CODEC: 'json', PARLEY_JOURNAL_SYNC: 'fsync', PARLEY_SHARDS: 'two' });
    expect(r.code).not.toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    for (const name of ['PARLEY_SHARD_CODEC', 'PARLEY_JOURNAL_SYNC', 'PARLEY_SHARDS']) expect(r.out).toContain(`${name}: expected`);
  });
});

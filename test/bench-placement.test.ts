// `npm run bench -- --client-cores N`: servers on some CPUs, the load client on the others. The
// split is computed from the CPUs this process may use, and a server really starts on its CPUs
// (read back from the kernel) — here with the bare uWS baseline, a real process under taskset.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allowedCpus, describePlacement, hasTaskset, onCpus, parseCpuList, splitCpus } from '../bench/system/affinity.ts';
import { startBaseline } from '../bench/system/servers.ts';
import { stopServer } from '../bench/system/proc.ts';

describe('bench placement (--client-cores)', () => {
  it('reads kernel CPU lists and this process\'s allowed CPUs', () => {
    expect(parseCpuList('0-3,6,8-9')).toEqual([0, 1, 2, 3, 6, 8, 9]);
    expect(() => parseCpuList('0-3;6')).toThrow(/not a CPU list/);
    expect(allowedCpus('Name:\tnode\nCpus_allowed_list:\t2-3,5\n')).toEqual([2, 3, 5]);
    const mine = allowedCpus();
    expect(mine?.length).toBeGreaterThan(0);
  });

  it('gives the load client the last N CPUs and the servers the rest; refuses a split that leaves a side empty', () => {
    expect(splitCpus([0, 1, 2, 3], 1)).toEqual({ server: [0, 1, 2], client: [3] });
    expect(splitCpus([4, 5, 6, 7, 8, 9], 2)).toEqual({ server: [4, 5, 6, 7], client: [8, 9] });
    expect(() => splitCpus([0, 1], 2)).toThrow(/expected 1…1/);
    expect(() => splitCpus([0, 1], 0)).toThrow(/--client-cores/);
    expect(onCpus(null, 'node', ['x.js'])).toEqual({ cmd: 'node', args: ['x.js'] });
    expect(onCpus([0, 2], 'node', ['x.js'])).toEqual({ cmd: 'taskset', args: ['-c', '0,2', 'node', 'x.js'] });
    expect(describePlacement({ server: [0], client: [1] }, 1)).toBe('servers on CPUs 0, load client, WS receivers and setup clients on CPUs 1 (`--client-cores 1`)');
  });

  it('starts a server on its CPUs only', async () => {
    const cpus = allowedCpus();
    expect(cpus).not.toBeNull();
    expect(hasTaskset()).toBe(true);
    // on a one-CPU machine there is nothing to split: the bench refuses the flag
    if (cpus!.length < 2) return void expect(() => splitCpus(cpus!, 1)).toThrow(/--client-cores/);
    const { server } = splitCpus(cpus!, 1);
    const srv = await startBaseline('node-http', server);
    try {
      const status = fs.readFileSync(`/proc/${srv.pid}/status`, 'utf8');
      expect(allowedCpus(status)).toEqual(server);
      expect((await fetch(srv.base + '/x', { method: 'POST', body: '{"body":"hi"}' })).status).toBe(200);
    } finally {
      await stopServer(srv);
    }
  });
});

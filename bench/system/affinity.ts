// `--client-cores N`: the load client (wrk or the Node client), the WS receivers and the setup
// workers run on the last N CPUs this process may use, the servers on the others. On a machine with
// spare cores that measures the servers instead of their contention with the load client (on the
// 2-core dev VM both share two cores, which is what the default reports). Linux only: placement
// is done with util-linux `taskset`; children inherit the bench process's own CPU set.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

/** CPU ids of a kernel CPU list ("0-3,6,8-9"). */
export function parseCpuList(list: string): number[] {
  const out: number[] = [];
  for (const part of list.trim().split(',')) {
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`not a CPU list: ${JSON.stringify(list)}`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let c = a; c <= b; c++) out.push(c);
  }
  return out;
}

/** The CPUs this process may run on (from /proc/self/status), or null where that is not readable. */
export function allowedCpus(statusText?: string): number[] | null {
  let text = statusText;
  if (text === undefined) {
    try {
      text = fs.readFileSync('/proc/self/status', 'utf8');
    } catch {
      return null;
    }
  }
  const m = /^Cpus_allowed_list:\s*(\S+)\s*$/m.exec(text);
  return m ? parseCpuList(m[1]!) : null;
}

export interface Placement {
  server: number[];
  client: number[];
}

/** The last `clientCores` of `cpus` for the load client, the rest for the servers. */
export function splitCpus(cpus: readonly number[], clientCores: number): Placement {
  if (!Number.isInteger(clientCores) || clientCores < 1 || clientCores >= cpus.length) {
    throw new Error(`--client-cores: expected 1…${cpus.length - 1} (this process may use ${cpus.length} CPUs), got ${clientCores}`);
  }
  return { server: cpus.slice(0, cpus.length - clientCores), client: cpus.slice(cpus.length - clientCores) };
}

export const cpuList = (cpus: readonly number[]): string => cpus.join(',');

export function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Moves every thread of this process onto `cpus`; processes it starts later inherit them. */
export function pinSelf(cpus: readonly number[]): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpuList(cpus), String(process.pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`taskset could not pin the bench to CPUs ${cpuList(cpus)}: ${r.stderr || r.error?.message}`);
}

/** The command line that runs `cmd args` on `cpus` (unchanged when cpus is null). */
export function onCpus(cpus: readonly number[] | null, cmd: string, args: string[]): { cmd: string; args: string[] } {
  return cpus === null ? { cmd, args } : { cmd: 'taskset', args: ['-c', cpuList(cpus), cmd, ...args] };
}

export function describePlacement(p: Placement, clientCores: number): string {
  return `servers on CPUs ${cpuList(p.server)}, load client, WS receivers and setup clients on CPUs ${cpuList(p.client)} (\`--client-cores ${clientCores}\`)`;
}

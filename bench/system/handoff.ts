// What one thread hand-off costs on this machine: Parley answers every batch of posts through two
// of them (HTTP thread → shard → HTTP thread), a bare uWS server through none, so this figure is
// part of what the Parley ÷ uWS ratio means on a given host. On a virtual machine whose idle vCPUs
// halt (guest halt-polling off), waking a sleeping thread is a VM exit: measured on the 2-core dev
// VM, a MessagePort ping-pong between two sleeping threads took 54–64 µs a round trip with
// guest_halt_poll_ns = 0 and 16–17 µs with the Linux default of 200 000.
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface HandOff {
  /** median round trip of one small message, both threads asleep while they wait, µs */
  rttUs: number;
  /** CPU of both threads per round trip (user + kernel), µs */
  cpuUsPerRoundTrip: number;
  /** /sys/module/haltpoll/parameters/guest_halt_poll_ns; null where the haltpoll driver is absent */
  guestHaltPollNs: number | null;
}

// The echo side: answers every message with the same message, nothing else.
const ECHO = `const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));`;

/**
 * Ping-pongs `roundTrips` messages one at a time (never two in flight, so each side sleeps before
 * every message, as a shard does between batches at moderate load) after `warmup` unmeasured ones.
 */
export async function measureHandOff(roundTrips = 2000, warmup = 200): Promise<HandOff> {
  const w = new Worker(ECHO, { eval: true });
  try {
    await new Promise<void>((resolve, reject) => {
      w.once('online', () => resolve());
      w.once('error', reject);
    });
    const rtts = new Float64Array(roundTrips);
    let cpu0 = process.cpuUsage();
    for (let i = -warmup; i < roundTrips; i++) {
      if (i === 0) cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await new Promise<void>((resolve) => {
        w.once('message', () => resolve());
        w.postMessage(i);
      });
      if (i >= 0) rtts[i] = Number(process.hrtime.bigint() - t0) / 1e3;
    }
    const cpu = process.cpuUsage(cpu0);
    rtts.sort();
    return {
      rttUs: Math.round((rtts[Math.floor(roundTrips / 2)] ?? 0) * 10) / 10,
      cpuUsPerRoundTrip: Math.round(((cpu.user + cpu.system) / roundTrips) * 10) / 10,
      guestHaltPollNs: readHaltPoll(),
    };
  } finally {
    await w.terminate();
  }
}

export function readHaltPoll(file = '/sys/module/haltpoll/parameters/guest_halt_poll_ns'): number | null {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/** One sentence for the report's machine line. */
export function describeHandOff(h: HandOff): string {
  const poll = h.guestHaltPollNs === null ? '' : h.guestHaltPollNs === 0
    ? '; guest halt-polling is off here (`guest_halt_poll_ns` = 0), so waking an idle vCPU is a VM exit'
    : `; guest halt-polling \`guest_halt_poll_ns\` = ${h.guestHaltPollNs}`;
  return `Thread hand-off (one message between two sleeping threads and back, median of a ping-pong): ` +
    `${h.rttUs.toFixed(1)} µs round trip, ${h.cpuUsPerRoundTrip.toFixed(1)} µs CPU${poll}. Parley pays two hand-offs per batch of posts, the baselines none.`;
}

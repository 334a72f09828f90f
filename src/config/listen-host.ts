// uWebSockets.js says only that a listen failed, not why: start-up's error would otherwise blame the
// port for a PARLEY_HOST that does not resolve (`not.a.host`, `999.1.1.1`) or is not this machine's.
import dns from 'node:dns';
import net from 'node:net';
import os from 'node:os';

/** Addresses a socket can be bound to here: the interfaces', the wildcards, all of 127.0.0.0/8. */
function bindable(address: string): boolean {
  const a = address.replace(/^::ffff:/i, '').replace(/%.*$/, '');
  if (a === '0.0.0.0' || a === '::' || a.startsWith('127.')) return true;
  return Object.values(os.networkInterfaces()).some((list) => (list ?? []).some((i) => i.address.replace(/%.*$/, '') === a));
}

/** Why listening on `host` failed, as far as can be told: the host, else the port. */
export async function listenFailureCause(host: string): Promise<string> {
  let addresses: string[];
  if (net.isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
    } catch {
      return `PARLEY_HOST ${JSON.stringify(host)} is not an IP address and does not resolve to one`;
    }
  }
  if (!addresses.some(bindable)) return `PARLEY_HOST ${JSON.stringify(host)} is not an address of this machine (${addresses.join(', ')})`;
  return 'the port is taken (another process, or another Parley) or not permitted';
}

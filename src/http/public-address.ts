// Where a request's client reaches the chat server, for the issuer to hand out (public-url.ts):
//   PARLEY_PUBLIC_URL, when set — the operator knows best, and no header can change it;
//   else, with PARLEY_TRUST_PROXY, X-Forwarded-Host / -Proto / -Port, each its last entry (the one
//     the trusted proxy appended; entries left of it come from the client, as for X-Forwarded-For);
//   else the Host header, its port included.
// A missing port is the scheme's default: a client that reached Parley directly without a port in
// Host came to port 80 (Parley serves plain HTTP), and one behind a proxy that says https, to 443.
import type { HttpRequest } from 'uWebSockets.js';
import { defaultPort, type PublicAddress } from '../config/public-url.ts';

/** The headers that say it, read while the request is valid (before any await). */
export interface AddressHeaders {
  host: string;
  forwardedHost: string;
  forwardedProto: string;
  forwardedPort: string;
}

export function addressHeaders(req: HttpRequest): AddressHeaders {
  return {
    host: req.getHeader('host'),
    forwardedHost: req.getHeader('x-forwarded-host'),
    forwardedProto: req.getHeader('x-forwarded-proto'),
    forwardedPort: req.getHeader('x-forwarded-port'),
  };
}

export interface AddressConfig {
  readonly publicUrl: PublicAddress | undefined;
  readonly trustProxy: boolean;
  /** the listen address and port: the answer when the request names no host at all */
  readonly host: string;
}

/** The last entry of a comma-separated forwarding header: the one the trusted proxy appended. */
export const lastEntry = (v: string): string => v.slice(v.lastIndexOf(',') + 1).trim();

// a DNS name (letters, digits, '-', '_', '.') or a bracketed IPv6 address, then an optional port
const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})?))(?::(\d{1,5}))?$/;

function portOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** `host[:port]` → its parts; undefined for anything else (passed over, never echoed). */
export function hostAndPort(text: string): { domain: string; port: number | undefined } | undefined {
  const m = HOST_PORT.exec(text.trim());
  if (!m) return undefined;
  const port = m[3] === undefined ? undefined : portOf(m[3]);
  if (m[3] !== undefined && port === undefined) return undefined;
  return { domain: (m[1] ?? m[2]) as string, port };
}

function schemeOf(text: string): 'http' | 'https' | undefined {
  const s = text.toLowerCase();
  return s === 'https' || s === 'http' ? s : undefined;
}

export function publicAddress(cfg: AddressConfig, listenPort: number, h: AddressHeaders): PublicAddress {
  if (cfg.publicUrl) return cfg.publicUrl;
  const fromHost = hostAndPort(h.host);
  if (cfg.trustProxy) {
    const scheme = schemeOf(lastEntry(h.forwardedProto)) ?? 'http';
    const where = hostAndPort(lastEntry(h.forwardedHost)) ?? fromHost;
    if (where) return { scheme, domain: where.domain, port: portOf(lastEntry(h.forwardedPort)) ?? where.port ?? defaultPort(scheme) };
  }
  if (fromHost) return { scheme: 'http', domain: fromHost.domain, port: fromHost.port ?? 80 };
  return { scheme: 'http', domain: cfg.host, port: listenPort };
}

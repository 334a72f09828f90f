// The chat server's address as its clients reach it. The issuer hands it out (establishSessions'
// sessionServerResponse, serviceSettings: spec §2.1, §2.2) and clients then call
// `https://{domain}[:{port}]/engagement/api/…` — so behind a reverse proxy it is the proxy's public
// address, not the one Parley listens on. PARLEY_PUBLIC_URL states it; without it, the request's
// headers say it (src/http/public-address.ts).

export interface PublicAddress {
  readonly scheme: 'http' | 'https';
  /** a host name or IP address, IPv6 without brackets (as sessionServerResponse carries it) */
  readonly domain: string;
  readonly port: number;
}

export const PUBLIC_URL_SHAPE = 'an http:// or https:// URL with a host, an optional port and no path, query or user (e.g. https://chat.acme.com)';

export const defaultPort = (scheme: 'http' | 'https'): number => (scheme === 'https' ? 443 : 80);

/** PARLEY_PUBLIC_URL's text → the address, or undefined when it is not of PUBLIC_URL_SHAPE. */
export function parsePublicUrl(text: string): PublicAddress | undefined {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  // the API's paths are fixed (/engagement/api/…, /services/rest/…): a path prefix cannot be told to clients
  if (u.username || u.password || u.search || u.hash || text.includes('?') || text.includes('#') || (u.pathname !== '/' && u.pathname !== '')) return undefined;
  const domain = u.hostname.replace(/^\[|\]$/g, '');
  if (!domain) return undefined;
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  const port = u.port === '' ? defaultPort(scheme) : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return Object.freeze({ scheme, domain, port });
}

/** scheme://host[:port] for links: IPv6 in brackets, the scheme's default port left out. */
export function originOf(a: PublicAddress): string {
  const host = a.domain.includes(':') ? `[${a.domain}]` : a.domain;
  return `${a.scheme}://${host}${a.port === defaultPort(a.scheme) ? '' : `:${a.port}`}`;
}

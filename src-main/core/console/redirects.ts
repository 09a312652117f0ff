import { parseHttpUrl } from '../providers';
import type { WireResponse } from '../net';
import { headerValue } from './prepare';
import type { HeaderList } from './types';

/**
 * Following one redirect of a console request: where it leads, and what the next hop keeps.
 */

/** One hop of a request as it goes on the wire, minus the token itself. */
export interface Hop {
  method: string;
  url: URL;
  headers: HeaderList;
  body?: string;
  /** Whether the profile's token header goes on this hop. */
  tokenSent: boolean;
}

/**
 * Header names that look like a credential: `*key*`, `*token*`, `*secret*`, `*auth*` (which
 * covers Authorization and Proxy-Authorization) and cookies.
 */
const CREDENTIAL_NAME = /key|token|secret|auth|cookie/i;

/** True for a header a cross-origin redirect drops unless the user trusts the location. */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

/**
 * Where a 3xx leads, or undefined when it is not followed.
 *
 * 301/302 are followed for GET and HEAD, 303 as GET (HEAD stays HEAD), 307/308 with the method
 * kept (RFC 9110 §15.4). A Location that is not http(s), or that carries a user name or password,
 * is not followed.
 */
export function redirectTarget(
  response: WireResponse,
  method: string,
  current: URL,
): { url: URL; method: string } | undefined {
  const { status } = response;
  if (![301, 302, 303, 307, 308].includes(status)) return undefined;
  const location = headerValue(response.headers, 'location');
  const url = location === undefined ? undefined : parseHttpUrl(location, current);
  if (!url || url.username !== '' || url.password !== '') return undefined;
  if (status === 303) return { url, method: method === 'HEAD' ? 'HEAD' : 'GET' };
  if (status === 307 || status === 308) return { url, method };
  return method === 'GET' || method === 'HEAD' ? { url, method } : undefined;
}

/**
 * The next hop after a redirect to `next`.
 *
 * A hop to another origin drops, unless the user chose `locationTrusted` (curl's
 * `--location-trusted`), everything that could carry a credential there (SECURITY 47): the
 * profile's token header (even to another of the provider's origins), every header whose name
 * looks like a credential, and the body that a 307 or 308 would otherwise send again. A change of
 * method to GET drops the body, as always.
 */
export function redirectedHop(
  hop: Hop,
  next: { url: URL; method: string },
  status: number,
  locationTrusted: boolean,
): Hop {
  let { headers, body, tokenSent } = hop;
  const dropBody = () => {
    body = undefined;
    headers = headers.filter(([name]) => !name.toLowerCase().startsWith('content-'));
  };
  if (next.url.origin !== hop.url.origin && !locationTrusted) {
    tokenSent = false;
    headers = headers.filter(([name]) => !isCredentialHeader(name));
    if (status === 307 || status === 308) dropBody();
  }
  if (next.method !== hop.method && next.method === 'GET') dropBody();
  return {
    method: next.method,
    url: next.url,
    headers,
    ...(body !== undefined ? { body } : {}),
    tokenSent,
  };
}

import { TokendeckError } from '../errors';

/**
 * Whether a host name is a loopback address: 127.0.0.0/8, ::1 (bare or bracketed) or localhost.
 *
 * RFC 8252 §7.3 and §8.3: plain http is acceptable only on the loopback interface.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((part) => Number(part) <= 255);
}

/**
 * Parses a URL that Tokendeck will send credentials to, refusing plain http off loopback.
 *
 * https is always accepted; http only on a loopback host (RFC 9700 §2.6, RFC 8252 §8.3). Other
 * schemes, unparsable strings and URLs with embedded credentials are `invalid_input`; http to any
 * other host is `insecure_endpoint`. `what` names the field in the message.
 */
export function assertSecureUrl(url: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new TokendeckError('invalid_input', `${what} is not an absolute URL.`, {
      cause,
      details: { field: what },
    });
  }
  if (parsed.username || parsed.password) {
    throw new TokendeckError('invalid_input', `${what} must not contain a user name or password.`, {
      details: { field: what },
    });
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:') {
    if (isLoopbackHost(parsed.hostname)) return parsed;
    throw new TokendeckError(
      'insecure_endpoint',
      `${what} uses plain http on ${parsed.hostname}; only https, or http on a loopback address, is allowed.`,
      { details: { field: what, host: parsed.hostname } },
    );
  }
  throw new TokendeckError(
    'invalid_input',
    `${what} must be an http(s) URL, not ${parsed.protocol}.`,
    {
      details: { field: what },
    },
  );
}

/** A scheme at the start (`https:`, `file:`, `javascript:`) marks an absolute URL (RFC 3986 §3.1). */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** Whether the text starts with a URL scheme, as opposed to being a path. */
export function hasScheme(text: string): boolean {
  return SCHEME.test(text);
}

/** Parses an absolute http(s) URL, relative to `base` when given; undefined for anything else. */
export function parseHttpUrl(text: string, base?: string | URL): URL | undefined {
  if (!URL.canParse(text, base)) return undefined;
  const url = new URL(text, base);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

/** Whether the plain-http opt-out of oauth4webapi may be used for this URL: loopback only. */
export function allowsInsecureRequest(url: URL): boolean {
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

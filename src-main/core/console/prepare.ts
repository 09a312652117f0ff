import { TokendeckError, assertNever } from '../errors';
import { CR_LF_NUL, HTTP_TOKEN, type ProviderProfile } from '../providers';
import { providerOrigins, resolveRequestUrl } from './origins';
import type { HeaderList, RequestSpec } from './types';

/** RFC 9110 §5.5: a field value is visible ASCII, obs-text (0x80–0xFF), spaces and tabs. */
export const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Framing headers the engine computes itself. */
const ENGINE_HEADERS = new Set(['content-length', 'transfer-encoding']);
/**
 * Headers that say where and how the request travels (RFC 9110 §7.2, §7.6.1): `Host` would send
 * the token to a host the origin check never saw, and the hop-by-hop ones are the connection's.
 * `Proxy-Authorization` is the user's to send (to a proxy); a redirect to another origin drops it.
 */
const ROUTING_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/**
 * A request ready for the wire, minus the token.
 *
 * Built from a spec by {@link prepareRequest}, shared by the runner and the curl export so both
 * send exactly the same thing.
 */
export interface PreparedRequest {
  method: string;
  url: URL;
  /** The user's headers and the defaults the body implies (content type, accept). */
  headers: HeaderList;
  body?: string;
  /** Where the token goes: the profile's header name, and the prefix with its space. */
  token: { headerName: string; prefix: string };
  /**
   * The provider's own origins, for redirects.
   *
   * The first URL was checked already: it is one of them, or the user opted in.
   */
  providerOrigins: Set<string>;
}

/**
 * Validates a spec and turns it into a {@link PreparedRequest}.
 *
 * Checks run in order and throw early: method, URL, headers, body, then where the token may go.
 * Throws `invalid_input` for bad input and `origin_not_allowed` for a foreign origin without
 * `allowForeignOrigin`.
 */
export function prepareRequest(spec: RequestSpec, profile: ProviderProfile): PreparedRequest {
  const method = spec.kind === 'graphql' ? 'POST' : normaliseMethod(spec.method);
  const url = resolveRequestUrl(spec, profile);
  const token = {
    headerName: profile.use.headerName,
    prefix: profile.use.headerPrefix ? `${profile.use.headerPrefix} ` : '',
  };
  const headers = validateHeaders(spec.headers ?? [], token.headerName);
  let body: string | undefined;
  switch (spec.kind) {
    case 'graphql': {
      const payload: Record<string, unknown> = { query: spec.query };
      if (spec.variables !== undefined) payload.variables = spec.variables;
      if (spec.operationName !== undefined && spec.operationName !== '')
        payload.operationName = spec.operationName;
      body = JSON.stringify(payload);
      addDefault(headers, 'Content-Type', 'application/json');
      addDefault(headers, 'Accept', 'application/json');
      break;
    }
    case 'rest':
      if (spec.body) {
        body = spec.body.text;
        switch (spec.body.type) {
          case 'json':
            assertJson(body);
            addDefault(headers, 'Content-Type', 'application/json');
            break;
          case 'form':
            addDefault(headers, 'Content-Type', 'application/x-www-form-urlencoded');
            break;
          case 'raw':
            break;
          default:
            assertNever(spec.body.type, 'body type');
        }
      }
      break;
    default:
      assertNever(spec, 'request kind');
  }
  const origins = providerOrigins(profile);
  if (!origins.has(url.origin) && spec.allowForeignOrigin !== true) {
    throw new TokendeckError(
      'origin_not_allowed',
      `${url.origin} is not one of this provider's origins, so the token is not sent there. ` +
        'To send it anyway, opt in (--allow-origin on the command line).',
      { details: { origin: url.origin } },
    );
  }
  return { method, url, headers, body, token, providerOrigins: origins };
}

/** Uppercases a method after checking it is an RFC 9110 token. */
export function normaliseMethod(method: string): string {
  const trimmed = method.trim();
  if (!HTTP_TOKEN.test(trimmed))
    throw new TokendeckError(
      'invalid_input',
      'The method must be a single word such as GET or POST.',
    );
  return trimmed.toUpperCase();
}

/**
 * Checks the user's headers.
 *
 * Names must be tokens and values free of CR, LF and NUL (SECURITY 37). A header named like the
 * token header is refused rather than silently overriding or being overridden by the token, the
 * framing headers (`Content-Length`, `Transfer-Encoding`) are the engine's to set, and `Host` and
 * the hop-by-hop headers are refused, so the token goes only where the URL says.
 */
export function validateHeaders(headers: HeaderList, tokenHeaderName: string): HeaderList {
  const out: HeaderList = [];
  for (const [name, value] of headers) {
    if (typeof name !== 'string' || !HTTP_TOKEN.test(name)) {
      throw new TokendeckError(
        'invalid_input',
        "A header name may only hold letters, digits and !#$%&'*+-.^_`|~ (no spaces, colons, CR or LF).",
      );
    }
    if (typeof value !== 'string' || CR_LF_NUL.test(value)) {
      throw new TokendeckError(
        'invalid_input',
        `The value of header ${name} holds CR, LF or NUL, which could split the request.`,
        {
          details: { header: name },
        },
      );
    }
    if (!FIELD_VALUE.test(value)) {
      throw new TokendeckError(
        'invalid_input',
        `The value of header ${name} holds control characters or characters outside Latin-1.`,
        { details: { header: name } },
      );
    }
    const lower = name.toLowerCase();
    if (lower === tokenHeaderName.toLowerCase()) {
      throw new TokendeckError(
        'invalid_input',
        `The ${name} header carries the account's token and cannot be set by hand.`,
        {
          details: { header: name },
        },
      );
    }
    if (ROUTING_HEADERS.has(lower)) {
      throw new TokendeckError(
        'invalid_input',
        `The ${name} header belongs to the connection and the URL; it cannot be set by hand.`,
        { details: { header: name } },
      );
    }
    if (ENGINE_HEADERS.has(lower)) {
      throw new TokendeckError(
        'invalid_input',
        `The ${name} header is computed from the body and cannot be set by hand.`,
        {
          details: { header: name },
        },
      );
    }
    out.push([name, value.trim()]);
  }
  return out;
}

/** The value of the first header of that name, in any case; undefined when there is none. */
export function headerValue(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1];
}

/** True when the list has a header of that name, in any case. */
export function hasHeader(headers: HeaderList, name: string): boolean {
  return headerValue(headers, name) !== undefined;
}

function addDefault(headers: HeaderList, name: string, value: string): void {
  if (!hasHeader(headers, name)) headers.push([name, value]);
}

function assertJson(text: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new TokendeckError(
      'invalid_input',
      'The JSON body does not parse; fix it or send it as a raw body.',
      { cause: error },
    );
  }
}

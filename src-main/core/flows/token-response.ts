import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { tryParseJson } from '../json';
import { registerSecret } from '../log';
import type { PrivateJwk, StoredTokens, TokenSet } from '../model';
import {
  firstLine,
  oauthErrorFields,
  parseJsonObject,
  transportError,
  type Exchange,
} from '../providers';

/**
 * Turns a processed token endpoint response into a {@link TokenSet} (RFC 6749 §5.1).
 *
 * - `expiresAt` is the local receive time plus `expires_in`; without `expires_in` it is the
 *   access token's JWT `exp` when it has one, else the receive time plus the provider's assumed
 *   lifetime (`quirks.assumeExpiresIn`) when it has one, else null (no expiry).
 * - `tokenType` is the server's (oauth4webapi lowercases it; `bearer` is shown as `Bearer`).
 * - `scopes` are the granted `scope`, else the requested ones (RFC 6749 §3.3).
 * - A response without `refresh_token` keeps the previous one (RFC 6749 §6; SECURITY 32), and
 *   likewise the ID token.
 * - `dpopKey`, the key the request was proved with, is kept only when the server bound the tokens
 *   to it (`token_type` DPoP, RFC 9449 §5); a server that ignored the proof issued bearer tokens.
 *
 * Every token is registered with the log scrubber.
 */
export function normalizeTokens(
  response: oauth.TokenEndpointResponse,
  context: {
    receivedAt: number;
    requestedScopes: string[];
    previous?: StoredTokens;
    dpopKey?: PrivateJwk | undefined;
    /** The profile's `quirks.assumeExpiresIn`, in seconds. */
    assumedLifetimeSec?: number | undefined;
  },
): TokenSet {
  const accessToken = checkToken(response.access_token, 'access token');
  const refreshToken =
    response.refresh_token === undefined
      ? context.previous?.refreshToken
      : checkToken(response.refresh_token, 'refresh token');
  const idToken = response.id_token ?? context.previous?.idToken;
  registerSecret(accessToken);
  registerSecret(refreshToken);
  registerSecret(idToken);
  const { receivedAt } = context;
  const expiresIn = response.expires_in;
  let expiresAt: number | null;
  if (typeof expiresIn === 'number') expiresAt = receivedAt + clampLifetime(expiresIn * 1000);
  else {
    const exp = jwtExpiry(accessToken);
    const assumed = context.assumedLifetimeSec;
    if (exp !== undefined) expiresAt = receivedAt + clampLifetime(exp * 1000 - receivedAt);
    else if (assumed !== undefined) expiresAt = receivedAt + clampLifetime(assumed * 1000);
    else expiresAt = null;
  }
  const scopes =
    typeof response.scope === 'string'
      ? response.scope.split(' ').filter(Boolean)
      : [...context.requestedScopes];
  return {
    accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    ...(idToken ? { idToken } : {}),
    tokenType: displayTokenType(response.token_type),
    expiresAt,
    receivedAt: context.receivedAt,
    scopes,
    ...(context.dpopKey && response.token_type === 'dpop' ? { dpopKey: context.dpopKey } : {}),
  };
}

/** The longest lifetime a token is taken to have; a longer `expires_in` or `exp` is cut to it. */
export const MAX_LIFETIME_MS = 10 * 365 * 86_400_000;

/** A lifetime a date can hold: at least 0, at most {@link MAX_LIFETIME_MS}, whole milliseconds. */
function clampLifetime(ms: number): number {
  if (Number.isNaN(ms)) return 0;
  return Math.round(Math.min(MAX_LIFETIME_MS, Math.max(0, ms)));
}

/** Whitespace and control characters, which no token may hold (SECURITY 50). */
const NOT_TOKEN_TEXT = /[\s\p{Cc}]/u;

/** A token as received, refused when it holds whitespace or control characters. */
function checkToken(token: string, what: string): string {
  if (NOT_TOKEN_TEXT.test(token)) {
    throw new TokendeckError(
      'token_response_invalid',
      `The token endpoint sent an ${what} holding whitespace or control characters; it was refused.`,
      { details: { transient: false } },
    );
  }
  return token;
}

function displayTokenType(type: string): string {
  if (type === 'bearer') return 'Bearer';
  if (type === 'dpop') return 'DPoP';
  return type;
}

/** The `exp` of an access token that is a JWT, read without verifying it: only a hint for renewal. */
function jwtExpiry(token: string): number | undefined {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp : undefined;
}

/** The claims of a token that is a JWT, read without verifying it; undefined otherwise. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  return parseJsonObject(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
}

/**
 * Classifies a failed token endpoint call into the codes the lifecycle relies on.
 *
 * Transport first (`network_error`, `timeout`, `cancelled`, all but cancel transient); then
 * HTTP 429 → `rate_limited` with `retryAfterMs`; 5xx → `token_endpoint_error`, transient; the
 * OAuth error `invalid_grant` → `invalid_grant`; `invalid_client`/`unauthorized_client` →
 * `invalid_client`; other 4xx → `token_endpoint_error`, not transient; a 2xx that is not a valid
 * token response (HTML, not JSON, no `token_type`, …) → `token_response_invalid`. Details carry
 * the status and the first line of the body, scrubbed.
 */
export function tokenEndpointError(
  error: unknown,
  exchange: Exchange,
  now: number,
  endpoint = 'token endpoint',
): TokendeckError {
  const transport = transportError(error, exchange);
  if (transport) {
    if (transport.code === 'response_too_large') {
      return new TokendeckError(
        'token_response_invalid',
        `The ${endpoint} at ${exchange.url.host} sent a response too large to accept.`,
        {
          cause: transport,
          details: { ...transport.details, transient: false },
        },
      );
    }
    return transport;
  }
  const host = exchange.url.host;
  const last = exchange.last;
  if (!last) {
    return new TokendeckError(
      'token_endpoint_error',
      `The request to the ${endpoint} at ${host} failed.`,
      {
        cause: error,
        details: { transient: false },
      },
    );
  }
  const status = last.status;
  const body = parseJsonObject(last.text);
  const { error: oauthError, description } = oauthErrorFields(body);
  const line = firstLine(last.text);
  const said = oauthError
    ? `${oauthError}${description ? `: ${description}` : ''}`
    : line || 'empty body';
  const base = {
    status,
    ...(oauthError ? { error: oauthError } : {}),
    ...(body ? {} : { body: line }),
  };

  if (status === 429) {
    const retryAfterMs = parseRetryAfter(last.retryAfter, now);
    return new TokendeckError(
      'rate_limited',
      `${host} is rate limiting token requests${retryAfterMs !== null ? `; retry in ${Math.ceil(retryAfterMs / 1000)} s` : ''}.`,
      {
        cause: error,
        details: { ...base, transient: true, retryAfterMs },
      },
    );
  }
  if (status >= 500) {
    return new TokendeckError(
      'token_endpoint_error',
      `The ${endpoint} at ${host} failed with HTTP ${status} (${said}).`,
      {
        cause: error,
        details: { ...base, transient: true },
      },
    );
  }
  if (oauthError === 'invalid_grant') {
    return new TokendeckError(
      'invalid_grant',
      `${host} refused the grant (${said}); sign in again.`,
      {
        cause: error,
        details: { ...base, transient: false },
      },
    );
  }
  if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client') {
    return new TokendeckError(
      'invalid_client',
      `${host} refused the client credentials (${said}).`,
      {
        cause: error,
        details: { ...base, transient: false },
      },
    );
  }
  if (status >= 400 || oauthError) {
    return new TokendeckError(
      'token_endpoint_error',
      `The ${endpoint} at ${host} answered HTTP ${status} (${said}).`,
      {
        cause: error,
        details: { ...base, transient: false },
      },
    );
  }
  return new TokendeckError(
    'token_response_invalid',
    `The ${endpoint} at ${host} answered HTTP ${status} with ${invalidReason(error, body, line, last.text)}.`,
    {
      cause: error,
      details: {
        ...base,
        transient: false,
        ...(error instanceof oauth.UnsupportedOperationError
          ? { field: 'quirks.acceptTokenType' }
          : {}),
      },
    },
  );
}

function invalidReason(
  error: unknown,
  body: Record<string, unknown> | undefined,
  line: string,
  text: string,
): string {
  if (!body) {
    const json = tryParseJson(text);
    if (json !== undefined) return `JSON that is not an object (${line.slice(0, 40)})`;
    return `a body that is not JSON (${line || 'empty'})`;
  }
  if (error instanceof oauth.UnsupportedOperationError && typeof body.token_type === 'string') {
    return `token_type "${firstLine(body.token_type).slice(0, 32)}", which Tokendeck does not know how to send; accept it in the provider's settings (quirks.acceptTokenType) if its API takes it in the configured header`;
  }
  if (error instanceof Error && error.message)
    return `an invalid token response: ${error.message.replace(/"/g, '')}`;
  return 'an invalid token response';
}

/** Parses Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date; null when absent or bad. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

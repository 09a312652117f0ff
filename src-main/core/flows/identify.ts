import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { TokendeckError, assertNever } from '../errors';
import { nullLogger } from '../log';
import {
  createExchange,
  firstLine,
  hasScheme,
  parseJsonObject,
  transportError,
  type Exchange,
} from '../providers';
import { dpopHandle, dpopOption, needsNonce, withNonceRetry } from './dpop';
import { UNPROVEN, identityFrom, pick, type AccountIdentity } from './identity-fields';
import type { FlowOptions, FlowResult } from './options';
import type { ResolvedProvider } from './resolve';
import { jwtClaims, parseRetryAfter } from './token-response';

export type { AccountIdentity } from './identity-fields';

/**
 * Names the account, and proves its subject, with the profile's "who am I" (SECURITY 41).
 *
 * - `userinfo`: a GET of the userinfo endpoint (OIDC Core §5.3) with the access token. A signed
 *   (JWT) answer is checked by oauth4webapi; a plain-JSON answer may lack `sub` (see
 *   identity-fields.ts). When there is an ID token, the answer's `sub` must equal its `sub`.
 * - `id_token`: the validated ID token claims.
 * - `rest`: a GET on a URL or a path under the API base; `graphql`: a POST of the query to the
 *   GraphQL URL. The token goes in the profile's header with its prefix.
 * - `none`: what the tokens prove ({@link tokenProof}), which may be nothing.
 *
 * A failed call is `whoami_failed` with the status (and `retryAfterMs` when the server sent one);
 * the caller stores the tokens anyway and names the account later.
 */
export async function identifyAccount(
  resolved: ResolvedProvider,
  result: FlowResult,
  options: FlowOptions = {},
): Promise<AccountIdentity> {
  const { profile } = resolved;
  const identity = await lookup(resolved, result, options);
  (options.logger ?? nullLogger).info('account identified', {
    provider: profile.id,
    kind: profile.whoami.kind,
    by: identity.identifiedBy,
  });
  return identity;
}

/**
 * What the tokens alone prove: for an API key its hash, for client credentials the client id,
 * else the ID token's `sub`, else a JWT access token's `sub` when its `iss` is the provider's.
 * {@link UNPROVEN} when they prove nothing: such a sign-in makes a new account.
 */
export function tokenProof(resolved: ResolvedProvider, result: FlowResult): AccountIdentity {
  const { profile, client, as } = resolved;
  switch (profile.grant) {
    case 'api_key': {
      const hash = createHash('sha256').update(result.tokens.accessToken).digest('hex');
      return { subject: `key-${hash.slice(0, 16)}`, identifiedBy: 'API key', label: null };
    }
    case 'client_credentials':
      return { subject: client.client_id, identifiedBy: 'client id', label: client.client_id };
    case 'authorization_code':
    case 'device_code': {
      const fromIdToken = idTokenProof(result);
      if (fromIdToken.subject !== null) return fromIdToken;
      const jwt = jwtClaims(result.tokens.accessToken);
      if (jwt && jwt.iss === as.issuer && pick(jwt, 'sub') !== undefined) {
        return { ...identityFrom(jwt, { subject: 'sub' }), identifiedBy: 'access token' };
      }
      return UNPROVEN;
    }
    default:
      return assertNever(profile.grant, 'grant');
  }
}

/** The ID token's `sub`, validated with the token response; {@link UNPROVEN} without one. */
export function idTokenProof(result: FlowResult): AccountIdentity {
  const claims = result.idTokenClaims;
  if (!claims || typeof claims.sub !== 'string') return UNPROVEN;
  return { ...identityFrom(claims, { subject: 'sub' }), identifiedBy: 'ID token' };
}

async function lookup(
  resolved: ResolvedProvider,
  result: FlowResult,
  options: FlowOptions,
): Promise<AccountIdentity> {
  const { profile } = resolved;
  const whoami = profile.whoami;
  const claims = result.idTokenClaims;
  switch (whoami.kind) {
    case 'userinfo':
      return userinfo(resolved, result, options);
    case 'id_token':
      if (!claims) throw failed('the token response had no ID token');
      return { ...identityFrom(claims, { subject: 'sub', label: whoami.label }) };
    case 'rest': {
      const url = hasScheme(whoami.url) ? whoami.url : joinUnder(profile.use.apiBase, whoami.url);
      const json = await callJson(resolved, result, url, { method: 'GET' }, options);
      return proven(json, whoami);
    }
    case 'graphql': {
      if (!profile.use.graphqlUrl) throw failed('the profile has no GraphQL URL');
      const json = await callJson(
        resolved,
        result,
        profile.use.graphqlUrl,
        {
          method: 'POST',
          body: JSON.stringify({ query: whoami.query }),
          contentType: 'application/json',
        },
        options,
      );
      const errors = json.errors;
      if (Array.isArray(errors) && errors.length > 0) {
        const first = errors[0] as { message?: unknown };
        throw failed(
          `the GraphQL query failed: ${firstLine(typeof first?.message === 'string' ? first.message : 'unknown error')}`,
        );
      }
      return proven(json, whoami);
    }
    case 'none':
      return tokenProof(resolved, result);
    default:
      return assertNever(whoami, 'whoami kind');
  }
}

/** The identity in an answer, or `whoami_failed` when it names no subject. */
function proven(
  answer: Record<string, unknown>,
  paths: { subject?: string | undefined; label?: string | undefined },
): AccountIdentity {
  const identity = identityFrom(answer, paths);
  if (identity.subject === null) {
    throw failed(
      paths.subject
        ? `the answer has no ${paths.subject}`
        : 'the answer names no subject (sub, id, user_id, uid, username, login or email)',
    );
  }
  return identity;
}

async function userinfo(
  resolved: ResolvedProvider,
  result: FlowResult,
  options: FlowOptions,
): Promise<AccountIdentity> {
  const { as, client, profile } = resolved;
  const whoami = profile.whoami;
  if (whoami.kind !== 'userinfo') throw failed('the profile has no userinfo "who am I"');
  if (!as.userinfo_endpoint) throw failed('the provider has no userinfo endpoint');
  const exchange = createExchange(as.userinfo_endpoint, 'userinfo endpoint', options);
  const idSub = typeof result.idTokenClaims?.sub === 'string' ? result.idTokenClaims.sub : null;
  let answer: Record<string, unknown>;
  const dpop = result.tokens.dpopKey ? await dpopHandle(result.tokens.dpopKey) : undefined;
  const ask = () =>
    oauth.userInfoRequest(as, client, result.tokens.accessToken, {
      ...exchange.options,
      ...dpopOption(dpop),
    });
  try {
    let response = await ask();
    if (dpop && needsNonce(response)) response = await ask();
    if (response.status !== 200) throw statusFailure(exchange, 'userinfo');
    const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type === 'application/jwt') {
      // A signed answer: oauth4webapi checks it, and its `sub` against the ID token's.
      const expected = idSub ?? oauth.skipSubjectCheck;
      answer = { ...(await oauth.processUserInfoResponse(as, client, expected, response)) };
    } else {
      const json = parseJsonObject(await response.text());
      if (!json) throw failed(`${exchange.url.host} answered with a body that is not JSON`, 200);
      answer = json;
    }
  } catch (error) {
    if (error instanceof TokendeckError) throw error;
    throw httpFailure(error, exchange, 'userinfo');
  }
  // OIDC Core §5.3.2: with an ID token, the userinfo `sub` must be there and equal its `sub`.
  if (idSub !== null && answer.sub !== idSub) {
    throw failed('the userinfo answer names a different subject than the ID token');
  }
  return proven(answer, whoami);
}

function joinUnder(apiBase: string | undefined, path: string): string {
  if (!apiBase) throw failed('a REST path needs the API base URL');
  return `${apiBase.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

async function callJson(
  resolved: ResolvedProvider,
  result: FlowResult,
  url: string,
  request: { method: 'GET' | 'POST'; body?: string; contentType?: string },
  options: FlowOptions,
): Promise<Record<string, unknown>> {
  const { use } = resolved.profile;
  const exchange = createExchange(url, 'who-am-I URL', options);
  const token = result.tokens.accessToken;
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(request.contentType ? { 'content-type': request.contentType } : {}),
  };
  try {
    if (result.tokens.dpopKey) {
      // A DPoP-bound token goes as `Authorization: DPoP` with a fresh proof (RFC 9449 §7.1).
      const dpop = await dpopHandle(result.tokens.dpopKey);
      await withNonceRetry(dpop, () =>
        oauth.protectedResourceRequest(
          token,
          request.method,
          exchange.url,
          new Headers(headers),
          request.body ?? null,
          { ...exchange.options, [oauth.customFetch]: exchange.fetch as never, DPoP: dpop },
        ),
      ).catch((error: unknown) => {
        // Any other challenge is a status the answer below reports.
        if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
      });
    } else {
      headers[use.headerName] = use.headerPrefix ? `${use.headerPrefix} ${token}` : token;
      await exchange.fetch(exchange.url.href, {
        method: request.method,
        headers,
        redirect: 'manual',
        ...(request.body ? { body: request.body } : {}),
      });
    }
  } catch (error) {
    throw httpFailure(error, exchange, 'request');
  }
  const last = exchange.last!;
  if (last.status < 200 || last.status > 299) throw statusFailure(exchange);
  const json = parseJsonObject(last.text);
  if (!json) {
    throw failed(
      `${exchange.url.host} answered with a body that is not a JSON object (${firstLine(last.text) || 'empty'})`,
      last.status,
    );
  }
  return json;
}

/** "HTTP 429 from host (first line), retry after 30 s". */
function httpReason(exchange: Exchange, what = ''): string {
  const last = exchange.last;
  if (!last) return `the ${what || 'request'} to ${exchange.url.host} failed`;
  const retryMs = parseRetryAfter(last.retryAfter, Date.now());
  const retry = retryMs === null ? '' : `, retry after ${Math.ceil(retryMs / 1000)} s`;
  return `HTTP ${last.status}${retry} from ${exchange.url.host}${what ? ` ${what}` : ''} (${firstLine(last.text) || 'empty body'})`;
}

/** `whoami_failed` for an answer with a bad status, with its status and Retry-After. */
function statusFailure(exchange: Exchange, what = ''): TokendeckError {
  const last = exchange.last;
  const retryAfterMs = last ? parseRetryAfter(last.retryAfter, Date.now()) : null;
  return failed(httpReason(exchange, what), last?.status, retryAfterMs);
}

function failed(reason: string, status?: number, retryAfterMs?: number | null): TokendeckError {
  return new TokendeckError('whoami_failed', `Could not name this account: ${reason}.`, {
    details: { status: status ?? null, retryAfterMs: retryAfterMs ?? null },
  });
}

function httpFailure(error: unknown, exchange: Exchange, what: string): TokendeckError {
  const transport = transportError(error, exchange);
  if (transport) return transport;
  const failure = statusFailure(exchange, what);
  if (error instanceof oauth.WWWAuthenticateChallengeError) failure.details.status = error.status;
  return new TokendeckError(failure.code, failure.message, {
    cause: error,
    details: failure.details,
  });
}

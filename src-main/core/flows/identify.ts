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
import type { FlowOptions, FlowResult } from './options';
import type { ResolvedProvider } from './resolve';

export interface AccountIdentity {
  /** The stable identity at the provider; one account per subject. */
  subject: string;
  label: string;
}

/**
 * Names the account from the profile's "who am I".
 *
 * - `userinfo`: the OpenID Connect UserInfo endpoint through oauth4webapi (OIDC Core §5.3); the
 *   `sub` must equal the ID token's when there is one.
 * - `id_token`: the validated ID token claims.
 * - `rest`: a GET on a URL or a path under the API base; `graphql`: a POST of the query to the
 *   GraphQL URL. The token goes in the profile's header with its prefix.
 * - `none`: the client id for client credentials, a hash-derived id for an API key (never the
 *   key itself), and the ID token's `sub` or the client id otherwise.
 *
 * The label falls back to the subject. Failures are `whoami_failed` with the status.
 */
export async function identifyAccount(
  resolved: ResolvedProvider,
  result: FlowResult,
  options: FlowOptions = {},
): Promise<AccountIdentity> {
  const { profile } = resolved;
  const whoami = profile.whoami;
  const identity = await lookup(resolved, result, options);
  (options.logger ?? nullLogger).info('account identified', {
    provider: profile.id,
    kind: whoami.kind,
  });
  return identity;
}

async function lookup(
  resolved: ResolvedProvider,
  result: FlowResult,
  options: FlowOptions,
): Promise<AccountIdentity> {
  const { profile, as, client } = resolved;
  const whoami = profile.whoami;
  const claims = result.idTokenClaims;
  switch (whoami.kind) {
    case 'userinfo': {
      if (!as.userinfo_endpoint) throw failed('the provider has no userinfo endpoint');
      const exchange = createExchange(as.userinfo_endpoint, 'userinfo endpoint', options);
      const expected = typeof claims?.sub === 'string' ? claims.sub : oauth.skipSubjectCheck;
      let info: Record<string, unknown>;
      try {
        const response = await oauth.userInfoRequest(
          as,
          client,
          result.tokens.accessToken,
          exchange.options,
        );
        info = { ...(await oauth.processUserInfoResponse(as, client, expected, response)) };
      } catch (error) {
        throw httpFailure(error, exchange, 'userinfo');
      }
      return named(info, 'sub', whoami.label);
    }
    case 'id_token':
      if (!claims) throw failed('the token response had no ID token');
      return named(claims, 'sub', whoami.label);
    case 'rest': {
      const url = hasScheme(whoami.url) ? whoami.url : joinUnder(profile.use.apiBase, whoami.url);
      const json = await callJson(resolved, result, url, { method: 'GET' }, options);
      return named(json, whoami.subject, whoami.label);
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
      return named(json, whoami.subject, whoami.label);
    }
    case 'none': {
      if (profile.grant === 'api_key') {
        const subject = `key-${createHash('sha256').update(result.tokens.accessToken).digest('hex').slice(0, 16)}`;
        return { subject, label: subject };
      }
      const subject =
        profile.grant === 'authorization_code' && typeof claims?.sub === 'string'
          ? claims.sub
          : client.client_id;
      return { subject, label: subject };
    }
    default:
      return assertNever(whoami, 'whoami kind');
  }
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
    [use.headerName]: use.headerPrefix ? `${use.headerPrefix} ${token}` : token,
    ...(request.contentType ? { 'content-type': request.contentType } : {}),
  };
  let response: Response;
  try {
    response = await exchange.fetch(exchange.url.href, {
      method: request.method,
      headers,
      redirect: 'manual',
      ...(request.body ? { body: request.body } : {}),
    });
  } catch (error) {
    throw httpFailure(error, exchange, 'request');
  }
  const text = await response.text();
  if (response.status < 200 || response.status > 299) {
    throw failed(
      `${exchange.url.host} answered HTTP ${response.status} (${firstLine(text) || 'empty body'})`,
      response.status,
    );
  }
  const json = parseJsonObject(text);
  if (!json)
    throw failed(
      `${exchange.url.host} answered with a body that is not a JSON object (${firstLine(text) || 'empty'})`,
      response.status,
    );
  return json;
}

function named(
  source: Record<string, unknown>,
  subjectPath: string,
  labelPath: string | undefined,
): AccountIdentity {
  const subject = pick(source, subjectPath);
  if (subject === undefined) throw failed(`the answer has no ${subjectPath}`);
  const label = (labelPath ? pick(source, labelPath) : undefined) ?? subject;
  return { subject, label };
}

/** A string or number at a dotted path, as a string. */
function pick(source: unknown, path: string): string | undefined {
  let value: unknown = source;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.length > 0) return value.slice(0, 500);
  return undefined;
}

function failed(reason: string, status?: number): TokendeckError {
  return new TokendeckError('whoami_failed', `Could not name the account: ${reason}.`, {
    details: { status: status ?? null },
  });
}

function httpFailure(error: unknown, exchange: Exchange, what: string): TokendeckError {
  const transport = transportError(error, exchange);
  if (transport) return transport;
  const last = exchange.last;
  const status =
    error instanceof oauth.WWWAuthenticateChallengeError ? error.status : (last?.status ?? null);
  const reason = last
    ? `${exchange.url.host} ${what} answered HTTP ${last.status} (${firstLine(last.text) || 'empty body'})`
    : `${what} failed`;
  return new TokendeckError('whoami_failed', `Could not name the account: ${reason}.`, {
    cause: error,
    details: { status },
  });
}

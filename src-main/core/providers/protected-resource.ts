import * as oauth from 'oauth4webapi';
import { TokendeckError, isTokendeckError } from '../errors';
import { nullLogger } from '../log';
import { discover } from './discovery';
import {
  createExchange,
  firstLine,
  parseJsonObject,
  transportError,
  type Exchange,
  type HttpOptions,
} from './http';
import type { ProviderProfileInput } from './profile';
import { assertSecureUrl } from './urls';

/** What the four steps found; see {@link discoverFromApi}. */
export interface ApiFindings {
  profile: ProviderProfileInput;
  resource: string;
  authorizationServers: string[];
  metadataUrl: string;
  canRegister: boolean;
  dpopSupported: boolean;
}

const STEPS = 4;

/**
 * Finds how to connect to an API from its URL alone, as MCP clients do.
 *
 * 1. Calls the URL without a token; a 401 may name its metadata in `WWW-Authenticate`
 *    (`resource_metadata`, RFC 9728 §5.1).
 * 2. Otherwise uses the well-known URL, `/.well-known/oauth-protected-resource` inserted before
 *    the URL's path (§3.1).
 * 3. Fetches the protected resource metadata; its `resource` must be exactly the API URL (§3.3).
 * 4. Discovers its first authorization server (RFC 8414, then OpenID Connect).
 *
 * The profile it returns signs in with the authorization code grant, registers dynamically
 * (RFC 7591) when the server offers it, asks for the challenge's or the metadata's scopes, sends
 * the API URL as the RFC 8707 `resource` in authorize and token requests, and takes the API URL
 * as its API base. It binds tokens with DPoP when the resource requires it. Each step's failure
 * is `discovery_failed` (or the transport's own code) with the step named in plain words.
 */
export async function discoverFromApi(
  apiUrl: string,
  id: string,
  options: HttpOptions = {},
): Promise<ApiFindings> {
  const logger = options.logger ?? nullLogger;
  const api = assertSecureUrl(apiUrl.trim(), 'API URL');

  const first = createExchange(api, 'API URL', options);
  let answer: Response;
  try {
    answer = await first.fetch(api.href, {
      method: 'GET',
      redirect: 'manual',
      headers: { accept: '*/*' },
    });
  } catch (error) {
    throw stepFailure(1, `could not call ${api.href}`, error, first);
  }
  const challenge = bearerChallenge(
    answer.status === 401 ? answer.headers.get('www-authenticate') : undefined,
  );

  let metadataUrl: URL;
  let response: Response;
  const second = createExchange(
    challenge.resourceMetadata ?? api,
    challenge.resourceMetadata ? 'resource_metadata' : 'API URL',
    options,
  );
  try {
    if (challenge.resourceMetadata) {
      metadataUrl = second.url;
      response = await second.fetch(metadataUrl.href, {
        method: 'GET',
        redirect: 'manual',
        headers: { accept: 'application/json' },
      });
    } else {
      metadataUrl = new URL(wellKnown(api));
      response = await oauth.resourceDiscoveryRequest(api, second.options);
    }
  } catch (error) {
    throw stepFailure(
      2,
      notFound(challenge.resourceMetadata, api, first, 'could not be fetched'),
      error,
      second,
    );
  }
  if (response.status !== 200) {
    throw stepFailure(
      2,
      notFound(challenge.resourceMetadata, api, first, `answered HTTP ${response.status}`),
    );
  }

  let metadata: oauth.ResourceServer;
  try {
    metadata = await oauth.processResourceDiscoveryResponse(api, response);
  } catch (error) {
    throw stepFailure(3, metadataProblem(error, second, api, metadataUrl), error);
  }
  const servers = (metadata.authorization_servers ?? []).filter((s) => typeof s === 'string');
  if (servers.length === 0) {
    throw stepFailure(3, `the metadata at ${metadataUrl.href} names no authorization server`);
  }

  let as: oauth.AuthorizationServer;
  try {
    as = await discover(servers[0]!, options);
  } catch (error) {
    const said = isTokendeckError(error) ? error.message : 'it could not be discovered';
    throw stepFailure(4, `the authorization server ${servers[0]} failed discovery: ${said}`, error);
  }

  const canRegister = typeof as.registration_endpoint === 'string';
  const scopes = challenge.scope?.split(' ').filter(Boolean) ?? metadata.scopes_supported ?? [];
  const resource = metadata.resource;
  const dpopAlgs = [
    ...(metadata.dpop_signing_alg_values_supported ?? []),
    ...(as.dpop_signing_alg_values_supported ?? []),
  ];
  logger.info('API discovered', { api: api.origin, issuer: as.issuer, canRegister });
  return {
    profile: {
      id,
      name: (typeof metadata.resource_name === 'string' && metadata.resource_name) || api.host,
      grant: 'authorization_code',
      issuer: as.issuer,
      client: canRegister
        ? { registration: 'dynamic', auth: 'none' }
        : { registration: 'static', auth: 'none' },
      scopes,
      authorizeParams: { resource },
      tokenParams: { resource },
      use: { headerName: 'Authorization', headerPrefix: 'Bearer', apiBase: api.href },
      ...(metadata.dpop_bound_access_tokens_required === true ? { dpop: 'on' as const } : {}),
    },
    resource,
    authorizationServers: servers,
    metadataUrl: metadataUrl.href,
    canRegister,
    dpopSupported: dpopAlgs.length > 0,
  };
}

/** Step 2's failure: where the metadata was looked for, and what happened. */
function notFound(named: string | undefined, api: URL, first: Exchange, what: string): string {
  if (named) return `the metadata the API named (${named}) ${what}`;
  return `${api.host} answered HTTP ${first.last?.status ?? '?'} without naming its metadata (no resource_metadata in a 401), and ${wellKnown(api)} ${what}`;
}

/** RFC 9728 §3.1: the well-known URL of a resource identifier. */
function wellKnown(api: URL): string {
  const path = api.pathname === '/' ? '' : api.pathname.replace(/\/$/, '');
  return `${api.origin}/.well-known/oauth-protected-resource${path}`;
}

/**
 * The `resource_metadata` and `scope` auth-params of a 401's WWW-Authenticate (RFC 9728 §5.1,
 * RFC 6750 §3), quoted or not, whichever challenge (Bearer or DPoP) carries them.
 */
export function bearerChallenge(header: string | null | undefined): {
  resourceMetadata?: string;
  scope?: string;
} {
  if (!header) return {};
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/([\w-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s"]+))/g)) {
    const name = match[1]!.toLowerCase();
    params[name] ??= (match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return {
    ...(params.resource_metadata ? { resourceMetadata: params.resource_metadata } : {}),
    ...(params.scope ? { scope: params.scope } : {}),
  };
}

function metadataProblem(error: unknown, exchange: Exchange, api: URL, url: URL): string {
  if (
    error instanceof oauth.OperationProcessingError &&
    error.code === oauth.JSON_ATTRIBUTE_COMPARISON
  ) {
    const named = parseJsonObject(exchange.last?.text ?? '')?.resource;
    return `the metadata at ${url.href} is for ${typeof named === 'string' ? named.slice(0, 200) : 'another resource'}, not ${api.href} (RFC 9728 §3.3); if you trust it, use that URL as the API URL`;
  }
  const last = exchange.last;
  if (!last) return `${url.href} gave no usable answer`;
  if (last.status !== 200) return `${url.href} answered HTTP ${last.status}`;
  return `${url.href} is not protected resource metadata (${firstLine(last.text) || 'empty body'})`;
}

function stepFailure(
  step: number,
  what: string,
  error?: unknown,
  exchange?: Exchange,
): TokendeckError {
  const transport = error !== undefined && exchange ? transportError(error, exchange) : undefined;
  const code =
    transport && transport.code !== 'response_too_large' ? transport.code : 'discovery_failed';
  const detail = transport && !what.includes(transport.message) ? `: ${transport.message}` : '';
  return new TokendeckError(code, `Step ${step} of ${STEPS}: ${what}${detail}.`, {
    cause: error,
    details: { step, ...(transport?.details.host ? { host: transport.details.host } : {}) },
  });
}

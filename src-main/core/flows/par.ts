import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { createExchange } from '../providers';
import { dpopOption, withNonceRetry } from './dpop';
import type { FlowOptions } from './options';
import { quirkFetch } from './quirks';
import { clientAuthFor, type ResolvedProvider } from './resolve';
import { tokenEndpointError } from './token-response';

/**
 * Whether the authorization request is pushed first (RFC 9126): when the server requires it
 * (`require_pushed_authorization_requests`, §5), or the profile asks for it.
 */
export function usesPar(resolved: ResolvedProvider): boolean {
  return (
    resolved.as.require_pushed_authorization_requests === true || resolved.profile.par === true
  );
}

/**
 * Pushes the authorization request's parameters to the server (RFC 9126 §2) and returns the URL
 * the browser opens: the authorization endpoint with only `client_id` and the `request_uri` the
 * server gave (§4). The client authenticates as at the token endpoint; with DPoP the push carries
 * a proof, which binds the code to the key (RFC 9449 §10.1).
 */
export async function pushAuthorizationRequest(
  resolved: ResolvedProvider,
  authorizationUrl: URL,
  parameters: URLSearchParams,
  dpop: oauth.DPoPHandle | undefined,
  options: FlowOptions,
): Promise<URL> {
  const { as, client, profile } = resolved;
  const endpoint = as.pushed_authorization_request_endpoint;
  if (!endpoint) {
    throw new TokendeckError(
      'profile_incomplete',
      `Provider "${profile.id}" uses pushed authorization requests but has no PAR endpoint.`,
      { details: { field: 'endpoints.par' } },
    );
  }
  const exchange = createExchange(
    endpoint,
    'PAR endpoint',
    { ...options, timeoutMs: undefined },
    quirkFetch(profile, options.logger),
  );
  let requestUri: string;
  try {
    const pushed = await withNonceRetry(dpop, async () => {
      const response = await oauth.pushedAuthorizationRequest(
        as,
        client,
        clientAuthFor(resolved),
        parameters,
        { ...exchange.options, ...dpopOption(dpop) },
      );
      return oauth.processPushedAuthorizationResponse(as, client, response);
    });
    requestUri = pushed.request_uri;
  } catch (error) {
    throw tokenEndpointError(error, exchange, Date.now(), 'PAR endpoint');
  }
  const url = new URL(authorizationUrl.href);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('request_uri', requestUri);
  return url;
}

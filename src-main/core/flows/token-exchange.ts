import * as oauth from 'oauth4webapi';
import { nullLogger, registerSecret } from '../log';
import type { PrivateJwk, TokenSet } from '../model';
import { systemClock } from '../ports';
import { createExchange } from '../providers';
import { dpopHandle, dpopOption, newDpopKey, wantsDpop, withNonceRetry } from './dpop';
import type { FlowOptions } from './options';
import { quirkFetch, tokenTypeOptions } from './quirks';
import { clientAuthFor, requireEndpoint, type ResolvedProvider } from './resolve';
import { normalizeTokens, tokenEndpointError } from './token-response';

/** RFC 8693 §2.1 and §3. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export interface ExchangeRequest {
  /** The parent account's fresh access token. */
  subjectToken: string;
  audience: string;
  scopes: string[];
  resource?: string | undefined;
  /** The child's DPoP key, on a re-exchange; a first exchange makes one when the profile wants. */
  dpopKey?: PrivateJwk | undefined;
}

/**
 * Trades an access token for another one (RFC 8693 §2), through oauth4webapi's generic grant.
 *
 * Sends the subject token as an access token, asks for an access token for `audience` (with
 * `scope` and an RFC 8707 `resource` when given), authenticated as the provider's client. A
 * refresh token in the answer is not kept: the child renews by exchanging again, so that it
 * never outlives what its parent may do. Failures are classified like any token endpoint call.
 */
export async function exchangeToken(
  resolved: ResolvedProvider,
  request: ExchangeRequest,
  options: FlowOptions = {},
): Promise<TokenSet> {
  const { profile, as, client } = resolved;
  const logger = options.logger ?? nullLogger;
  const clock = options.clock ?? systemClock;
  const tokenEndpoint = requireEndpoint(resolved, 'token_endpoint');
  const clientAuth = clientAuthFor(resolved);
  registerSecret(request.subjectToken);
  const parameters = new URLSearchParams(profile.tokenParams);
  parameters.set('subject_token', request.subjectToken);
  parameters.set('subject_token_type', ACCESS_TOKEN_TYPE);
  parameters.set('requested_token_type', ACCESS_TOKEN_TYPE);
  parameters.set('audience', request.audience);
  if (request.scopes.length > 0) parameters.set('scope', request.scopes.join(' '));
  if (request.resource) parameters.set('resource', request.resource);
  const dpopKey = request.dpopKey ?? (wantsDpop(profile, as) ? await newDpopKey() : undefined);
  const dpop = dpopKey ? await dpopHandle(dpopKey) : undefined;
  const exchange = createExchange(
    tokenEndpoint,
    'token endpoint',
    options,
    quirkFetch(profile, logger),
  );
  try {
    let receivedAt = 0;
    const result = await withNonceRetry(dpop, async () => {
      const response = await oauth.genericTokenEndpointRequest(
        as,
        client,
        clientAuth,
        TOKEN_EXCHANGE_GRANT,
        parameters,
        { ...exchange.options, ...dpopOption(dpop) },
      );
      receivedAt = clock.now();
      return oauth.processGenericTokenEndpointResponse(
        as,
        client,
        response,
        tokenTypeOptions(profile),
      );
    });
    logger.info('token exchanged', { provider: profile.id, audience: request.audience });
    const { refresh_token: _dropped, ...withoutRefresh } = result;
    registerSecret(_dropped);
    return normalizeTokens(withoutRefresh as oauth.TokenEndpointResponse, {
      receivedAt,
      requestedScopes: request.scopes,
      dpopKey,
    });
  } catch (error) {
    throw tokenEndpointError(error, exchange, clock.now());
  }
}

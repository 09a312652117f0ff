import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { nullLogger, registerSecret } from '../log';
import type { StoredTokens, TokenSet } from '../model';
import { systemClock } from '../ports';
import { createExchange } from '../providers';
import { clientCredentialsFlow } from './client-credentials';
import { dpopHandle, dpopOption, withNonceRetry } from './dpop';
import type { FlowOptions } from './options';
import { quirkFetch, tokenTypeOptions } from './quirks';
import { clientAuthFor, requireEndpoint, type ResolvedProvider } from './resolve';
import { normalizeTokens, tokenEndpointError } from './token-response';

/**
 * Renews an account's tokens without the user.
 *
 * Accounts where a person signed in (authorization code, device) use the refresh_token grant
 * (RFC 6749 §6) when they have a refresh token; a response without a new refresh token keeps the
 * old one (SECURITY 32). Client credentials accounts run the grant again. DPoP-bound tokens are
 * renewed with a proof from the same key (RFC 9449 §5). Anything else is `cannot_renew`.
 */
export async function renewTokens(
  resolved: ResolvedProvider,
  current: StoredTokens,
  options: FlowOptions = {},
): Promise<TokenSet> {
  const { profile, as, client } = resolved;
  if (profile.grant === 'client_credentials')
    return (await clientCredentialsFlow(resolved, options, current.dpopKey)).tokens;
  const signedIn = profile.grant === 'authorization_code' || profile.grant === 'device_code';
  if (!signedIn || !current.refreshToken) {
    throw new TokendeckError(
      'cannot_renew',
      profile.grant === 'api_key'
        ? 'An API key cannot be renewed; paste a new one.'
        : 'There is no refresh token; connect the account again.',
      { details: { grant: profile.grant } },
    );
  }
  const logger = options.logger ?? nullLogger;
  const clock = options.clock ?? systemClock;
  registerSecret(current.refreshToken);
  const tokenEndpoint = requireEndpoint(resolved, 'token_endpoint');
  const clientAuth = clientAuthFor(resolved);
  const exchange = createExchange(
    tokenEndpoint,
    'token endpoint',
    options,
    quirkFetch(profile, logger),
  );
  const refreshToken = current.refreshToken;
  const dpop = current.dpopKey ? await dpopHandle(current.dpopKey) : undefined;
  try {
    let receivedAt = 0;
    const result = await withNonceRetry(dpop, async () => {
      const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, {
        ...exchange.options,
        ...dpopOption(dpop),
        additionalParameters: profile.tokenParams,
      });
      receivedAt = clock.now();
      return oauth.processRefreshTokenResponse(as, client, response, tokenTypeOptions(profile));
    });
    logger.info('tokens refreshed', {
      provider: profile.id,
      rotated: result.refresh_token !== undefined,
    });
    return normalizeTokens(result, {
      receivedAt,
      requestedScopes: profile.scopes,
      previous: current,
      dpopKey: current.dpopKey,
      assumedLifetimeSec: profile.quirks.assumeExpiresIn,
    });
  } catch (error) {
    throw tokenEndpointError(error, exchange, clock.now());
  }
}

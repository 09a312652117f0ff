import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { nullLogger, registerSecret } from '../log';
import type { StoredTokens, TokenSet } from '../model';
import { systemClock } from '../ports';
import { createExchange } from '../providers';
import { clientCredentialsFlow } from './client-credentials';
import type { FlowOptions } from './options';
import { quirkFetch, tokenTypeOptions } from './quirks';
import { clientAuthFor, requireEndpoint, type ResolvedProvider } from './resolve';
import { normalizeTokens, tokenEndpointError } from './token-response';

/**
 * Renews an account's tokens without the user.
 *
 * Authorization code accounts with a refresh token use the refresh_token grant (RFC 6749 §6);
 * a response without a new refresh token keeps the old one (SECURITY 32). Client credentials
 * accounts run the grant again. Anything else is `cannot_renew`.
 */
export async function renewTokens(
  resolved: ResolvedProvider,
  current: StoredTokens,
  options: FlowOptions = {},
): Promise<TokenSet> {
  const { profile, as, client } = resolved;
  if (profile.grant === 'client_credentials')
    return (await clientCredentialsFlow(resolved, options)).tokens;
  if (profile.grant !== 'authorization_code' || !current.refreshToken) {
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
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuth,
      current.refreshToken,
      {
        ...exchange.options,
        additionalParameters: profile.tokenParams,
      },
    );
    const receivedAt = clock.now();
    const result = await oauth.processRefreshTokenResponse(
      as,
      client,
      response,
      tokenTypeOptions(profile),
    );
    logger.info('tokens refreshed', {
      provider: profile.id,
      rotated: result.refresh_token !== undefined,
    });
    return normalizeTokens(result, {
      receivedAt,
      requestedScopes: profile.scopes,
      previous: current,
      assumedLifetimeSec: profile.quirks.assumeExpiresIn,
    });
  } catch (error) {
    throw tokenEndpointError(error, exchange, clock.now());
  }
}

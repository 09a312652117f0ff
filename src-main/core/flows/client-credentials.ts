import * as oauth from 'oauth4webapi';
import { nullLogger } from '../log';
import { systemClock } from '../ports';
import { createExchange } from '../providers';
import type { PrivateJwk } from '../model';
import { dpopHandle, dpopOption, newDpopKey, wantsDpop, withNonceRetry } from './dpop';
import type { FlowOptions, FlowResult } from './options';
import { quirkFetch, tokenTypeOptions } from './quirks';
import { clientAuthFor, requireEndpoint, type ResolvedProvider } from './resolve';
import { normalizeTokens, tokenEndpointError } from './token-response';

/**
 * Runs the client credentials grant (RFC 6749 §4.4).
 *
 * The client authenticates as its profile says; `json` sends the same fields as a JSON body
 * through the quirk seam. The requested scopes and the profile's token parameters are sent.
 * With DPoP the request carries a proof with the account's key (`dpopKey` on a renewal, a new
 * key on a first connect).
 */
export async function clientCredentialsFlow(
  resolved: ResolvedProvider,
  options: FlowOptions = {},
  existingKey?: PrivateJwk,
): Promise<FlowResult> {
  const { profile, as, client } = resolved;
  const logger = options.logger ?? nullLogger;
  const clock = options.clock ?? systemClock;
  const tokenEndpoint = requireEndpoint(resolved, 'token_endpoint');
  const clientAuth = clientAuthFor(resolved);
  const parameters = new URLSearchParams(profile.tokenParams);
  if (profile.scopes.length > 0) parameters.set('scope', profile.scopes.join(' '));
  const exchange = createExchange(
    tokenEndpoint,
    'token endpoint',
    options,
    quirkFetch(profile, logger),
  );
  const dpopKey = existingKey ?? (wantsDpop(profile, as) ? await newDpopKey() : undefined);
  const dpop = dpopKey ? await dpopHandle(dpopKey) : undefined;
  options.onProgress?.('exchanging');
  try {
    let receivedAt = 0;
    const result = await withNonceRetry(dpop, async () => {
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        clientAuth,
        parameters,
        { ...exchange.options, ...dpopOption(dpop) },
      );
      receivedAt = clock.now();
      return oauth.processClientCredentialsResponse(
        as,
        client,
        response,
        tokenTypeOptions(profile),
      );
    });
    logger.info('client credentials granted', { provider: profile.id });
    return {
      tokens: normalizeTokens(result, {
        receivedAt,
        requestedScopes: profile.scopes,
        dpopKey,
        assumedLifetimeSec: profile.quirks.assumeExpiresIn,
      }),
    };
  } catch (error) {
    throw tokenEndpointError(error, exchange, clock.now());
  }
}

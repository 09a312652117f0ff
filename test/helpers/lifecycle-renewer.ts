import { TokendeckError } from '../../src-main/core/errors';
import type { Renewer } from '../../src-main/core/lifecycle';
import type { TokenSet } from '../../src-main/core/model';
import { systemClock, type Clock } from '../../src-main/core/ports';

/**
 * A plain-fetch refresh_token renewer against the lifecycle test server.
 *
 * The provider id is sent as client_id. Errors map to the codes the real flows use.
 * `afterResponse` runs once the provider answered and before the lifecycle may persist: the
 * kill-safety test stops the process there.
 */
export function createFetchRenewer(options: {
  tokenUrl: string;
  clock?: Clock;
  afterResponse?: (tokens: TokenSet) => Promise<void> | void;
}): Renewer {
  const clock = options.clock ?? systemClock;
  return async (account, tokens, signal) => {
    if (!tokens.refreshToken) throw new TokendeckError('cannot_renew', 'No refresh token.');
    let response: Response;
    try {
      response = await fetch(options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: tokens.refreshToken,
          client_id: account.providerId,
        }),
        signal,
      });
    } catch (error) {
      throw new TokendeckError('network_error', 'The token endpoint could not be reached.', {
        cause: error,
      });
    }
    const body = (await response.json()) as Record<string, unknown>;
    const receivedAt = clock.now();
    if (response.status === 429) {
      throw new TokendeckError('rate_limited', 'Rate limited.', {
        details: { retryAfterMs: 60_000 },
      });
    }
    if (!response.ok) {
      if (body.error === 'invalid_grant') throw new TokendeckError('invalid_grant', 'Refused.');
      throw new TokendeckError('token_endpoint_error', 'Token endpoint failed.', {
        details: { status: response.status, transient: response.status >= 500 },
      });
    }
    const set: TokenSet = {
      accessToken: String(body.access_token),
      tokenType: String(body.token_type),
      expiresAt: receivedAt + Number(body.expires_in) * 1000,
      receivedAt,
      scopes: String(body.scope).split(' '),
    };
    if (typeof body.refresh_token === 'string') set.refreshToken = body.refresh_token;
    await options.afterResponse?.(set);
    return set;
  };
}

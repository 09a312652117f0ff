import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { nullLogger, registerSecret } from '../log';
import { startLoopbackListener } from '../loopback';
import type { BrowserOpener } from '../ports';
import { systemClock } from '../ports';
import { assertSecureUrl, createExchange, type ProviderProfile } from '../providers';
import { dpopHandle, dpopOption, newDpopKey, wantsDpop, withNonceRetry } from './dpop';
import { BROWSER_TIMEOUT_MS, type FlowOptions, type FlowResult } from './options';
import { pushAuthorizationRequest, usesPar } from './par';
import { quirkFetch, tokenTypeOptions } from './quirks';
import { clientAuthFor, requireEndpoint, type ResolvedProvider } from './resolve';
import { normalizeTokens, tokenEndpointError } from './token-response';

/**
 * Runs the authorization code grant through the system browser and a loopback redirect.
 *
 * RFC 6749 §4.1 with PKCE S256 (RFC 7636 §4) and a fresh state always, a nonce when `openid` is
 * requested, the `iss` check of RFC 9207 §2.4, and the loopback redirect of RFC 8252 §7.3: an
 * ephemeral 127.0.0.1 port, or the fixed redirect's port and path. Verifier, state, nonce and
 * redirect belong to this one call (SECURITY 18), and the code is exchanged with the identical
 * redirect_uri (RFC 6749 §4.1.3). Only the https (or loopback http) URL built here is opened.
 *
 * The request is pushed first (RFC 9126) when the server requires it or the profile asks. With
 * DPoP (RFC 9449) a new key is made for the account: the code is bound to it (`dpop_jkt`, or the
 * proof on the push, §10) and the token request carries a proof.
 */
export async function authorizationCodeFlow(
  resolved: ResolvedProvider,
  browser: BrowserOpener,
  options: FlowOptions = {},
): Promise<FlowResult> {
  const { profile, as, client } = resolved;
  const logger = options.logger ?? nullLogger;
  const clock = options.clock ?? systemClock;
  const authorizationUrl = assertSecureUrl(
    requireEndpoint(resolved, 'authorization_endpoint'),
    'authorization endpoint',
  );
  requireEndpoint(resolved, 'token_endpoint');
  const clientAuth = clientAuthFor(resolved);

  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const nonce = profile.scopes.includes('openid') ? oauth.generateRandomNonce() : undefined;
  const dpopKey = wantsDpop(profile, as) ? await newDpopKey() : undefined;
  const dpop = dpopKey ? await dpopHandle(dpopKey) : undefined;
  registerSecret(verifier);
  registerSecret(state);
  registerSecret(nonce);

  const target = redirectTarget(profile);
  const listener = await startLoopbackListener({
    host: target.host,
    port: target.port,
    path: target.path,
    state,
    timeoutMs: options.timeoutMs ?? BROWSER_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
    logger,
    validate: (params) => validateCallback(resolved, params, state),
  });
  try {
    const redirectUri = target.uri ?? listener.redirectUri;
    const parameters = new URLSearchParams(profile.authorizeParams);
    parameters.set('client_id', client.client_id);
    parameters.set('response_type', 'code');
    parameters.set('redirect_uri', redirectUri);
    if (profile.scopes.length > 0) parameters.set('scope', profile.scopes.join(' '));
    parameters.set('state', state);
    parameters.set('code_challenge', challenge);
    parameters.set('code_challenge_method', 'S256');
    if (nonce) parameters.set('nonce', nonce);
    if (usesPar(resolved)) {
      const pushed = await pushAuthorizationRequest(
        resolved,
        authorizationUrl,
        parameters,
        dpop,
        options,
      );
      authorizationUrl.search = pushed.search;
    } else {
      if (dpop) parameters.set('dpop_jkt', await dpop.calculateThumbprint());
      for (const [key, value] of parameters) authorizationUrl.searchParams.set(key, value);
    }

    options.onProgress?.('waiting-for-browser', { authorizationUrl: authorizationUrl.href });
    logger.info('waiting for the browser', { provider: profile.id, redirect: redirectUri });
    try {
      await browser.open(authorizationUrl.href);
    } catch (cause) {
      throw new TokendeckError(
        'browser_failed',
        'The system browser could not be opened; open the sign-in link by hand.',
        { cause },
      );
    }
    const params = await listener.result;

    options.onProgress?.('exchanging');
    const exchange = createExchange(
      as.token_endpoint!,
      'token endpoint',
      { ...options, timeoutMs: undefined },
      quirkFetch(profile, logger),
    );
    try {
      let receivedAt = 0;
      const result = await withNonceRetry(dpop, async () => {
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          clientAuth,
          params,
          redirectUri,
          verifier,
          {
            ...exchange.options,
            ...dpopOption(dpop),
            additionalParameters: profile.tokenParams,
          },
        );
        receivedAt = clock.now();
        return oauth.processAuthorizationCodeResponse(as, client, response, {
          ...tokenTypeOptions(profile),
          ...(nonce ? { expectedNonce: nonce } : {}),
        });
      });
      const claims = oauth.getValidatedIdTokenClaims(result);
      logger.info('authorization code exchanged', { provider: profile.id, dpop: Boolean(dpop) });
      return {
        tokens: normalizeTokens(result, {
          receivedAt,
          requestedScopes: profile.scopes,
          dpopKey,
          assumedLifetimeSec: profile.quirks.assumeExpiresIn,
        }),
        ...(claims ? { idTokenClaims: { ...claims } } : {}),
      };
    } catch (error) {
      throw tokenEndpointError(error, exchange, clock.now());
    }
  } finally {
    listener.close();
  }
}

/**
 * Where to listen: an ephemeral port on 127.0.0.1 (RFC 8252 §8.3), or exactly the fixed
 * redirect's host, port and path (the URI is sent exactly as registered; SECURITY 13).
 */
function redirectTarget(profile: ProviderProfile): {
  host: string;
  port: number;
  path: string;
  uri?: string;
} {
  const redirect = profile.redirect;
  if (redirect.mode === 'loopback') return { host: '127.0.0.1', port: 0, path: redirect.path };
  const url = new URL(redirect.uri);
  return {
    host: url.hostname,
    port: Number(url.port || 80),
    path: url.pathname,
    uri: redirect.uri,
  };
}

/**
 * Checks a callback that has the right state and a code with oauth4webapi (RFC 9207 §2.4).
 *
 * A wrong `iss`, or none when the server advertises `authorization_response_iss_parameter_supported`,
 * fails the flow with `callback_invalid`.
 */
function validateCallback(
  resolved: ResolvedProvider,
  params: URLSearchParams,
  state: string,
): URLSearchParams {
  try {
    return oauth.validateAuthResponse(resolved.as, resolved.client, params, state);
  } catch (cause) {
    const iss = params.get('iss');
    if (!(cause instanceof Error && cause.message.includes('"iss"'))) {
      throw new TokendeckError('callback_invalid', 'The callback failed validation.', {
        cause,
        details: { reason: 'invalid' },
      });
    }
    const message =
      iss === null
        ? 'The callback has no iss parameter although the server promises one (RFC 9207); it may come from another server.'
        : `The callback names ${iss.slice(0, 200)} as its issuer, not ${resolved.as.issuer} (RFC 9207 mix-up defence).`;
    throw new TokendeckError('callback_invalid', message, {
      cause,
      details: {
        reason: 'iss',
        expected: resolved.as.issuer,
        received: iss === null ? null : iss.slice(0, 200),
      },
    });
  }
}

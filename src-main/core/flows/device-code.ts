import { setTimeout as sleep } from 'node:timers/promises';
import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { nullLogger, registerSecret } from '../log';
import type { BrowserOpener } from '../ports';
import { systemClock } from '../ports';
import { assertSecureUrl, createExchange } from '../providers';
import { dpopHandle, dpopOption, newDpopKey, wantsDpop, withNonceRetry } from './dpop';
import type { DeviceCodes } from '../api';
import { BROWSER_TIMEOUT_MS, type FlowOptions, type FlowResult } from './options';
import { quirkFetch, tokenTypeOptions } from './quirks';
import { clientAuthFor, requireEndpoint, type ResolvedProvider } from './resolve';
import { normalizeTokens, tokenEndpointError } from './token-response';

/** RFC 8628 §3.2: the interval when the server gives none, and what `slow_down` adds (§3.5). */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_S = 5;

/**
 * Runs the device authorization grant (RFC 8628), for machines without a local browser.
 *
 * 1. Asks the device authorization endpoint for a device code and a user code (§3.1), with the
 *    profile's scopes and authorize parameters (an RFC 8707 `resource`, say).
 * 2. Reports where to go and what to enter (`waiting-for-user`), and opens the browser on
 *    `verification_uri_complete` when the server gives one (§3.3.1).
 * 3. Polls the token endpoint at the server's interval (§3.4, §3.5): `authorization_pending`
 *    waits, `slow_down` adds five seconds to the interval for good, `access_denied` fails with
 *    `callback_error`, and `expired_token`, or the code's own expiry, fails with `flow_timeout`.
 *    The caller's cancel stops the wait at once (`flow_cancelled`).
 *
 * With DPoP the token request carries a proof from a new key for the account.
 */
export async function deviceCodeFlow(
  resolved: ResolvedProvider,
  browser: BrowserOpener,
  options: FlowOptions = {},
): Promise<FlowResult> {
  const { profile, as, client } = resolved;
  const logger = options.logger ?? nullLogger;
  const clock = options.clock ?? systemClock;
  const endpoint = requireEndpoint(resolved, 'device_authorization_endpoint');
  requireEndpoint(resolved, 'token_endpoint');
  const clientAuth = clientAuthFor(resolved);
  const dpopKey = wantsDpop(profile, as) ? await newDpopKey() : undefined;
  const dpop = dpopKey ? await dpopHandle(dpopKey) : undefined;
  const perRequest = { ...options, timeoutMs: undefined };

  const parameters = new URLSearchParams(profile.authorizeParams);
  if (profile.scopes.length > 0) parameters.set('scope', profile.scopes.join(' '));
  const asking = createExchange(
    endpoint,
    'device authorization endpoint',
    perRequest,
    quirkFetch(profile, logger),
  );
  let answer: oauth.DeviceAuthorizationResponse;
  try {
    const response = await oauth.deviceAuthorizationRequest(
      as,
      client,
      clientAuth,
      parameters,
      asking.options,
    );
    answer = await oauth.processDeviceAuthorizationResponse(as, client, response);
  } catch (error) {
    throw tokenEndpointError(error, asking, clock.now(), 'device authorization endpoint');
  }
  registerSecret(answer.device_code);
  const started = clock.now();
  const codes: DeviceCodes = {
    verificationUri: answer.verification_uri,
    userCode: answer.user_code,
    ...(answer.verification_uri_complete
      ? { verificationUriComplete: answer.verification_uri_complete }
      : {}),
    expiresAt: started + answer.expires_in * 1000,
    interval: answer.interval ?? DEFAULT_INTERVAL_S,
  };
  options.onProgress?.('waiting-for-user', { device: codes });
  logger.info('waiting for the user to enter the device code', { provider: profile.id });
  if (codes.verificationUriComplete) {
    // Only an https (or loopback http) page is opened; the user can always type the code.
    try {
      const page = assertSecureUrl(codes.verificationUriComplete, 'verification_uri_complete');
      await browser.open(page.href, 'device');
    } catch (error) {
      logger.warn('did not open the browser for the device code', { error });
    }
  }

  const deadline = Math.min(codes.expiresAt, started + (options.timeoutMs ?? BROWSER_TIMEOUT_MS));
  let interval = Math.max(1, codes.interval);
  for (;;) {
    await wait(interval * 1000, options.signal);
    if (clock.now() >= deadline) throw expired();
    const polling = createExchange(
      as.token_endpoint!,
      'token endpoint',
      perRequest,
      quirkFetch(profile, logger),
    );
    try {
      let receivedAt = 0;
      const result = await withNonceRetry(dpop, async () => {
        const response = await oauth.deviceCodeGrantRequest(
          as,
          client,
          clientAuth,
          answer.device_code,
          { ...polling.options, ...dpopOption(dpop), additionalParameters: profile.tokenParams },
        );
        receivedAt = clock.now();
        return oauth.processDeviceCodeResponse(as, client, response, tokenTypeOptions(profile));
      });
      const claims = oauth.getValidatedIdTokenClaims(result);
      logger.info('device code exchanged', { provider: profile.id, dpop: Boolean(dpop) });
      return {
        tokens: normalizeTokens(result, { receivedAt, requestedScopes: profile.scopes, dpopKey }),
        ...(claims ? { idTokenClaims: { ...claims } } : {}),
      };
    } catch (error) {
      const code = error instanceof oauth.ResponseBodyError ? error.error : undefined;
      if (code === 'authorization_pending') continue;
      if (code === 'slow_down') {
        interval += SLOW_DOWN_S;
        logger.info('the server asked to poll more slowly', { provider: profile.id, interval });
        continue;
      }
      if (code === 'expired_token') throw expired();
      if (code === 'access_denied') {
        throw new TokendeckError(
          'callback_error',
          'The sign-in was refused at the verification page (access_denied); nothing was stored.',
          { details: { error: 'access_denied' } },
        );
      }
      throw tokenEndpointError(error, polling, clock.now());
    }
  }
}

async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (cause) {
    throw new TokendeckError('flow_cancelled', 'The sign-in was cancelled.', { cause });
  }
}

function expired(): TokendeckError {
  return new TokendeckError(
    'flow_timeout',
    'The device code expired before the sign-in was finished; connect again for a new code.',
    { details: { reason: 'expired_token' } },
  );
}

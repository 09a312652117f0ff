import { TokendeckError, assertNever } from '../errors';
import type { ConsoleContext } from './ports';
import type { RequestSpec, ResponseView } from './types';

/**
 * Checking a token with the provider before handing it out: `tokendeck token --verify`.
 *
 * A token the provider issued without an expiry is only known to be dead when it is refused. The
 * check is the profile's "who am I" call, sent through the console engine, so a 401 renews the
 * token once and retries once (SECURITY 34), and the token goes only where the profile says.
 */

/** The who-am-I call as a console request; `unsupported` for a profile without one. */
export function verificationRequest(context: ConsoleContext): RequestSpec {
  const { account, profile } = context;
  const whoami = profile.whoami;
  const base = {
    accountId: account.id,
    headers: [['Accept', 'application/json']] as [string, string][],
  };
  switch (whoami.kind) {
    case 'userinfo': {
      const url = profile.endpoints.userinfo ?? context.userinfoEndpoint;
      if (!url) throw noCall(profile.id, 'its userinfo endpoint is not known');
      // A userinfo endpoint from the issuer's own metadata is the provider's, wherever it is.
      return { kind: 'rest', method: 'GET', url, ...base, allowForeignOrigin: true };
    }
    case 'rest':
      return { kind: 'rest', method: 'GET', url: whoami.url, ...base };
    case 'graphql':
      return { kind: 'graphql', query: whoami.query, ...base };
    case 'id_token':
    case 'none':
      throw noCall(profile.id, 'it has no who-am-I call');
    default:
      return assertNever(whoami, 'whoami kind');
  }
}

/**
 * Throws unless the who-am-I call accepted the token.
 *
 * A 401 that renewing could not fix is `needs_reauth` (the renewal was refused, or there is no
 * way to renew) or `http_error` (a renewed token was refused too); any other failure is
 * `whoami_failed`. Either way the token is not vouched for.
 */
export function assertVerified(view: ResponseView, host: string): void {
  if (view.status >= 200 && view.status < 300) return;
  if (view.status === 401) {
    if (view.renewalError) {
      throw new TokendeckError(
        'needs_reauth',
        `${host} refused the token (HTTP 401) and it could not be renewed: ${view.renewalError.message}`,
        { details: { status: 401, cause: view.renewalError.code } },
      );
    }
    throw new TokendeckError(
      'http_error',
      `${host} refused the token (HTTP 401)${view.retriedAfterRenewal ? ', even after renewing it' : ''}.`,
      { details: { status: 401 } },
    );
  }
  throw new TokendeckError(
    'whoami_failed',
    `The who-am-I call to ${host} answered HTTP ${view.status}, so the token was not verified.`,
    { details: { status: view.status } },
  );
}

function noCall(providerId: string, why: string): TokendeckError {
  return new TokendeckError(
    'unsupported',
    `The token of provider "${providerId}" cannot be verified: ${why}. Give it one: tokendeck provider add ${providerId} --replace --whoami rest --whoami-url /me --whoami-subject id`,
  );
}

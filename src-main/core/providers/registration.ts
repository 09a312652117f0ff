import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { nullLogger, registerSecret } from '../log';
import {
  createExchange,
  firstLine,
  oauthErrorFields,
  parseJsonObject,
  transportError,
  type HttpOptions,
} from './http';

export interface RegistrationRequest {
  /** Empty for the device grant, which has no redirect. */
  redirectUris: string[];
  /** Default: authorization_code and refresh_token. */
  grantTypes?: string[];
  clientName?: string;
  scope?: string;
}

export interface RegisteredClient {
  clientId: string;
  clientSecret?: string;
  registrationAccessToken?: string;
  /** The server's answer without its secrets, for display and storage. */
  metadata: Record<string, unknown>;
}

/**
 * Registers Tokendeck as a native public client (RFC 7591 §3.1, RFC 8252 §8.4).
 *
 * Sends `application_type: native`, `token_endpoint_auth_method: none`, the grants (by default
 * authorization_code and refresh_token), response type `code` and the loopback redirect URIs
 * when the grants redirect, none for the device grant alone. A refusal is `registration_failed`
 * with the status and the server's `error` (RFC 7591 §3.2.2).
 */
export async function registerClient(
  as: oauth.AuthorizationServer,
  request: RegistrationRequest,
  options: HttpOptions = {},
): Promise<RegisteredClient> {
  const logger = options.logger ?? nullLogger;
  if (!as.registration_endpoint) {
    throw new TokendeckError('profile_incomplete', `${as.issuer} has no registration endpoint.`, {
      details: { issuer: as.issuer },
    });
  }
  const grantTypes = request.grantTypes ?? ['authorization_code', 'refresh_token'];
  const redirects = grantTypes.includes('authorization_code');
  if (redirects && request.redirectUris.length === 0) {
    throw new TokendeckError('invalid_input', 'Registration needs at least one redirect URI.', {
      details: { field: 'redirectUris' },
    });
  }
  const exchange = createExchange(as.registration_endpoint, 'registration endpoint', options);
  const metadata: Partial<oauth.OmitSymbolProperties<oauth.Client>> = {
    application_type: 'native',
    client_name: request.clientName ?? 'Tokendeck',
    token_endpoint_auth_method: 'none',
    grant_types: grantTypes,
    response_types: redirects ? ['code'] : [],
    ...(redirects ? { redirect_uris: request.redirectUris } : {}),
    ...(request.scope ? { scope: request.scope } : {}),
  };
  let client: Record<string, unknown>;
  try {
    const response = await oauth.dynamicClientRegistrationRequest(as, metadata, exchange.options);
    client = (await oauth.processDynamicClientRegistrationResponse(response)) as Record<
      string,
      unknown
    >;
  } catch (error) {
    const transport = transportError(error, exchange);
    if (transport) throw transport;
    const last = exchange.last;
    const body = last ? parseJsonObject(last.text) : undefined;
    const { error: serverError, description } = oauthErrorFields(body);
    const reason = serverError
      ? `${serverError}${description ? `: ${description}` : ''}`
      : last
        ? `HTTP ${last.status} ${firstLine(last.text)}`.trim()
        : 'no response';
    throw new TokendeckError(
      'registration_failed',
      `Dynamic client registration at ${exchange.url.host} was refused (${reason}).`,
      {
        cause: error,
        details: {
          status: last?.status ?? null,
          error: serverError ?? null,
          ...(description ? { error_description: description } : {}),
        },
      },
    );
  }
  const clientId = String(client.client_id);
  const clientSecret = typeof client.client_secret === 'string' ? client.client_secret : undefined;
  const registrationAccessToken =
    typeof client.registration_access_token === 'string'
      ? client.registration_access_token
      : undefined;
  registerSecret(clientSecret);
  registerSecret(registrationAccessToken);
  const { client_secret: _secret, registration_access_token: _token, ...visible } = client;
  logger.info('client registered', { host: exchange.url.host, clientId });
  return {
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    ...(registrationAccessToken ? { registrationAccessToken } : {}),
    metadata: visible,
  };
}

import * as oauth from 'oauth4webapi';
import { TokendeckError } from '../errors';
import { registerSecret } from '../log';
import type { PrivateJwk } from '../model';
import { assertSecureUrl, baseOrigin, type ProviderProfile } from '../providers';
import { privateKeyJwtAuth } from './client-key';

/** A profile made ready for a flow: the authorization server, the client and its secret or key. */
export interface ResolvedProvider {
  profile: ProviderProfile;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientSecret?: string;
  /** The private key for `private_key_jwt`. */
  clientKey?: PrivateJwk;
}

const ENDPOINTS = [
  ['authorization', 'authorization_endpoint'],
  ['token', 'token_endpoint'],
  ['registration', 'registration_endpoint'],
  ['userinfo', 'userinfo_endpoint'],
  ['revocation', 'revocation_endpoint'],
  ['device', 'device_authorization_endpoint'],
  ['par', 'pushed_authorization_request_endpoint'],
] as const;

/**
 * Builds the authorization server from explicit endpoints layered over discovered metadata.
 *
 * Explicit endpoints win. The issuer is the discovered one, else the profile's; a profile with
 * neither is identified by its {@link baseOrigin} (the origin of its token endpoint, else its
 * authorization endpoint, API base or GraphQL URL), so an `iss` in a callback (RFC 9207) must
 * then name that origin. The client id is the profile's, or the one from dynamic registration.
 * API key profiles need no client.
 */
export function resolveProvider(
  profile: ProviderProfile,
  input: {
    clientSecret?: string;
    clientKey?: PrivateJwk;
    registeredClientId?: string;
    discovered?: oauth.AuthorizationServer;
  },
): ResolvedProvider {
  const discovered = input.discovered;
  const issuer =
    discovered?.issuer ?? profile.issuer ?? baseOrigin(profile) ?? 'urn:tokendeck:no-issuer';
  const endpoints: Record<string, string> = {};
  for (const [field, metadata] of ENDPOINTS) {
    const value = profile.endpoints[field] ?? discovered?.[metadata];
    if (value === undefined) continue;
    assertSecureUrl(value, `${field} endpoint`);
    endpoints[metadata] = value;
  }
  const as: oauth.AuthorizationServer = { ...(discovered ?? {}), ...endpoints, issuer };
  const clientId =
    profile.client.registration === 'dynamic' ? input.registeredClientId : profile.client.clientId;
  if (profile.grant !== 'api_key' && !clientId) {
    throw new TokendeckError(
      'profile_incomplete',
      profile.client.registration === 'dynamic'
        ? `Provider "${profile.id}" has not been registered yet (no client id from dynamic registration).`
        : `Provider "${profile.id}" has no client id.`,
      { details: { field: 'client.clientId' } },
    );
  }
  registerSecret(input.clientSecret);
  return {
    profile,
    as,
    client: { client_id: clientId ?? '' },
    ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}),
    ...(input.clientKey ? { clientKey: input.clientKey } : {}),
  };
}

/**
 * The client authentication for the profile's method (RFC 6749 §2.3.1, RFC 7523 §2.2).
 *
 * `json` authenticates like client_secret_post; the quirk seam then moves the fields into a JSON
 * body. `client_secret_jwt` signs an assertion with the secret (HS256), `private_key_jwt` with
 * the stored key. A method without its stored secret or key is `profile_incomplete`.
 */
export function clientAuthFor(resolved: ResolvedProvider): oauth.ClientAuth {
  const { profile, clientSecret, clientKey } = resolved;
  const method = profile.client.auth;
  if (method === 'none') return oauth.None();
  if (method === 'private_key_jwt') {
    if (!clientKey || !profile.client.key) {
      throw new TokendeckError(
        'profile_incomplete',
        `Provider "${profile.id}" uses private_key_jwt but has no client key stored.`,
        { details: { field: 'clientKey' } },
      );
    }
    return privateKeyJwtAuth(clientKey, profile.client.key);
  }
  if (!clientSecret) {
    throw new TokendeckError(
      'profile_incomplete',
      `Provider "${profile.id}" uses ${method} but has no client secret stored.`,
      {
        details: { field: 'clientSecret' },
      },
    );
  }
  if (method === 'client_secret_jwt') return oauth.ClientSecretJwt(clientSecret);
  return method === 'client_secret_basic'
    ? oauth.ClientSecretBasic(clientSecret)
    : oauth.ClientSecretPost(clientSecret);
}

/** The endpoint a flow needs, or `profile_incomplete`. */
export function requireEndpoint(
  resolved: ResolvedProvider,
  field: 'authorization_endpoint' | 'token_endpoint' | 'device_authorization_endpoint',
): string {
  const value = resolved.as[field];
  if (!value) {
    throw new TokendeckError(
      'profile_incomplete',
      `Provider "${resolved.profile.id}" has no ${field.replaceAll('_', ' ')}.`,
      {
        details: { field },
      },
    );
  }
  return value;
}

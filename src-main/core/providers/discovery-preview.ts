import type { AuthorizationServer } from 'oauth4webapi';

/**
 * What an authorization server's metadata says it supports, for the provider form's Discover.
 *
 * Only non-secret facts from the public metadata document (RFC 8414 §2, OpenID Connect
 * Discovery §3): its endpoints, and whether it offers PKCE S256, dynamic registration,
 * revocation, refresh tokens, client credentials and the `iss` response parameter (RFC 9207).
 */
export interface DiscoveryPreview {
  issuer: string;
  endpoints: {
    authorization?: string;
    token?: string;
    registration?: string;
    userinfo?: string;
    revocation?: string;
  };
  jwksUri?: string;
  supports: {
    pkceS256: boolean;
    registration: boolean;
    revocation: boolean;
    refreshToken: boolean;
    clientCredentials: boolean;
    issParameter: boolean;
    openid: boolean;
  };
  scopes: string[];
  /** Client authentication methods the token endpoint accepts, as the server names them. */
  tokenAuthMethods: string[];
}

const MAX_LISTED = 50;

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string').slice(0, MAX_LISTED)
    : [];
}

function url(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function previewDiscovery(metadata: AuthorizationServer): DiscoveryPreview {
  const grants = strings(metadata.grant_types_supported);
  // RFC 8414 §2: when grant_types_supported is omitted the default is authorization_code and implicit.
  const grantList = grants.length > 0 ? grants : ['authorization_code', 'implicit'];
  const endpoints: DiscoveryPreview['endpoints'] = {};
  const pairs: Array<[keyof DiscoveryPreview['endpoints'], unknown]> = [
    ['authorization', metadata.authorization_endpoint],
    ['token', metadata.token_endpoint],
    ['registration', metadata.registration_endpoint],
    ['userinfo', metadata.userinfo_endpoint],
    ['revocation', metadata.revocation_endpoint],
  ];
  for (const [key, value] of pairs) {
    const found = url(value);
    if (found) endpoints[key] = found;
  }
  const scopes = strings(metadata.scopes_supported);
  const jwksUri = url(metadata.jwks_uri);
  return {
    issuer: metadata.issuer,
    endpoints,
    ...(jwksUri ? { jwksUri } : {}),
    supports: {
      pkceS256: strings(metadata.code_challenge_methods_supported).includes('S256'),
      registration: Boolean(endpoints.registration),
      revocation: Boolean(endpoints.revocation),
      refreshToken: grantList.includes('refresh_token'),
      clientCredentials: grantList.includes('client_credentials'),
      issParameter: metadata.authorization_response_iss_parameter_supported === true,
      openid: scopes.includes('openid') || Boolean(metadata.userinfo_endpoint),
    },
    scopes,
    tokenAuthMethods: strings(metadata.token_endpoint_auth_methods_supported),
  };
}

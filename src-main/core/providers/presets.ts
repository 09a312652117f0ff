import { TokendeckError } from '../errors';
import type { ProviderProfileInput } from './profile';
import { rebaseProfile } from './rebase';

/**
 * A built-in provider profile: data only, and every field stays editable.
 *
 * Values in capitals such as YOUR_CLIENT_ID or YOUR_DOMAIN are placeholders the user fills in;
 * {@link findPlaceholders} lists the fields that still hold one.
 */
export interface Preset {
  id: string;
  name: string;
  description: string;
  docsUrl?: string;
  profile: ProviderProfileInput;
}

const PLACEHOLDER = /YOUR_[A-Z_]+/;

export const PRESETS: readonly Preset[] = [
  {
    id: 'attendium',
    name: 'Attendium',
    description:
      'GraphQL API. Discovery at /.well-known/oauth-authorization-server, dynamic registration at /oauth2/register (once), authorization code with PKCE, refresh ahead of expires_in.',
    profile: {
      id: 'attendium',
      name: 'Attendium',
      grant: 'authorization_code',
      issuer: 'https://api.attendium.com',
      endpoints: { registration: 'https://api.attendium.com/oauth2/register' },
      client: { registration: 'dynamic', auth: 'none' },
      use: {
        apiBase: 'https://api.attendium.com',
        graphqlUrl: 'https://api.attendium.com/graphql',
      },
      whoami: { kind: 'graphql', query: '{ me { id } }', subject: 'data.me.id' },
    },
  },
  {
    id: 'attentive-private',
    name: 'Attentive (private app, API key)',
    description:
      'A private app: paste its API key, sent as a Bearer token. The account is named by GET /me. URLs from Attentive’s public docs (docs.attentive.com/pages/authentication).',
    docsUrl: 'https://docs.attentive.com/pages/authentication/',
    profile: {
      id: 'attentive-private',
      name: 'Attentive (private app)',
      grant: 'api_key',
      client: { registration: 'static', auth: 'none' },
      use: {
        apiBase: 'https://api.attentivemobile.com/v1',
        graphqlUrl: 'https://api.attentivemobile.com/v1/graphql',
      },
      whoami: { kind: 'rest', url: '/me', subject: 'companyId', label: 'companyName' },
    },
  },
  {
    id: 'attentive-public',
    name: 'Attentive (public app, OAuth)',
    description:
      'A public app: authorization code with the client secret, at the redirect URL registered on the Manage Distribution tab (set the same one here). The token does not expire; one per installing company. Authorize URL (the install page) and token URL come from Attentive’s public docs and sample apps; edit them if they change. Attentive’s token response carries an opaque id_token, which is ignored.',
    docsUrl: 'https://docs.attentive.com/openapi/reference/tag/Access-Token/',
    profile: {
      id: 'attentive-public',
      name: 'Attentive (public app)',
      grant: 'authorization_code',
      endpoints: {
        authorization: 'https://ui.attentivemobile.com/integrations/oauth-install',
        token: 'https://api.attentivemobile.com/v1/authorization-codes/tokens',
      },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'client_secret_post' },
      scopes: [
        'events:write',
        'ecommerce:write',
        'subscriptions:write',
        'attributes:write',
        'privacy_requests:write',
      ],
      redirect: { mode: 'fixed', uri: 'http://127.0.0.1:8765/callback' },
      use: {
        apiBase: 'https://api.attentivemobile.com/v1',
        graphqlUrl: 'https://api.attentivemobile.com/v1/graphql',
      },
      whoami: { kind: 'rest', url: '/me', subject: 'companyId', label: 'companyName' },
      quirks: { ignoreIdToken: true },
    },
  },
  {
    id: 'custom-oauth2',
    name: 'Custom OAuth 2.0 server',
    description:
      'A plain OAuth 2.0 server with /api/authorize.php, /api/token.php (client id and secret in the form body) and /api/userinfo.php. Move it to your server with the base URL.',
    profile: {
      id: 'custom-oauth2',
      name: 'Custom OAuth 2.0 server',
      grant: 'authorization_code',
      endpoints: {
        authorization: 'https://example.com/api/authorize.php',
        token: 'https://example.com/api/token.php',
      },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'client_secret_post' },
      use: { apiBase: 'https://example.com' },
      whoami: { kind: 'rest', url: '/api/userinfo.php', subject: 'username', label: 'email' },
    },
  },
  {
    id: 'aluma',
    name: 'Aluma',
    description:
      'Client credentials (client id and secret, form-encoded) at /oauth/token. Tokens last expires_in seconds (86400 today).',
    docsUrl: 'https://docs.aluma.io/',
    profile: {
      id: 'aluma',
      name: 'Aluma',
      grant: 'client_credentials',
      endpoints: { token: 'https://api.aluma.io/oauth/token' },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'client_secret_post' },
      use: { apiBase: 'https://api.aluma.io' },
      whoami: { kind: 'none' },
    },
  },
  {
    id: 'eventbookings',
    name: 'EventBookings',
    description:
      'Client credentials sent as a JSON body to /connect/token. The token goes in an "Authorisation" header, as the provider spells it; its token response has no token_type, so Bearer is assumed.',
    profile: {
      id: 'eventbookings',
      name: 'EventBookings',
      grant: 'client_credentials',
      endpoints: { token: 'https://identity.eventbookings.com/connect/token' },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'json' },
      use: { headerName: 'Authorisation', headerPrefix: 'Bearer' },
      whoami: { kind: 'none' },
      quirks: { assumeTokenType: 'Bearer' },
    },
  },
  {
    id: 'github',
    name: 'GitHub',
    description:
      'A GitHub OAuth app (client id and secret). Register http://127.0.0.1/callback as its callback URL; GitHub accepts any port on a loopback callback.',
    docsUrl:
      'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
    profile: {
      id: 'github',
      name: 'GitHub',
      grant: 'authorization_code',
      endpoints: {
        authorization: 'https://github.com/login/oauth/authorize',
        token: 'https://github.com/login/oauth/access_token',
      },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'client_secret_post' },
      scopes: ['read:user'],
      use: { apiBase: 'https://api.github.com', graphqlUrl: 'https://api.github.com/graphql' },
      whoami: { kind: 'rest', url: '/user', subject: 'id', label: 'login' },
    },
  },
  {
    id: 'google',
    name: 'Google',
    description:
      'A Google "Desktop app" OAuth client. OpenID Connect with offline access; the account is named by userinfo.',
    docsUrl: 'https://developers.google.com/identity/protocols/oauth2/native-app',
    profile: {
      id: 'google',
      name: 'Google',
      grant: 'authorization_code',
      issuer: 'https://accounts.google.com',
      endpoints: {
        authorization: 'https://accounts.google.com/o/oauth2/v2/auth',
        token: 'https://oauth2.googleapis.com/token',
        userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
        revocation: 'https://oauth2.googleapis.com/revoke',
      },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'client_secret_post' },
      scopes: ['openid', 'email', 'profile'],
      authorizeParams: { access_type: 'offline', prompt: 'consent' },
      use: { apiBase: 'https://www.googleapis.com' },
      whoami: { kind: 'userinfo', label: 'email' },
    },
  },
  {
    id: 'microsoft-entra',
    name: 'Microsoft Entra ID (common)',
    description:
      'A public client ("Mobile and desktop applications", redirect http://localhost) on the multi-tenant common endpoint, named by Microsoft Graph /me. For one tenant, use https://login.microsoftonline.com/YOUR_TENANT_ID/v2.0 endpoints.',
    docsUrl: 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow',
    profile: {
      id: 'microsoft-entra',
      name: 'Microsoft Entra ID',
      grant: 'authorization_code',
      endpoints: {
        authorization: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
        token: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
      },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'none' },
      scopes: ['offline_access', 'User.Read'],
      use: { apiBase: 'https://graph.microsoft.com/v1.0' },
      whoami: {
        kind: 'rest',
        url: 'https://graph.microsoft.com/v1.0/me',
        subject: 'id',
        label: 'userPrincipalName',
      },
    },
  },
  {
    id: 'gitlab',
    name: 'GitLab',
    description:
      'A GitLab application (non-confidential, PKCE) on gitlab.com; move it to a self-managed instance with the base URL.',
    docsUrl: 'https://docs.gitlab.com/api/oauth2/',
    profile: {
      id: 'gitlab',
      name: 'GitLab',
      grant: 'authorization_code',
      issuer: 'https://gitlab.com',
      endpoints: {
        authorization: 'https://gitlab.com/oauth/authorize',
        token: 'https://gitlab.com/oauth/token',
        userinfo: 'https://gitlab.com/oauth/userinfo',
        revocation: 'https://gitlab.com/oauth/revoke',
      },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'none' },
      scopes: ['openid', 'profile', 'email', 'read_user'],
      use: { apiBase: 'https://gitlab.com/api/v4', graphqlUrl: 'https://gitlab.com/api/graphql' },
      whoami: { kind: 'userinfo', label: 'nickname' },
    },
  },
  {
    id: 'okta',
    name: 'Okta',
    description:
      'A native Okta app integration (PKCE, no secret) on your Okta org; replace YOUR_DOMAIN.',
    docsUrl: 'https://developer.okta.com/docs/reference/api/oidc/',
    profile: {
      id: 'okta',
      name: 'Okta',
      grant: 'authorization_code',
      issuer: 'https://YOUR_DOMAIN.okta.com',
      endpoints: {
        authorization: 'https://YOUR_DOMAIN.okta.com/oauth2/v1/authorize',
        token: 'https://YOUR_DOMAIN.okta.com/oauth2/v1/token',
        userinfo: 'https://YOUR_DOMAIN.okta.com/oauth2/v1/userinfo',
        revocation: 'https://YOUR_DOMAIN.okta.com/oauth2/v1/revoke',
      },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'none' },
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      whoami: { kind: 'userinfo', label: 'email' },
    },
  },
  {
    id: 'auth0',
    name: 'Auth0',
    description:
      'A native Auth0 application on your tenant; replace YOUR_DOMAIN. The issuer keeps its trailing slash.',
    docsUrl:
      'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow-with-pkce',
    profile: {
      id: 'auth0',
      name: 'Auth0',
      grant: 'authorization_code',
      issuer: 'https://YOUR_DOMAIN.auth0.com/',
      endpoints: {
        authorization: 'https://YOUR_DOMAIN.auth0.com/authorize',
        token: 'https://YOUR_DOMAIN.auth0.com/oauth/token',
        userinfo: 'https://YOUR_DOMAIN.auth0.com/userinfo',
        revocation: 'https://YOUR_DOMAIN.auth0.com/oauth/revoke',
      },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'none' },
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      whoami: { kind: 'userinfo', label: 'email' },
    },
  },
  {
    id: 'keycloak',
    name: 'Keycloak',
    description:
      'A public Keycloak client in one realm; replace YOUR_KEYCLOAK_HOST and YOUR_REALM.',
    docsUrl: 'https://www.keycloak.org/securing-apps/oidc-layers',
    profile: {
      id: 'keycloak',
      name: 'Keycloak',
      grant: 'authorization_code',
      issuer: 'https://YOUR_KEYCLOAK_HOST/realms/YOUR_REALM',
      endpoints: {
        authorization: 'https://YOUR_KEYCLOAK_HOST/realms/YOUR_REALM/protocol/openid-connect/auth',
        token: 'https://YOUR_KEYCLOAK_HOST/realms/YOUR_REALM/protocol/openid-connect/token',
        userinfo: 'https://YOUR_KEYCLOAK_HOST/realms/YOUR_REALM/protocol/openid-connect/userinfo',
        revocation: 'https://YOUR_KEYCLOAK_HOST/realms/YOUR_REALM/protocol/openid-connect/revoke',
      },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'none' },
      scopes: ['openid', 'profile', 'email'],
      whoami: { kind: 'userinfo', label: 'preferred_username' },
    },
  },
  {
    id: 'slack',
    name: 'Slack (Sign in with Slack)',
    description:
      'Slack’s OpenID Connect flow with the app’s client id and secret; the redirect URL must be listed in the app’s settings.',
    docsUrl: 'https://api.slack.com/authentication/sign-in-with-slack',
    profile: {
      id: 'slack',
      name: 'Slack',
      grant: 'authorization_code',
      issuer: 'https://slack.com',
      endpoints: {
        authorization: 'https://slack.com/openid/connect/authorize',
        token: 'https://slack.com/api/openid.connect.token',
        userinfo: 'https://slack.com/api/openid.connect.userInfo',
      },
      client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'client_secret_post' },
      scopes: ['openid', 'profile', 'email'],
      use: { apiBase: 'https://slack.com/api' },
      whoami: { kind: 'userinfo', label: 'email' },
    },
  },
];

/** The preset with this id, or `not_found`. */
export function getPreset(id: string): Preset {
  const preset = PRESETS.find((candidate) => candidate.id === id);
  if (!preset) {
    throw new TokendeckError(
      'not_found',
      `No preset "${id}". Known presets: ${PRESETS.map((p) => p.id).join(', ')}.`,
      {
        details: { field: 'presetId' },
      },
    );
  }
  return preset;
}

/**
 * A preset's profile input, with overrides, ready to edit and validate.
 *
 * `baseUrl` moves every URL of the preset that shares its base origin (its issuer's, else its
 * token endpoint's) to the new origin, keeping paths; see {@link rebaseProfile}.
 */
export function profileFromPreset(
  presetId: string,
  overrides: { id?: string; name?: string; baseUrl?: string } = {},
): ProviderProfileInput {
  const preset = getPreset(presetId);
  let profile: ProviderProfileInput = { ...structuredClone(preset.profile), presetId: preset.id };
  if (overrides.id !== undefined) profile.id = overrides.id;
  if (overrides.name !== undefined) profile.name = overrides.name;
  if (overrides.baseUrl !== undefined) profile = rebaseProfile(profile, overrides.baseUrl);
  return profile;
}

/** Dotted paths of the fields that still hold a YOUR_… placeholder. */
export function findPlaceholders(profile: unknown, path = ''): string[] {
  if (typeof profile === 'string') return PLACEHOLDER.test(profile) ? [path] : [];
  if (Array.isArray(profile))
    return profile.flatMap((item, index) => findPlaceholders(item, `${path}.${index}`));
  if (profile && typeof profile === 'object') {
    return Object.entries(profile).flatMap(([key, value]) =>
      findPlaceholders(value, path ? `${path}.${key}` : key),
    );
  }
  return [];
}

/** What a preset leaves for the user to fill in, in words for the catalogue. */
export function presetNeeds(preset: Preset): string[] {
  const { profile } = preset;
  const holes = findPlaceholders(profile);
  const needs: string[] = [];
  if (holes.includes('client.clientId')) needs.push('a client id');
  if (profile.grant !== 'api_key' && profile.client.auth !== 'none') needs.push('a client secret');
  if (holes.some((hole) => hole !== 'client.clientId')) needs.push('your domain');
  if (profile.grant === 'api_key') needs.push('an API key');
  return needs;
}

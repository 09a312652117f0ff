/**
 * A real OAuth 2.0 / OpenID Connect authorization server for tests: node-oidc-provider 9.
 *
 * It listens on 127.0.0.1 with an ephemeral port and its issuer is exactly
 * `http://127.0.0.1:PORT`. Discovery is served at both `/.well-known/openid-configuration` and
 * `/.well-known/oauth-authorization-server` (RFC 8414). Routes are the library's defaults:
 * `/auth`, `/token`, `/reg` (open dynamic registration, RFC 7591), `/token/revocation`
 * (RFC 7009), `/token/introspection`, `/me` (userinfo) and `/jwks`.
 *
 * - `devInteractions`: the library's own login page (any login and password) and consent page
 *   (a "Continue" button), which `createBrowserUser()` drives.
 * - PKCE is required for public clients (`token_endpoint_auth_method: none`); only S256 is offered.
 * - Native clients (`application_type: 'native'`) may register `http://127.0.0.1/...` and then
 *   use any port, as the library implements RFC 8252 §7.3.
 * - Every client whose grant types include `refresh_token` gets a refresh token, with or
 *   without the `offline_access` scope, and refresh tokens do not end with the browser session.
 * - The authorization response always carries `iss` (RFC 9207); v9 has no switch for it and
 *   advertises `authorization_response_iss_parameter_supported: true`.
 * - Console notices and warnings from the library (including its import-time runtime notice,
 *   hence the dynamic import) are silenced while it runs; `server_error` events are still
 *   printed with `console.error`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { default as Provider, ProviderError } from 'oidc-provider';

/** A client for the client credentials grant, registered up front. */
export interface ClientCredentialsClient {
  client_id: string;
  client_secret: string;
  /** Default `client_secret_basic`; `client_secret_post` is also allowed. */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post';
}

/** Options for `startOidcProvider`. */
export interface OidcProviderOptions {
  /** Access token lifetime in seconds, for user and client credentials tokens (default 3600). */
  accessTokenTtl?: number;
  /** Whether each refresh rotates the refresh token (default true). */
  refreshTokenRotation?: boolean;
  /** Clients allowed the client credentials grant. */
  clientCredentialsClients?: ClientCredentialsClient[];
  /**
   * Changes the configuration before the provider is built (more clients, features, pages): for
   * tests of one protocol feature (see oidc-protocols.ts).
   */
  configure?: (config: Record<string, unknown>, issuer: string) => void;
  /** Runs once the provider is built: grant types, middleware. */
  onProvider?: (provider: Provider, issuer: string) => void;
  /**
   * Issue access tokens as signed JWTs (RFC 9068) for the resource `<issuer>/api`, through the
   * library's resource indicators; the default is opaque tokens.
   */
  jwtAccessTokens?: boolean;
}

/** A running node-oidc-provider with its counters. */
export interface OidcProviderServer {
  /** The issuer, `http://127.0.0.1:PORT`, which is also the origin. */
  issuer: string;
  close(): Promise<void>;
  /** POSTs to the token endpoint, accepted or not. */
  readonly tokenRequests: number;
  /** Times a rotated-away refresh token was presented (the library then revokes the grant). */
  readonly refreshReuse: number;
  /** Revocation requests (RFC 7009) the server answered with 200, i.e. accepted. */
  readonly revocations: number;
}

const NOISE_PREFIX = 'oidc-provider ';
let quietDepth = 0;
let restoreConsole: (() => void) | undefined;

/** Drops the library's `oidc-provider NOTICE/WARNING` console lines while a provider runs. */
function quietConsole(): () => void {
  if (quietDepth === 0) {
    const { info, warn } = console;
    const isNoise = (args: unknown[]) =>
      typeof args[0] === 'string' && args[0].includes(NOISE_PREFIX);
    console.info = (...args: unknown[]) => {
      if (!isNoise(args)) info.apply(console, args);
    };
    console.warn = (...args: unknown[]) => {
      if (!isNoise(args)) warn.apply(console, args);
    };
    restoreConsole = () => {
      console.info = info;
      console.warn = warn;
    };
  }
  quietDepth += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    quietDepth -= 1;
    if (quietDepth === 0) restoreConsole?.();
  };
}

/** The account model: any login is an account whose `sub` is that login. */
function findAccount(_ctx: unknown, sub: string) {
  return {
    accountId: sub,
    claims: async () => ({ sub, name: sub, preferred_username: sub, email: `${sub}@example.test` }),
  };
}

interface ClientView {
  grantTypeAllowed(type: string): boolean;
  clientAuthMethod: string;
}

/** Starts node-oidc-provider on 127.0.0.1 with an ephemeral port. */
export async function startOidcProvider(
  options: OidcProviderOptions = {},
): Promise<OidcProviderServer> {
  const accessTokenTtl = options.accessTokenTtl ?? 3600;
  const rotation = options.refreshTokenRotation ?? true;
  const app: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  let tokenRequests = 0;
  let refreshReuse = 0;
  let revocations = 0;

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/token') tokenRequests += 1;
    if (req.method === 'POST' && path === '/token/revocation') {
      res.on('finish', () => {
        if (res.statusCode === 200) revocations += 1;
      });
    }
    if (app.handler) app.handler(req, res);
    else res.writeHead(503).end();
  });
  server.keepAliveTimeout = 1_000;
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const release = quietConsole();
  let provider: Provider;
  try {
    const { default: ProviderClass } = await import('oidc-provider');
    const config: Record<string, unknown> = {
      clients: (options.clientCredentialsClients ?? []).map((client) => ({
        client_id: client.client_id,
        client_secret: client.client_secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: client.token_endpoint_auth_method ?? 'client_secret_basic',
      })),
      claims: {
        openid: ['sub'],
        email: ['email'],
        profile: ['name', 'preferred_username'],
      },
      scopes: ['openid', 'offline_access', 'email', 'profile'],
      responseTypes: ['code'],
      cookies: { keys: ['tokendeck-test-cookie-key'] },
      findAccount,
      features: {
        devInteractions: { enabled: true },
        registration: { enabled: true, initialAccessToken: false },
        revocation: { enabled: true },
        introspection: { enabled: true },
        userinfo: { enabled: true },
        clientCredentials: { enabled: true },
        ...(options.jwtAccessTokens
          ? {
              resourceIndicators: {
                enabled: true,
                defaultResource: () => `${issuer}/api`,
                useGrantedResource: () => true,
                getResourceServerInfo: () => ({
                  scope: 'openid offline_access email profile',
                  audience: `${issuer}/api`,
                  accessTokenFormat: 'jwt',
                  accessTokenTTL: accessTokenTtl,
                }),
              },
            }
          : {}),
      },
      pkce: { required: (_ctx: unknown, client: ClientView) => client.clientAuthMethod === 'none' },
      rotateRefreshToken: rotation,
      issueRefreshToken: async (_ctx: unknown, client: ClientView) =>
        client.grantTypeAllowed('refresh_token'),
      expiresWithSession: async () => false,
      ttl: {
        AccessToken: accessTokenTtl,
        ClientCredentials: accessTokenTtl,
        AuthorizationCode: 60,
        IdToken: 3600,
        RefreshToken: 14 * 24 * 60 * 60,
        Grant: 14 * 24 * 60 * 60,
        Interaction: 60 * 60,
        Session: 14 * 24 * 60 * 60,
      },
    };
    options.configure?.(config, issuer);
    provider = new ProviderClass(issuer, config);
    options.onProvider?.(provider, issuer);
  } catch (error) {
    release();
    server.closeAllConnections();
    server.close();
    throw error;
  }

  provider.on('grant.error', (...args: unknown[]) => {
    const error = args[1] as ProviderError | undefined;
    if (error?.error === 'invalid_grant' && error.error_detail === 'refresh token already used') {
      refreshReuse += 1;
    }
  });
  provider.on('server_error', (...args: unknown[]) => {
    console.error('oidc-provider server_error', args[1]);
  });
  app.handler = provider.callback();

  let closing: Promise<void> | undefined;
  return {
    issuer,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          release();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    get refreshReuse() {
      return refreshReuse;
    },
    get revocations() {
      return revocations;
    },
  };
}

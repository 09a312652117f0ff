/**
 * node-oidc-provider with the protocol features of issue 15 on: the device grant (RFC 8628),
 * DPoP (RFC 9449), PAR (RFC 9126), resource indicators (RFC 8707) issuing JWT access tokens
 * (RFC 9068) for one resource, client authentication by signed assertion (RFC 7523), and a token
 * exchange grant (RFC 8693), which the library lacks and this file registers with
 * `registerGrantType`.
 *
 * - The device pages are plain HTML (the library's load web fonts; this machine has no
 *   internet): a `user_code` field and a Continue button, a confirm page, a success page.
 * - `deviceInterval` adds an `interval` to the device authorization answer; `slowDownPolls`
 *   answers that many pending polls with `slow_down` instead, as a server that wants slower
 *   polling does.
 * - The client `exchanger` is a public native client allowed the code, refresh and token
 *   exchange grants; `jwt-client` authenticates with private_key_jwt (`clientJwks`), and
 *   `hs-client` with client_secret_jwt.
 */
import type { default as Provider, GrantContext, TokenInstance } from 'oidc-provider';
import { startOidcProvider, type OidcProviderServer } from './oidc-provider';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** The secret of `hs-client`, long enough for HS256. */
export const HS_CLIENT_SECRET = 'hs-client-secret-0123456789abcdef0123456789abcdef';

export interface ProtocolServerOptions {
  accessTokenTtl?: number;
  requirePar?: boolean;
  /** Require a server nonce in every DPoP proof at the token endpoint (RFC 9449 §8). */
  dpopNonce?: boolean;
  deviceInterval?: number;
  slowDownPolls?: number;
  /** Seconds a device code lives (default 600). */
  deviceCodeTtl?: number;
  /** The one resource (RFC 8707) the server issues JWT access tokens for. */
  resource?: string;
  /** The public JWKS of `jwt-client` (private_key_jwt). */
  clientJwks?: { keys: Record<string, unknown>[] };
}

export interface ProtocolServer extends OidcProviderServer {
  /** Every token exchange answered: the audience asked for and the token issued. */
  readonly exchanges: Array<{ audience: string; subject: string; token: string }>;
  /** When each device-grant poll reached the token endpoint, in ms. */
  readonly devicePolls: number[];
  /** Client authentication methods seen at the token endpoint, in order. */
  readonly clientAuths: string[];
  /** Ends every grant of an account, as an administrator revoking its access would. */
  revokeGrantsOf(accountId: string): Promise<void>;
}

export async function startProtocolServer(
  options: ProtocolServerOptions = {},
): Promise<ProtocolServer> {
  const exchanges: Array<{ audience: string; subject: string; token: string }> = [];
  const devicePolls: number[] = [];
  const clientAuths: string[] = [];
  const grants: TokenInstance[] = [];
  let slowDowns = options.slowDownPolls ?? 0;
  let provider: Provider | undefined;

  const server = await startOidcProvider({
    accessTokenTtl: options.accessTokenTtl ?? 3600,
    configure(config, issuer) {
      const features = config.features as Record<string, unknown>;
      features.deviceFlow = {
        enabled: true,
        userCodeInputSource: (ctx: { body: string }, form: string) => {
          ctx.body = page(
            'Enter code',
            `${form}<button type="submit" form="op.deviceInputForm">Continue</button>`,
          );
        },
        userCodeConfirmSource: (ctx: { body: string }, form: string) => {
          ctx.body = page(
            'Confirm device',
            `${form}<button type="submit" form="op.deviceConfirmForm">Continue</button>` +
              '<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>',
          );
        },
        successSource: (ctx: { body: string }) => {
          ctx.body = page('Sign-in Success', '<p>You can close this page.</p>');
        },
      };
      features.dPoP = {
        enabled: true,
        ...(options.dpopNonce
          ? { nonceSecret: Buffer.alloc(32, 7), requireNonce: () => true }
          : {}),
      };
      features.pushedAuthorizationRequests = {
        enabled: true,
        requirePushedAuthorizationRequests: options.requirePar ?? false,
      };
      const resource = options.resource;
      features.resourceIndicators = {
        enabled: true,
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string | string[]) => oneOf,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
          return {
            scope: 'openid offline_access api:read',
            audience: resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: options.accessTokenTtl ?? 3600,
          };
        },
      };
      config.ttl = { ...(config.ttl as object), DeviceCode: options.deviceCodeTtl ?? 600 };
      config.scopes = [...(config.scopes as string[]), 'api:read'];
      config.clients = [
        ...(config.clients as unknown[]),
        {
          client_id: 'exchanger',
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE],
          response_types: ['code'],
          redirect_uris: ['http://127.0.0.1/callback'],
        },
        {
          client_id: 'device-client',
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          grant_types: [DEVICE_GRANT, 'refresh_token'],
          response_types: [],
          redirect_uris: [],
        },
        ...(options.clientJwks
          ? [
              {
                client_id: 'jwt-client',
                token_endpoint_auth_method: 'private_key_jwt',
                jwks: options.clientJwks,
                grant_types: ['client_credentials'],
                response_types: [],
                redirect_uris: [],
              },
            ]
          : []),
        {
          client_id: 'hs-client',
          client_secret: HS_CLIENT_SECRET,
          token_endpoint_auth_method: 'client_secret_jwt',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
        },
      ];
      void issuer;
    },
    onProvider(built) {
      provider = built;
      built.on('grant.saved', (grant) => grants.push(grant as TokenInstance));
      built.on('grant.success', (ctx) => {
        const method = (ctx as { oidc?: { client?: { clientAuthMethod?: string } } }).oidc?.client
          ?.clientAuthMethod;
        if (method) clientAuths.push(method);
      });
      built.use(async (ctx, next) => {
        await next();
        const route = ctx.oidc?.route;
        const body = ctx.body as Record<string, unknown> | undefined;
        if (route === 'device_authorization' && ctx.status === 200 && options.deviceInterval) {
          ctx.body = { ...body, interval: options.deviceInterval };
        }
        if (route === 'token' && ctx.oidc?.params?.grant_type === DEVICE_GRANT) {
          devicePolls.push(Date.now());
          if (ctx.status === 400 && body?.error === 'authorization_pending' && slowDowns > 0) {
            slowDowns -= 1;
            ctx.body = { error: 'slow_down', error_description: 'poll more slowly' };
          }
        }
      });
      built.registerGrantType(TOKEN_EXCHANGE, (ctx) => exchange(built, ctx, exchanges), [
        'subject_token',
        'subject_token_type',
        'requested_token_type',
        'audience',
        'resource',
        'scope',
      ]);
    },
  });

  return Object.assign(server, {
    exchanges,
    devicePolls,
    clientAuths,
    async revokeGrantsOf(accountId: string) {
      for (const grant of grants.filter((candidate) => candidate.accountId === accountId)) {
        await grant.destroy();
      }
      if (!provider) throw new Error('the provider is not running');
    },
  });
}

/** RFC 8693 §2: an access token for `audience`, for the subject of a valid access token. */
async function exchange(
  provider: Provider,
  ctx: GrantContext,
  log: Array<{ audience: string; subject: string; token: string }>,
): Promise<void> {
  const { subject_token, subject_token_type, audience, scope } = ctx.oidc.params;
  const { errors } = await import('oidc-provider');
  if (subject_token_type !== ACCESS_TOKEN_TYPE) {
    throw new errors.InvalidRequest!('only access tokens can be exchanged');
  }
  if (!audience) throw new errors.InvalidRequest!('audience is required');
  const subject = subject_token ? await provider.AccessToken.find(subject_token) : undefined;
  if (!subject || subject.isExpired) {
    throw new errors.InvalidGrant!('the subject token is invalid, expired or revoked');
  }
  const token = new provider.AccessToken({
    accountId: subject.accountId,
    client: ctx.oidc.client,
    grantId: subject.grantId,
    gty: 'token_exchange',
    scope: scope ?? subject.scope,
  });
  const value = await token.save();
  log.push({ audience, subject: subject.accountId ?? '', token: value });
  ctx.body = {
    access_token: value,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: 'Bearer',
    expires_in: token.expiration,
    ...(token.scope ? { scope: token.scope } : {}),
  };
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

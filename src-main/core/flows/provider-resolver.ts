import type * as oauth from 'oauth4webapi';
import { TokendeckError, assertNever } from '../errors';
import type { Renewer } from '../lifecycle';
import type { Logger } from '../log';
import type { PrivateJwk } from '../model';
import type { Clock } from '../ports';
import { discover, registerClient, type FetchLike, type ProviderProfile } from '../providers';
import type { StoredProvider } from '../records';
import type { JsonValue } from '../vault';
import { renewTokens } from './renew';
import { resolveProvider, type ResolvedProvider } from './resolve';

/** RFC 8628 §3.4: the device grant's type, as registered (RFC 7591 §2). */
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Authorization server metadata as the vault keeps it. */
type Discovered = Record<string, JsonValue>;

/**
 * The provider records the resolver reads and writes, and nothing more.
 *
 * The service hands in the vault's records (`createProviderRecords`); each write is one locked
 * update of the vault.
 */
export interface ProviderRecords {
  /** The stored provider, its client secret and key; `not_found` when there is no such provider. */
  load(
    providerId: string,
  ): Promise<{ provider: StoredProvider; clientSecret?: string; clientKey?: PrivateJwk }>;
  /** Keeps fresh discovery metadata on the provider, if it still exists. */
  saveDiscovery(providerId: string, discovered: Discovered): Promise<void>;
  /** Stores the provider with its new registration, and the secrets the server issued. */
  saveRegistration(
    provider: StoredProvider,
    secrets: { clientSecret?: string; registrationAccessToken?: string },
  ): Promise<void>;
}

export interface ProviderResolverOptions {
  records: ProviderRecords;
  logger: Logger;
  clock: Clock;
  /** The transport's fetch; the global fetch when not given. */
  fetch?: FetchLike;
  /** How long one token-endpoint request of a renewal may take; 30 s when not given. */
  requestTimeoutMs?: number;
}

/**
 * Turns a stored provider into endpoints and a client, discovering and registering as needed.
 *
 * Discovery runs at connect time (`refresh`) and its metadata is stored, so that background
 * renewals do not depend on the discovery document being reachable. Dynamic registration (RFC
 * 7591) runs once per provider; its client id is stored with the provider. {@link renew} is the
 * token lifecycle's renewer, so a renewal goes manager → resolver → flows and back to the manager.
 */
export class ProviderResolver {
  private readonly records: ProviderRecords;
  private readonly logger: Logger;
  private readonly clock: Clock;
  /** What every request of this resolver and its renewals goes through. */
  readonly http: { logger: Logger; fetch?: FetchLike };
  private readonly requestTimeoutMs: number | undefined;

  constructor(options: ProviderResolverOptions) {
    this.records = options.records;
    this.logger = options.logger;
    this.clock = options.clock;
    this.http = { logger: options.logger, ...(options.fetch ? { fetch: options.fetch } : {}) };
    this.requestTimeoutMs = options.requestTimeoutMs;
  }

  /**
   * The provider's endpoints and client; `refresh` discovers again, and `onRegistering` is told
   * just before a dynamic registration (RFC 7591) is sent.
   */
  async resolve(
    providerId: string,
    options: { refresh?: boolean; signal?: AbortSignal; onRegistering?: () => void } = {},
  ): Promise<ResolvedProvider> {
    const { signal } = options;
    const loaded = await this.records.load(providerId);
    let provider = loaded.provider;
    const { profile } = provider;
    let discovered = provider.discovered;
    if (profile.issuer && (options.refresh || !discovered)) {
      const metadata = await discover(profile.issuer, { ...this.http, signal });
      discovered = metadata as unknown as Discovered;
    }
    const signsIn = profile.grant === 'authorization_code' || profile.grant === 'device_code';
    if (signsIn && profile.client.registration === 'dynamic') {
      provider = await this.ensureRegistration(provider, discovered, options);
    } else if (discovered && discovered !== provider.discovered) {
      await this.records.saveDiscovery(providerId, discovered);
    }
    return resolveProvider(profile, {
      ...(loaded.clientSecret ? { clientSecret: loaded.clientSecret } : {}),
      ...(loaded.clientKey ? { clientKey: loaded.clientKey } : {}),
      ...(provider.registration ? { registeredClientId: provider.registration.clientId } : {}),
      ...(discovered ? { discovered: discovered as unknown as oauth.AuthorizationServer } : {}),
    });
  }

  /**
   * The lifecycle's renewer: the refresh grant, or client credentials run again.
   *
   * A renewal that switches the token type (Bearer to DPoP) is refused: a token of another type
   * needs another way of being sent, which Tokendeck does not follow silently.
   */
  readonly renew: Renewer = async (account, tokens, signal) => {
    const resolved = await this.resolve(account.providerId, { signal });
    const renewed = await renewTokens(resolved, tokens, {
      ...this.http,
      signal,
      clock: this.clock,
      ...(this.requestTimeoutMs !== undefined ? { timeoutMs: this.requestTimeoutMs } : {}),
    });
    if (renewed.tokenType.toLowerCase() !== account.tokenType.toLowerCase()) {
      throw new TokendeckError(
        'token_response_invalid',
        `The provider renewed the token as ${renewed.tokenType}, not ${account.tokenType}; Tokendeck does not switch token types. Connect the account again.`,
        { details: { reason: 'token_type_changed', transient: false } },
      );
    }
    return renewed;
  };

  private async ensureRegistration(
    provider: StoredProvider,
    discovered: Discovered | undefined,
    { signal, onRegistering }: { signal?: AbortSignal; onRegistering?: () => void },
  ): Promise<StoredProvider> {
    const { profile } = provider;
    const registrationEndpoint =
      profile.endpoints.registration ?? (discovered?.registration_endpoint as string | undefined);
    if (!registrationEndpoint) {
      throw new TokendeckError(
        'profile_incomplete',
        `Provider "${profile.id}" uses dynamic registration but has no registration endpoint.`,
      );
    }
    const existing = provider.registration;
    if (existing && existing.registeredAt === registrationEndpoint) {
      if (discovered === provider.discovered || !discovered) return provider;
      await this.records.saveDiscovery(profile.id, discovered);
      return { ...provider, discovered };
    }
    const device = profile.grant === 'device_code';
    const redirectUris = device ? [] : registrationRedirects(profile);
    const as = {
      ...(discovered ?? {}),
      issuer: profile.issuer ?? new URL(registrationEndpoint).origin,
      registration_endpoint: registrationEndpoint,
    };
    onRegistering?.();
    const registered = await registerClient(
      as as unknown as oauth.AuthorizationServer,
      {
        redirectUris,
        ...(device ? { grantTypes: [DEVICE_GRANT, 'refresh_token'] } : {}),
        clientName: 'Tokendeck',
        ...(profile.scopes.length ? { scope: profile.scopes.join(' ') } : {}),
      },
      { ...this.http, signal },
    );
    const updated: StoredProvider = {
      ...provider,
      ...(discovered ? { discovered } : {}),
      registration: {
        clientId: registered.clientId,
        registeredAt: registrationEndpoint,
        redirectUris,
        createdAt: this.clock.now(),
      },
      updatedAt: this.clock.now(),
    };
    await this.records.saveRegistration(updated, {
      ...(registered.clientSecret ? { clientSecret: registered.clientSecret } : {}),
      ...(registered.registrationAccessToken
        ? { registrationAccessToken: registered.registrationAccessToken }
        : {}),
    });
    this.logger.info('client registered', { provider: profile.id });
    return updated;
  }
}

/**
 * The redirect URIs a dynamically registered native client is registered with.
 *
 * RFC 8252 §7.3: the server must accept any port on a loopback redirect, so the ephemeral port is
 * left out; a fixed redirect is registered as it is.
 */
function registrationRedirects(profile: ProviderProfile): string[] {
  const redirect = profile.redirect;
  switch (redirect.mode) {
    case 'loopback':
      return [`http://127.0.0.1${redirect.path}`];
    case 'fixed':
      return [redirect.uri];
    default:
      return assertNever(redirect, 'redirect');
  }
}

import type { AccountSummary, ConnectArgs, DeviceCodes, FlowProgress, RemoveResult } from './api';
import type { AccountFeed } from './account-feed';
import type { HistoryStore } from './console';
import { TokendeckError, assertNever, isTokendeckError } from './errors';
import type { EventBus } from './event-bus';
import {
  apiKeyTokens,
  authorizationCodeFlow,
  clientCredentialsFlow,
  deviceCodeFlow,
  idTokenProof,
  identifyAccount,
  revokeToken,
  type AccountIdentity,
  type FlowResult,
  type ProviderResolver,
  type ResolvedProvider,
} from './flows';
import { saveFailure, type FreshToken, type TokenManager } from './lifecycle';
import type { Logger } from './log';
import type { AccountNaming } from './model';
import type { BrowserOpener, Clock } from './ports';
import type { FetchLike, ProviderProfile } from './providers';
import { descendantsOf } from './exchanges';
import {
  deleteAccount,
  findAccount,
  forgetAccountSecrets,
  putAccount,
  readAccount,
  readProvider,
  readTokens,
  type RecordsVault,
} from './records';
import { nameLater, settleSignIn, storeSignIn } from './sign-ins';
import type { VaultReader } from './vault';

/**
 * Reports one step of a connect, with the failure's message, the sign-in URL, or the device
 * grant's codes (RFC 8628).
 */
type Progress = (
  stage: FlowProgress['stage'],
  extra?: { message?: string; authorizationUrl?: string; device?: DeviceCodes },
) => void;

export interface AccountsOptions {
  vault: RecordsVault;
  resolver: ProviderResolver;
  manager: TokenManager;
  feed: AccountFeed;
  history: HistoryStore;
  bus: EventBus;
  browser: BrowserOpener;
  logger: Logger;
  clock: Clock;
  /** How long the browser step of a flow may take (default 5 minutes). */
  flowTimeoutMs?: number;
  /** The transport's fetch; the global fetch when not given. */
  fetch?: FetchLike;
}

/**
 * Connecting, finding, renewing, naming and removing accounts.
 *
 * A connect runs the provider's grant and saves the provider's answer at once (SECURITY 51),
 * then asks the provider who signed in and settles the tokens into the account that subject
 * owns (see sign-ins.ts). A "who am I" that fails never loses the tokens: the account is kept
 * unnamed, with the failure shown, and named the next time its token is used. Every step is
 * reported as `flowProgress`.
 */
export class Accounts {
  private readonly options: AccountsOptions;
  /** Each flow in progress by provider: its cancel, and the sign-in URL once the browser waits. */
  private readonly pending = new Map<string, { controller: AbortController; link?: string }>();

  constructor(options: AccountsOptions) {
    this.options = options;
  }

  async connect({ providerId, apiKey, accountId }: ConnectArgs): Promise<{ accountId: string }> {
    const { vault, logger, clock } = this.options;
    const view = await vault.read();
    const provider = readProvider(view, providerId);
    if (accountId !== undefined && readAccount(view, accountId).providerId !== providerId) {
      throw new TokendeckError(
        'invalid_input',
        `Account "${accountId}" belongs to another provider than "${providerId}".`,
        { details: { accountId, providerId } },
      );
    }
    if (this.pending.has(providerId)) {
      throw new TokendeckError(
        'conflict',
        `A connection to "${providerId}" is already waiting for the browser.`,
      );
    }
    const flow: { controller: AbortController; link?: string } = {
      controller: new AbortController(),
    };
    this.pending.set(providerId, flow);
    const flowId = `${providerId}:${clock.now()}`;
    const progress: Progress = (stage, extra = {}) => {
      if (extra.authorizationUrl) flow.link = extra.authorizationUrl;
      // The device grant has no link to give another browser: its user code is what to copy.
      if (extra.device) flow.link = extra.device.userCode;
      this.options.bus.emit('flowProgress', { flowId, providerId, stage, ...extra });
    };
    try {
      progress('discovering');
      const { signal } = flow.controller;
      const resolved = await this.options.resolver.resolve(providerId, {
        refresh: true,
        signal,
        onRegistering: () => progress('registering'),
      });
      const result = await this.runGrant(resolved, provider.profile, progress, signal, apiKey);
      // The provider's answer is saved before anything else can fail (SECURITY 51).
      const stored = await vault
        .update((tx) => storeSignIn(tx, provider.profile, result.tokens, clock.now()))
        .catch((error: unknown) => {
          throw isTokendeckError(error) && error.code === 'conflict' ? error : saveFailure(error);
        });
      progress('naming');
      const { identity, naming } = await this.identify(resolved, result, signal);
      const settled = await vault.update((tx) =>
        settleSignIn(tx, {
          storedId: stored.id,
          identity,
          ...(accountId !== undefined ? { chosenId: accountId } : {}),
          ...(naming ? { naming } : {}),
          now: clock.now(),
        }),
      );
      if ('refused' in settled) throw settled.refused;
      progress('done');
      logger.info('account connected', { provider: providerId, account: settled.accountId });
      await this.options.manager.track(settled.accountId);
      if (settled.accountId !== stored.id) this.options.manager.untrack(stored.id);
      await this.options.feed.publish(settled.accountId);
      return { accountId: settled.accountId };
    } catch (error) {
      progress('failed', isTokendeckError(error) ? { message: error.message } : {});
      logger.warn('connect failed', { provider: providerId, error });
      throw error;
    } finally {
      this.pending.delete(providerId);
    }
  }

  cancel(providerId: string): void {
    this.pending.get(providerId)?.controller.abort();
  }

  cancelAll(): void {
    for (const flow of this.pending.values()) flow.controller.abort();
  }

  /**
   * The sign-in URL of the flow waiting for the browser, to open in another browser; for the
   * device grant, the code to enter.
   */
  flowLink(providerId: string): string {
    const link = this.pending.get(providerId)?.link;
    if (!link)
      throw new TokendeckError('not_found', 'No sign-in is waiting for the browser or a code.');
    return link;
  }

  /** Renews now, unless another caller already replaced the stored token. */
  async renew(accountId: string): Promise<AccountSummary> {
    const current = readTokens(await this.options.vault.read(), accountId);
    await this.options.manager.getFreshToken(accountId, { rejectToken: current.accessToken });
    return this.options.feed.summary(accountId);
  }

  /**
   * Revokes where the provider allows it, then deletes the account and its history, with every
   * account exchanged from it (RFC 8693 children), children first. A failed revocation is
   * reported, and the account is removed all the same; `revoked` is the account's own.
   */
  async remove(accountId: string): Promise<RemoveResult> {
    const { vault, logger } = this.options;
    const view = await vault.read();
    readAccount(view, accountId);
    const ids = [...descendantsOf(view, accountId), accountId];
    let own: RemoveResult = { revoked: false };
    for (const id of ids) {
      const outcome = await this.revokeTokens(view, id);
      if (id === accountId) own = outcome;
    }
    for (const id of ids) this.options.manager.untrack(id);
    await vault.update((tx) => {
      for (const id of ids) if (findAccount(tx, id)) deleteAccount(tx, id);
    });
    for (const id of ids) await this.options.history.clear(id);
    for (const id of ids) forgetAccountSecrets(id);
    logger.info('account removed', {
      account: accountId,
      revoked: own.revoked,
      children: ids.length - 1,
    });
    for (const id of ids) this.options.feed.removed(id);
    return own;
  }

  /** Revokes an account's tokens where the provider allows it; a failure is reported, not thrown. */
  private async revokeTokens(view: VaultReader, accountId: string): Promise<RemoveResult> {
    const account = readAccount(view, accountId);
    let revoked = false;
    let revocationError: string | undefined;
    try {
      const tokens = readTokens(view, accountId);
      const resolved = await this.options.resolver.resolve(account.providerId);
      // Revoking the refresh token ends the grant; the access token goes too where supported.
      if (tokens.refreshToken) {
        revoked = await revokeToken(resolved, tokens.refreshToken, 'refresh_token', this.http());
      }
      if (account.grant !== 'api_key') {
        revoked =
          (await revokeToken(resolved, tokens.accessToken, 'access_token', this.http())) || revoked;
      }
    } catch (error) {
      this.options.logger.warn('revocation failed; removing the account anyway', {
        account: accountId,
        error,
      });
      revocationError = isTokendeckError(error) ? error.message : 'the revocation failed';
    }
    return { revoked, ...(revocationError ? { revocationError } : {}) };
  }

  /**
   * Asks the provider who signed in. A failed call is kept as the account's naming problem, and
   * only what the ID token proves is used; the tokens are stored all the same.
   */
  private async identify(
    resolved: ResolvedProvider,
    result: FlowResult,
    signal: AbortSignal,
  ): Promise<{ identity: AccountIdentity; naming?: AccountNaming }> {
    const { logger, clock } = this.options;
    try {
      return { identity: await identifyAccount(resolved, result, { ...this.http(), signal }) };
    } catch (error) {
      if (signal.aborted || !isTokendeckError(error)) throw error;
      logger.warn('could not name the account; it is stored unnamed', { error });
      return { identity: idTokenProof(result), naming: namingProblem(error, clock.now()) };
    }
  }

  /** Retries the "who am I" of an unnamed account with the token just handed out. */
  async nameNow(fresh: FreshToken): Promise<void> {
    const { vault, logger, clock } = this.options;
    const { account } = fresh;
    const tokens = {
      accessToken: fresh.accessToken,
      tokenType: fresh.tokenType,
      expiresAt: fresh.expiresAt,
      receivedAt: account.receivedAt,
      scopes: account.scopes,
      ...(fresh.dpopKey ? { dpopKey: fresh.dpopKey } : {}),
    };
    try {
      const resolved = await this.options.resolver.resolve(account.providerId);
      const identity = await identifyAccount(resolved, { tokens }, this.http());
      await vault.update((tx) => nameLater(tx, account.id, identity, clock.now()));
      logger.info('account named', { account: account.id });
    } catch (error) {
      logger.warn('could not name the account yet', { account: account.id, error });
      if (!isTokendeckError(error)) return;
      const naming = namingProblem(error, clock.now());
      await vault
        .update((tx) => putAccount(tx, { ...readAccount(tx, account.id), naming }))
        .catch((failure: unknown) =>
          logger.warn('could not record the naming problem', { error: failure }),
        );
    }
    await this.options.feed.publish(account.id);
  }

  /** The logger and transport every request of a flow takes. */
  private http(): { logger: Logger; fetch?: FetchLike } {
    const { logger, fetch } = this.options;
    return { logger, ...(fetch ? { fetch } : {}) };
  }

  private async runGrant(
    resolved: ResolvedProvider,
    profile: ProviderProfile,
    progress: Progress,
    signal: AbortSignal,
    apiKey: string | undefined,
  ): Promise<FlowResult> {
    const { clock } = this.options;
    const grant = profile.grant;
    const flow = {
      ...this.http(),
      signal,
      clock,
      ...(this.options.flowTimeoutMs ? { timeoutMs: this.options.flowTimeoutMs } : {}),
      onProgress: progress,
    };
    switch (grant) {
      case 'api_key':
        if (apiKey === undefined) {
          throw new TokendeckError('invalid_input', `Provider "${profile.id}" needs an API key.`, {
            details: { field: 'apiKey' },
          });
        }
        return { tokens: apiKeyTokens(apiKey, clock.now()) };
      case 'client_credentials':
        progress('exchanging');
        return clientCredentialsFlow(resolved, { ...this.http(), signal, clock });
      case 'authorization_code':
        return authorizationCodeFlow(resolved, this.options.browser, flow);
      case 'device_code':
        return deviceCodeFlow(resolved, this.options.browser, flow);
      default:
        return assertNever(grant, 'grant');
    }
  }
}

/** What an unnamed account shows, and when its "who am I" is tried again. */
function namingProblem(error: TokendeckError, now: number): AccountNaming {
  const retryAfterMs = error.details.retryAfterMs;
  return {
    problem: error.message,
    retryAt: typeof retryAfterMs === 'number' ? now + retryAfterMs : null,
  };
}

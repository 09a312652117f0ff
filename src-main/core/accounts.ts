import type { AccountSummary, ConnectArgs, FlowProgress } from './api';
import type { AccountFeed } from './account-feed';
import { TokendeckError, assertNever, isTokendeckError } from './errors';
import type { EventBus } from './event-bus';
import {
  apiKeyTokens,
  authorizationCodeFlow,
  clientCredentialsFlow,
  identifyAccount,
  revokeToken,
  type FlowResult,
  type ProviderResolver,
  type ResolvedProvider,
} from './flows';
import type { TokenManager } from './lifecycle';
import type { Logger } from './log';
import type { StoredAccount } from './model';
import type { BrowserOpener, Clock } from './ports';
import type { ProviderProfile } from './providers';
import {
  ACCOUNTS,
  accountIdFor,
  findAccount,
  historyRecord,
  listAccounts,
  putAccount,
  readAccount,
  readProvider,
  readTokens,
  tokensRecord,
  writeTokens,
  type RecordsVault,
} from './records';

/** Reports one step of a connect, with the failure's message or the sign-in URL. */
type Progress = (
  stage: FlowProgress['stage'],
  extra?: { message?: string; authorizationUrl?: string },
) => void;

export interface AccountsOptions {
  vault: RecordsVault;
  resolver: ProviderResolver;
  manager: TokenManager;
  feed: AccountFeed;
  bus: EventBus;
  browser: BrowserOpener;
  logger: Logger;
  clock: Clock;
  /** How long the browser step of a flow may take (default 5 minutes). */
  flowTimeoutMs?: number;
}

/**
 * Connecting, finding, renewing and removing accounts.
 *
 * A connect runs the provider's grant, names the account from what the provider proves, and
 * stores one account per subject, so reconnecting updates it. Every step is reported as
 * `flowProgress`.
 */
export class Accounts {
  private readonly options: AccountsOptions;
  /** Each flow in progress by provider: its cancel, and the sign-in URL once the browser waits. */
  private readonly pending = new Map<string, { controller: AbortController; link?: string }>();

  constructor(options: AccountsOptions) {
    this.options = options;
  }

  /** Resolves an account by id, label, or a provider with exactly one account. */
  async find(reference: string): Promise<StoredAccount> {
    const accounts = listAccounts(await this.options.vault.read());
    const exact = accounts.find((account) => account.id === reference);
    if (exact) return exact;
    for (const matches of [
      accounts.filter((account) => account.label === reference),
      accounts.filter((account) => account.providerId === reference),
    ]) {
      if (matches.length === 1) return matches[0]!;
      if (matches.length > 1) {
        throw new TokendeckError(
          'conflict',
          `"${reference}" matches ${matches.length} accounts: ${matches.map((a) => a.id).join(', ')}. Use an account id.`,
        );
      }
    }
    throw new TokendeckError('not_found', `No account "${reference}". See: tokendeck accounts`);
  }

  async connect({ providerId, apiKey }: ConnectArgs): Promise<{ accountId: string }> {
    const { vault, logger } = this.options;
    const provider = readProvider(await vault.read(), providerId);
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
    const flowId = `${providerId}:${this.options.clock.now()}`;
    const progress: Progress = (stage, extra = {}) => {
      if (extra.authorizationUrl) flow.link = extra.authorizationUrl;
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
      progress('naming');
      const who = await identifyAccount(resolved, result, { signal, logger });
      const accountId = await this.store(provider.profile, result, who);
      progress('done');
      logger.info('account connected', { provider: providerId, account: accountId });
      await this.options.manager.track(accountId);
      await this.options.feed.publish(accountId);
      return { accountId };
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

  /** The sign-in URL of the flow waiting for the browser, to open in another browser. */
  flowLink(providerId: string): string {
    const link = this.pending.get(providerId)?.link;
    if (!link) throw new TokendeckError('not_found', 'No sign-in is waiting for the browser.');
    return link;
  }

  /** Renews now, unless another caller already replaced the stored token. */
  async renew(accountId: string): Promise<AccountSummary> {
    const current = readTokens(await this.options.vault.read(), accountId);
    await this.options.manager.getFreshToken(accountId, { rejectToken: current.accessToken });
    return this.options.feed.summary(accountId);
  }

  /** Revokes where the provider allows it, then deletes the account and its history. */
  async remove(accountId: string): Promise<{ revoked: boolean }> {
    const { vault, logger } = this.options;
    const view = await vault.read();
    const account = readAccount(view, accountId);
    let revoked = false;
    try {
      const tokens = readTokens(view, accountId);
      const resolved = await this.options.resolver.resolve(account.providerId);
      // Revoking the refresh token ends the grant; the access token goes too where supported.
      if (tokens.refreshToken) {
        revoked = await revokeToken(resolved, tokens.refreshToken, 'refresh_token', { logger });
      }
      if (account.grant !== 'api_key') {
        revoked =
          (await revokeToken(resolved, tokens.accessToken, 'access_token', { logger })) || revoked;
      }
    } catch (error) {
      logger.warn('revocation failed; removing the account anyway', { account: accountId, error });
    }
    this.options.manager.untrack(accountId);
    await vault.update((tx) => {
      tx.delete(ACCOUNTS, accountId);
      tx.deleteSecret(tokensRecord(accountId));
      tx.deleteSecret(historyRecord(accountId));
    });
    logger.info('account removed', { account: accountId, revoked });
    this.options.feed.removed(accountId);
    return { revoked };
  }

  private async runGrant(
    resolved: ResolvedProvider,
    profile: ProviderProfile,
    progress: Progress,
    signal: AbortSignal,
    apiKey: string | undefined,
  ): Promise<FlowResult> {
    const { logger, clock } = this.options;
    const grant = profile.grant;
    switch (grant) {
      case 'api_key':
        if (apiKey === undefined) {
          throw new TokendeckError('invalid_input', `Provider "${profile.id}" needs an API key.`);
        }
        return { tokens: apiKeyTokens(apiKey, clock.now()) };
      case 'client_credentials':
        progress('exchanging');
        return clientCredentialsFlow(resolved, { signal, logger, clock });
      case 'authorization_code':
        return authorizationCodeFlow(resolved, this.options.browser, {
          signal,
          logger,
          clock,
          ...(this.options.flowTimeoutMs ? { timeoutMs: this.options.flowTimeoutMs } : {}),
          onProgress: progress,
        });
      default:
        return assertNever(grant, 'grant');
    }
  }

  /** Saves a connected account: one per subject, so reconnecting updates it. */
  private async store(
    profile: ProviderProfile,
    { tokens }: FlowResult,
    who: { subject: string; label: string },
  ): Promise<string> {
    const id = accountIdFor(profile.id, who.subject);
    const now = this.options.clock.now();
    await this.options.vault.update((tx) => {
      const previous = findAccount(tx, id);
      putAccount(tx, {
        id,
        providerId: profile.id,
        subject: who.subject,
        label: who.label,
        grant: profile.grant,
        tokenType: tokens.tokenType,
        scopes: tokens.scopes,
        expiresAt: tokens.expiresAt,
        receivedAt: tokens.receivedAt,
        hasRefreshToken: Boolean(tokens.refreshToken),
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      });
      writeTokens(tx, id, tokens);
    });
    return id;
  }
}

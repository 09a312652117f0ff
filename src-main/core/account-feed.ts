import type { AccountSummary } from './api';
import type { EventBus } from './event-bus';
import type { Logger } from './log';
import type { AccountStatus, StoredAccount } from './model';
import {
  findAccount,
  listAccounts,
  listProviders,
  readAccount,
  type RecordsVault,
  type StoredProvider,
} from './records';

export interface AccountFeedOptions {
  vault: Pick<RecordsVault, 'read'>;
  /** The live status of a stored account: the token manager's `statusOf`. */
  status(account: StoredAccount): AccountStatus;
  /** Re-checks every account's renewal after another process changed the vault. */
  recheck(): Promise<void>;
  bus: EventBus;
  logger: Logger;
}

/**
 * What the UI sees of the accounts: summaries, and an event for each one that changed.
 *
 * It remembers the last summary pushed per account, so a change on disk (the CLI adding,
 * renewing or removing an account) pushes only what changed.
 */
export class AccountFeed {
  private readonly options: AccountFeedOptions;
  private readonly pushed = new Map<string, string>();

  constructor(options: AccountFeedOptions) {
    this.options = options;
  }

  /** Every account, by provider name and then label. */
  async list(): Promise<AccountSummary[]> {
    const view = await this.options.vault.read();
    const providers = listProviders(view);
    return listAccounts(view)
      .map((account) => this.summarize(account, providers))
      .sort(
        (a, b) => a.providerName.localeCompare(b.providerName) || a.label.localeCompare(b.label),
      );
  }

  async summary(accountId: string): Promise<AccountSummary> {
    const view = await this.options.vault.read();
    return this.summarize(readAccount(view, accountId), listProviders(view));
  }

  /** Pushes the account's summary if it changed; a failure is logged, never thrown. */
  async publish(accountId: string): Promise<void> {
    try {
      const view = await this.options.vault.read();
      const account = findAccount(view, accountId);
      if (account) this.push(this.summarize(account, listProviders(view)));
    } catch (error) {
      this.options.logger.warn('could not publish an account change', { accountId, error });
    }
  }

  removed(accountId: string): void {
    this.pushed.delete(accountId);
    this.options.bus.emit('accountRemoved', { accountId });
  }

  /** Catches up with a change another process made: new, changed and removed accounts. */
  async follow(): Promise<void> {
    try {
      await this.options.recheck();
      const view = await this.options.vault.read();
      const providers = listProviders(view);
      const present = new Set<string>();
      for (const account of listAccounts(view)) {
        present.add(account.id);
        this.push(this.summarize(account, providers));
      }
      for (const accountId of [...this.pushed.keys()]) {
        if (!present.has(accountId)) this.removed(accountId);
      }
    } catch (error) {
      this.options.logger.warn('could not follow a vault change', { error });
    }
  }

  private push(summary: AccountSummary): void {
    const key = JSON.stringify(summary);
    if (this.pushed.get(summary.id) === key) return;
    this.pushed.set(summary.id, key);
    this.options.bus.emit('accountChanged', summary);
  }

  private summarize(account: StoredAccount, providers: StoredProvider[]): AccountSummary {
    const provider = providers.find((p) => p.profile.id === account.providerId);
    return {
      id: account.id,
      providerId: account.providerId,
      providerName: provider?.profile.name ?? account.providerId,
      label: account.label,
      subject: account.subject,
      grant: account.grant,
      scopes: account.scopes,
      expiresAt: account.expiresAt,
      receivedAt: account.receivedAt,
      status: this.options.status(account),
    };
  }
}

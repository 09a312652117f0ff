import type { AccountSummary } from './api';
import { isDpopBound } from './dpop-bound';
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
import type { VaultReader } from './vault';

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
  private readonly queued = new Set<string>();
  private flushing: Promise<void> | null = null;
  private lastKnown: Known | null = null;

  constructor(options: AccountFeedOptions) {
    this.options = options;
  }

  /** Every account, by provider name and then label. */
  async list(): Promise<AccountSummary[]> {
    const known = await this.known();
    return known.accounts
      .map((account) => this.summarize(account, known))
      .sort(
        (a, b) => a.providerName.localeCompare(b.providerName) || a.label.localeCompare(b.label),
      );
  }

  async summary(accountId: string): Promise<AccountSummary> {
    const known = await this.known();
    const account = known.accounts.find((candidate) => candidate.id === accountId);
    return this.summarize(account ?? readAccount(known.view, accountId), known);
  }

  /**
   * Pushes the account's summary if it changed; a failure is logged, never thrown.
   *
   * Accounts published in the same turn of the event loop share one read of the vault: a renewal
   * changes an account's status three times, and a re-check after a change on disk can change a
   * thousand, so one read per account would re-read the whole file a thousand times.
   */
  publish(accountId: string): Promise<void> {
    this.queued.add(accountId);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.flush(),
    );
    return this.flushing;
  }

  private async flush(): Promise<void> {
    const accountIds = [...this.queued];
    this.queued.clear();
    this.flushing = null;
    try {
      const known = await this.known();
      // A subject found later makes the account and the others with it possible duplicates of
      // each other, so their summaries change too: each is summarized once per flush.
      const changed = new Map<string, StoredAccount>();
      for (const accountId of accountIds) {
        const account = findAccount(known.view, accountId);
        if (!account) continue;
        changed.set(account.id, account);
        for (const twinId of this.twinsOf(account, known)) {
          const twin = known.byId.get(twinId);
          if (twin) changed.set(twin.id, twin);
        }
      }
      for (const account of changed.values()) this.push(this.summarize(account, known));
    } catch (error) {
      this.options.logger.warn('could not publish an account change', {
        accounts: accountIds.length,
        error,
      });
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
      const known = await this.known();
      const present = new Set<string>();
      for (const account of known.accounts) {
        present.add(account.id);
        this.push(this.summarize(account, known));
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

  /**
   * What a summary needs to know about the other accounts and the providers.
   *
   * Worked out once per snapshot of the vault: the vault hands out the same snapshot until the
   * file changes, and listing every account costs a copy and a schema check of each.
   */
  private async known(): Promise<Known> {
    const view = await this.options.vault.read();
    if (this.lastKnown?.view === view) return this.lastKnown;
    this.lastKnown = this.index(view);
    return this.lastKnown;
  }

  private index(view: VaultReader): Known {
    const accounts = listAccounts(view);
    const bySubject = new Map<string, string[]>();
    const byId = new Map<string, StoredAccount>();
    for (const account of accounts) {
      byId.set(account.id, account);
      if (account.subject === null) continue;
      const key = `${account.providerId}\0${account.subject}`;
      const ids = bySubject.get(key);
      if (ids) ids.push(account.id);
      else bySubject.set(key, [account.id]);
    }
    return { view, accounts, byId, providers: listProviders(view), bySubject };
  }

  /** The ids of the account and of every other account of its provider with its subject. */
  private twinsOf(account: StoredAccount, known: Known): string[] {
    if (account.subject === null) return [];
    return known.bySubject.get(`${account.providerId}\0${account.subject}`) ?? [];
  }

  private summarize(account: StoredAccount, known: Known): AccountSummary {
    const provider = known.providers.find((p) => p.profile.id === account.providerId);
    const twins = this.twinsOf(account, known);
    return {
      id: account.id,
      providerId: account.providerId,
      providerName: provider?.profile.name ?? account.providerId,
      label: account.label,
      subject: account.subject,
      identifiedBy: account.identifiedBy ?? null,
      grant: account.grant,
      scopes: account.scopes,
      expiresAt: account.expiresAt,
      receivedAt: account.receivedAt,
      status: this.options.status(account),
      isDefault: provider?.defaultAccount === account.id,
      possibleDuplicates: twins.filter((id) => id !== account.id),
      ...(account.naming ? { namingProblem: account.naming.problem } : {}),
      ...(isDpopBound(account) ? { dpopBound: true } : {}),
    };
  }
}

/** One read of the vault, with the accounts grouped by proven subject. */
interface Known {
  view: VaultReader;
  accounts: StoredAccount[];
  byId: Map<string, StoredAccount>;
  providers: StoredProvider[];
  /** Account ids by provider and subject: more than one are possible duplicates. */
  bySubject: Map<string, string[]>;
}

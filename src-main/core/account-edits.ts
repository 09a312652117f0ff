import type { AccountSummary } from './api';
import type { AccountFeed } from './account-feed';
import type { HistoryStore } from './console';
import { TokendeckError } from './errors';
import type { TokenManager } from './lifecycle';
import type { Logger } from './log';
import type { StoredAccount } from './model';
import type { Clock } from './ports';
import {
  deleteAccount,
  putAccount,
  putProvider,
  readAccount,
  readProvider,
  readTokens,
  writeTokens,
  type RecordsVault,
} from './records';

export interface AccountEditsOptions {
  vault: RecordsVault;
  history: HistoryStore;
  manager: TokenManager;
  feed: AccountFeed;
  logger: Logger;
  clock: Clock;
}

/** The longest label a user may give. */
export const MAX_LABEL_LENGTH = 120;

/**
 * What the user changes about accounts: their labels, merging two that are one subject, and the
 * provider's default account.
 *
 * Each is one locked vault update that checks what it changes in the same update (SECURITY 51).
 */
export class AccountEdits {
  constructor(private readonly options: AccountEditsOptions) {}

  /** Gives the account a label of the user's; a later "who am I" answer keeps it. */
  async rename(accountId: string, label: string): Promise<AccountSummary> {
    const clean = checkLabel(label);
    await this.options.vault.update((tx) => {
      const account = readAccount(tx, accountId);
      putAccount(tx, { ...account, label: clean, labelByUser: true, updatedAt: this.now() });
    });
    return this.changed(accountId);
  }

  /**
   * Merges `otherId` into `keepId`: the newer tokens win, both histories are kept, and the other
   * account is deleted. Only accounts of one provider merge, and never two that the provider
   * proved to be different subjects.
   */
  async merge(keepId: string, otherId: string): Promise<AccountSummary> {
    if (keepId === otherId) {
      throw new TokendeckError('invalid_input', 'An account cannot be merged into itself.', {
        details: { accountId: keepId },
      });
    }
    const { vault, history, manager, feed, logger } = this.options;
    const view = await vault.read();
    checkMergeable(readAccount(view, keepId), readAccount(view, otherId));
    await history.absorb(keepId, otherId);
    await vault.update((tx) => {
      const keep = readAccount(tx, keepId);
      const other = readAccount(tx, otherId);
      checkMergeable(keep, other);
      const newer = other.receivedAt > keep.receivedAt ? other : keep;
      if (newer === other) writeTokens(tx, keepId, readTokens(tx, otherId));
      const merged: StoredAccount = {
        ...keep,
        tokenType: newer.tokenType,
        scopes: newer.scopes,
        expiresAt: newer.expiresAt,
        receivedAt: newer.receivedAt,
        hasRefreshToken: newer.hasRefreshToken,
        subject: keep.subject ?? other.subject,
        updatedAt: this.now(),
      };
      const identifiedBy = keep.subject !== null ? keep.identifiedBy : other.identifiedBy;
      if (identifiedBy) merged.identifiedBy = identifiedBy;
      if (keep.naming && !other.naming && !keep.labelByUser) merged.label = other.label;
      if (!(keep.naming && other.naming)) delete merged.naming;
      if (newer.reauthReason === undefined) delete merged.reauthReason;
      else merged.reauthReason = newer.reauthReason;
      putAccount(tx, merged);
      deleteAccount(tx, otherId);
      const provider = readProvider(tx, keep.providerId);
      if (provider.defaultAccount === otherId)
        putProvider(tx, { ...provider, defaultAccount: keepId });
    });
    logger.info('accounts merged', { account: keepId, merged: otherId });
    manager.untrack(otherId);
    feed.removed(otherId);
    await manager.track(keepId);
    return this.changed(keepId);
  }

  /** Makes the account its provider's default, so the provider's name means it. */
  async setDefault(accountId: string): Promise<AccountSummary> {
    const previous = await this.options.vault.update((tx) => {
      const account = readAccount(tx, accountId);
      const provider = readProvider(tx, account.providerId);
      putProvider(tx, { ...provider, defaultAccount: accountId, updatedAt: this.now() });
      return provider.defaultAccount;
    });
    if (previous && previous !== accountId) await this.options.feed.publish(previous);
    return this.changed(accountId);
  }

  private async changed(accountId: string): Promise<AccountSummary> {
    await this.options.feed.publish(accountId);
    return this.options.feed.summary(accountId);
  }

  private now(): number {
    return this.options.clock.now();
  }
}

function checkMergeable(keep: StoredAccount, other: StoredAccount): void {
  if (keep.providerId !== other.providerId) {
    throw new TokendeckError(
      'invalid_input',
      `${keep.id} and ${other.id} belong to different providers; only accounts of one provider merge.`,
      { details: { accountId: other.id } },
    );
  }
  if (keep.subject !== null && other.subject !== null && keep.subject !== other.subject) {
    throw new TokendeckError(
      'identity_mismatch',
      `${keep.id} and ${other.id} are different subjects at the provider (${keep.identifiedBy ?? 'subject'} differs); they are not merged.`,
      { details: { accountId: other.id } },
    );
  }
}

/** A label: trimmed, not empty, at most {@link MAX_LABEL_LENGTH}, with no control characters. */
function checkLabel(label: string): string {
  const clean = label.trim();
  if (!clean || clean.length > MAX_LABEL_LENGTH || /\p{Cc}/u.test(clean)) {
    throw new TokendeckError(
      'invalid_input',
      `A label must be 1 to ${MAX_LABEL_LENGTH} characters, with no control characters.`,
      { details: { field: 'label' } },
    );
  }
  return clean;
}

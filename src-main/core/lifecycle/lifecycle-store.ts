import type { StoredAccount, StoredTokens, TokenSet } from '../model';

/**
 * The storage the lifecycle needs, and nothing more.
 *
 * The app and the CLI hand in {@link createVaultLifecycleStore}; unit tests hand in an in-memory
 * fake from `test/helpers/`.
 */
export interface LifecycleStore {
  /**
   * Reads the account and its tokens fresh.
   *
   * Fresh means from disk when another process may have written. Throws `not_found` when the
   * account is gone, `needs_reauth` when it has no tokens, `vault_corrupt` when a record is
   * malformed, and `vault_record_tampered` when its token record fails its integrity check.
   */
  load(accountId: string): Promise<{ account: StoredAccount; tokens: StoredTokens }>;
  list(): Promise<StoredAccount[]>;
  /**
   * Durably persists a renewal before anyone sees the new token.
   *
   * Stores the new access token and the new refresh and ID tokens (or keeps the old ones when the
   * response had none), plus expiresAt, receivedAt, tokenType and scopes, and clears reauthReason,
   * all in one atomic write. Returns the saved account.
   */
  saveRenewal(accountId: string, tokens: TokenSet): Promise<StoredAccount>;
  /** Records that renewal was refused, with a sentence for the user; the tokens are kept. */
  markNeedsReauth(accountId: string, reason: string): Promise<void>;
  /** Runs `fn` in a critical section per account that holds across processes. */
  withRenewLock<T>(accountId: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Throws `vault_lock_lost` unless the renew lock this call chain holds is still its own.
   *
   * Called inside `withRenewLock`, right before a refresh token is spent, so a holder that
   * stalled while another process took its lock over does not spend the token a second time
   * (SECURITY 44). A store whose lock cannot be taken over leaves it out.
   */
  assertRenewLockHeld?(): Promise<void>;
}

import type { StoredAccount, StoredTokens, TokenSet } from '../model';
import {
  listAccounts,
  putAccount,
  readAccount,
  readTokens,
  tokensRecord,
  writeTokens,
} from '../records';
import { assertHeldLocks, type VaultReader, type VaultTransaction } from '../vault';
import type { LifecycleStore } from './lifecycle-store';

/**
 * The part of the vault the lifecycle uses.
 *
 * The vault's `Vault` class satisfies it; naming only these three methods keeps the lifecycle
 * testable against an in-memory double.
 */
export interface LifecycleVault {
  read(): Promise<VaultReader>;
  update<T>(fn: (tx: VaultTransaction) => T): Promise<T>;
  withLock<T>(name: string, fn: () => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
}

export interface VaultLifecycleStoreOptions {
  /** How long to wait for another process's renewal of the same account; default 60 s. */
  lockTimeoutMs?: number;
  /** Stamps `updatedAt`; default `Date.now`. */
  now?: () => number;
}

/**
 * The lifecycle's storage on top of the vault.
 *
 * Accounts live readable in the `accounts` collection; their tokens live sealed in `tokens:<id>`.
 * Every read goes to the vault file, so a renewal written by another process (the CLI, or the app
 * while the CLI runs) is seen. A renewal is one `vault.update`: the account and its tokens change
 * together or not at all, so a crash leaves the old pair or the new pair, never a mix. The
 * vault fences that write with every lock the renewal holds (SECURITY 44): a renewal whose
 * `renew-<id>` lock was taken over while it stalled writes nothing.
 */
export function createVaultLifecycleStore(
  vault: LifecycleVault,
  options: VaultLifecycleStoreOptions = {},
): LifecycleStore {
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  const now = options.now ?? Date.now;

  return {
    async load(accountId) {
      const reader = await vault.read();
      return { account: readAccount(reader, accountId), tokens: readTokens(reader, accountId) };
    },

    async list() {
      return listAccounts(await vault.read());
    },

    async saveRenewal(accountId, tokens) {
      return vault.update((tx) => {
        const account = readAccount(tx, accountId);
        const next = mergeTokens(tokens, () =>
          tx.hasSecret(tokensRecord(accountId)) ? readTokens(tx, accountId) : undefined,
        );
        const saved: StoredAccount = {
          ...account,
          tokenType: tokens.tokenType,
          scopes: [...tokens.scopes],
          expiresAt: tokens.expiresAt,
          receivedAt: tokens.receivedAt,
          hasRefreshToken: next.refreshToken !== undefined,
          updatedAt: now(),
        };
        delete saved.reauthReason;
        writeTokens(tx, accountId, next);
        putAccount(tx, saved);
        return saved;
      });
    },

    async markNeedsReauth(accountId, reason) {
      await vault.update((tx) => {
        const account = readAccount(tx, accountId);
        putAccount(tx, { ...account, reauthReason: reason, updatedAt: now() });
      });
    },

    async withRenewLock(accountId, fn) {
      return vault.withLock(`renew-${accountId}`, fn, { timeoutMs: lockTimeoutMs });
    },

    assertRenewLockHeld: assertHeldLocks,
  };
}

/**
 * The token record a renewal writes.
 *
 * A response without a refresh token keeps the old one (RFC 6749 § 6: the server may or may not
 * issue a new one); likewise for the ID token. The old record is read only when needed, so a
 * renewal that brings both still saves over a record that can no longer be read.
 */
function mergeTokens(tokens: TokenSet, previous: () => StoredTokens | undefined): StoredTokens {
  const old =
    tokens.refreshToken === undefined || tokens.idToken === undefined ? previous() : undefined;
  const next: StoredTokens = { accessToken: tokens.accessToken };
  const refreshToken = tokens.refreshToken ?? old?.refreshToken;
  const idToken = tokens.idToken ?? old?.idToken;
  if (refreshToken !== undefined) next.refreshToken = refreshToken;
  if (idToken !== undefined) next.idToken = idToken;
  // The key a renewal was proved with stays only while the server keeps binding the tokens to it.
  if (tokens.dpopKey) next.dpopKey = tokens.dpopKey;
  return next;
}

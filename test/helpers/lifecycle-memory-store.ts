import { TokendeckError } from '../../src-main/core/errors';
import type { LifecycleStore } from '../../src-main/core/lifecycle';
import type { StoredAccount, StoredTokens, TokenSet } from '../../src-main/core/model';

/**
 * An in-memory {@link LifecycleStore} for unit tests.
 *
 * Behaves like the vault-backed store (a renewal keeps the old refresh token when the response had
 * none, and clears reauthReason), counts calls, and lets a test fail saves, tamper with a record,
 * or run code inside the renew lock as if another process got there first.
 */
export class MemoryLifecycleStore implements LifecycleStore {
  readonly accounts = new Map<string, StoredAccount>();
  readonly tokens = new Map<string, StoredTokens>();
  readonly tampered = new Set<string>();
  readonly calls = { load: 0, list: 0, saveRenewal: 0, markNeedsReauth: 0, withRenewLock: 0 };
  /** Saves to fail before one succeeds again. */
  failSaves = 0;
  /** Runs inside the renew lock before the renewal, once: "another process" acting meanwhile. */
  onLocked: ((accountId: string) => void) | null = null;
  private readonly locks = new Map<string, Promise<void>>();

  add(account: StoredAccount, tokens: StoredTokens): void {
    this.accounts.set(account.id, structuredClone(account));
    this.tokens.set(account.id, structuredClone(tokens));
  }

  async load(accountId: string): Promise<{ account: StoredAccount; tokens: StoredTokens }> {
    this.calls.load += 1;
    await Promise.resolve();
    const account = this.accounts.get(accountId);
    const tokens = this.tokens.get(accountId);
    if (!account || !tokens) throw new TokendeckError('not_found', 'No such account.');
    if (this.tampered.has(accountId)) {
      throw new TokendeckError('vault_record_tampered', 'The token record failed its check.');
    }
    return { account: structuredClone(account), tokens: structuredClone(tokens) };
  }

  async list(): Promise<StoredAccount[]> {
    this.calls.list += 1;
    await Promise.resolve();
    return [...this.accounts.values()].map((account) => structuredClone(account));
  }

  async saveRenewal(accountId: string, set: TokenSet): Promise<StoredAccount> {
    this.calls.saveRenewal += 1;
    await Promise.resolve();
    if (this.failSaves > 0) {
      this.failSaves -= 1;
      throw new Error('disk full');
    }
    const account = this.accounts.get(accountId);
    const old = this.tokens.get(accountId);
    if (!account) throw new TokendeckError('not_found', 'No such account.');
    const next: StoredTokens = { accessToken: set.accessToken };
    const refreshToken = set.refreshToken ?? old?.refreshToken;
    if (refreshToken !== undefined) next.refreshToken = refreshToken;
    const saved: StoredAccount = {
      ...account,
      tokenType: set.tokenType,
      scopes: [...set.scopes],
      expiresAt: set.expiresAt,
      receivedAt: set.receivedAt,
      hasRefreshToken: refreshToken !== undefined,
      updatedAt: set.receivedAt,
    };
    delete saved.reauthReason;
    this.accounts.set(accountId, saved);
    this.tokens.set(accountId, next);
    return structuredClone(saved);
  }

  async markNeedsReauth(accountId: string, reason: string): Promise<void> {
    this.calls.markNeedsReauth += 1;
    await Promise.resolve();
    const account = this.accounts.get(accountId);
    if (!account) throw new TokendeckError('not_found', 'No such account.');
    this.accounts.set(accountId, { ...account, reauthReason: reason });
  }

  async withRenewLock<T>(accountId: string, fn: () => Promise<T>): Promise<T> {
    this.calls.withRenewLock += 1;
    const previous = this.locks.get(accountId) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => held);
    this.locks.set(accountId, tail);
    await previous;
    try {
      const hook = this.onLocked;
      this.onLocked = null;
      hook?.(accountId);
      return await fn();
    } finally {
      release();
      if (this.locks.get(accountId) === tail) this.locks.delete(accountId);
    }
  }
}

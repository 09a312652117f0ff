import { z } from 'zod';
import { TokendeckError } from '../errors';
import { GRANT_TYPES, type StoredAccount, type StoredTokens, type TokenSet } from '../model';
import type { JsonValue, VaultReader, VaultTransaction } from '../vault/types';
import { ACCOUNTS, tokensRecord } from '../records';
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

/** Loose: fields the service adds later survive a renewal's rewrite of the record. */
const storedAccountSchema = z.looseObject({
  id: z.string().min(1),
  providerId: z.string().min(1),
  subject: z.string(),
  label: z.string(),
  grant: z.enum(GRANT_TYPES),
  tokenType: z.string(),
  scopes: z.array(z.string()),
  expiresAt: z.number().nullable(),
  receivedAt: z.number(),
  hasRefreshToken: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  reauthReason: z.string().optional(),
});

const storedTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  idToken: z.string().min(1).optional(),
});

/**
 * The lifecycle's storage on top of the vault.
 *
 * Accounts live readable in the `accounts` collection; their tokens live sealed in `tokens:<id>`.
 * Every read goes to the vault file, so a renewal written by another process (the CLI, or the app
 * while the CLI runs) is seen. A renewal is one `vault.update`: the account and its tokens change
 * together or not at all, so a crash leaves the old pair or the new pair, never a mix.
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
      const account = readAccount(reader, accountId);
      const tokens = readTokens(reader, accountId);
      if (!tokens) {
        throw new TokendeckError('not_found', 'This account has no stored tokens.', {
          details: { accountId },
        });
      }
      return { account, tokens };
    },

    async list() {
      const reader = await vault.read();
      return reader.list<JsonValue>(ACCOUNTS).map(([id, value]) => parseAccount(id, value));
    },

    async saveRenewal(accountId, tokens) {
      return vault.update((tx) => {
        const account = readAccount(tx, accountId);
        const next = mergeTokens(tokens, () => readTokens(tx, accountId));
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
        tx.putSecret(tokensRecord(accountId), JSON.stringify(next));
        tx.put(ACCOUNTS, accountId, saved as unknown as JsonValue);
        return saved;
      });
    },

    async markNeedsReauth(accountId, reason) {
      await vault.update((tx) => {
        const account = readAccount(tx, accountId);
        const marked: StoredAccount = { ...account, reauthReason: reason, updatedAt: now() };
        tx.put(ACCOUNTS, accountId, marked as unknown as JsonValue);
      });
    },

    async withRenewLock(accountId, fn) {
      return vault.withLock(`renew-${accountId}`, fn, { timeoutMs: lockTimeoutMs });
    },
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
  return next;
}

function readAccount(reader: VaultReader, accountId: string): StoredAccount {
  const value = reader.get<JsonValue>(ACCOUNTS, accountId);
  if (value === undefined) {
    throw new TokendeckError('not_found', 'This account no longer exists.', {
      details: { accountId },
    });
  }
  return parseAccount(accountId, value);
}

function parseAccount(accountId: string, value: JsonValue): StoredAccount {
  const parsed = storedAccountSchema.safeParse(value);
  if (!parsed.success) {
    throw new TokendeckError('vault_corrupt', 'An account record in the vault is malformed.', {
      details: { accountId },
    });
  }
  return parsed.data;
}

function readTokens(reader: VaultReader, accountId: string): StoredTokens | undefined {
  const text = reader.getSecret(tokensRecord(accountId));
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw malformedTokens(accountId, error);
  }
  const parsed = storedTokensSchema.safeParse(value);
  if (!parsed.success) throw malformedTokens(accountId, undefined);
  return parsed.data;
}

function malformedTokens(accountId: string, cause: unknown): TokendeckError {
  return new TokendeckError('vault_corrupt', "An account's token record is malformed.", {
    cause,
    details: { accountId },
  });
}

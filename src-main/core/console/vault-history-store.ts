import { TokendeckError } from '../errors';
import { historyRecord } from '../records';
import type { VaultReader, VaultTransaction } from '../vault';
import { newestFirst } from './history-entry';
import { HISTORY_LIMIT, type HistoryStore } from './ports';
import type { HistoryEntry } from './types';

/** The part of the vault the history needs. */
export interface HistoryVault {
  read(): Promise<VaultReader>;
  update<T>(fn: (tx: VaultTransaction) => T | Promise<T>): Promise<T>;
}

/**
 * History kept in the vault, encrypted.
 *
 * Entries may hold secrets the user typed (an API key in a header, a password in a body), so each
 * account's history is one sealed record, `history:<accountId>`, holding the JSON array newest
 * first, written with `putSecret` inside `vault.update` (a locked read-modify-write, so the app
 * and the CLI appending at once lose nothing). A record that does not parse is reported as
 * `vault_corrupt` and left in place; `clear` removes it.
 */
export function createVaultHistoryStore(vault: HistoryVault): HistoryStore {
  return {
    async append(accountId, entry) {
      const id = historyRecord(accountId);
      await vault.update((tx) => {
        const entries = [entry, ...parse(tx.getSecret(id), accountId)].slice(0, HISTORY_LIMIT);
        tx.putSecret(id, JSON.stringify(entries));
      });
    },
    async list(accountId) {
      const reader = await vault.read();
      return parse(reader.getSecret(historyRecord(accountId)), accountId);
    },
    async clear(accountId) {
      const id = historyRecord(accountId);
      await vault.update((tx) => {
        if (tx.hasSecret(id)) tx.deleteSecret(id);
      });
    },
    async absorb(intoAccountId, fromAccountId) {
      const into = historyRecord(intoAccountId);
      const from = historyRecord(fromAccountId);
      await vault.update((tx) => {
        if (!tx.hasSecret(from)) return;
        const entries = [
          ...parse(tx.getSecret(into), intoAccountId),
          ...parse(tx.getSecret(from), fromAccountId),
        ];
        tx.putSecret(into, JSON.stringify(newestFirst(entries)));
        tx.deleteSecret(from);
      });
    },
  };
}

function parse(text: string | undefined, accountId: string): HistoryEntry[] {
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(accountId, error);
  }
  if (!Array.isArray(value)) throw corrupt(accountId);
  return value as HistoryEntry[];
}

function corrupt(accountId: string, cause?: unknown): TokendeckError {
  return new TokendeckError(
    'vault_corrupt',
    'The request history of this account cannot be read; clear it to start again.',
    {
      cause,
      details: { accountId },
    },
  );
}

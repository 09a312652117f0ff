import { newestFirst } from './history-entry';
import { HISTORY_LIMIT, type HistoryStore } from './ports';
import type { HistoryEntry } from './types';

/**
 * A history kept in memory only, lost when the process ends.
 *
 * For tests and for callers without a vault; the app uses `createVaultHistoryStore`.
 */
export function createMemoryHistoryStore(): HistoryStore {
  const byAccount = new Map<string, HistoryEntry[]>();
  return {
    async append(accountId, entry) {
      const entries = [structuredClone(entry), ...(byAccount.get(accountId) ?? [])];
      byAccount.set(accountId, entries.slice(0, HISTORY_LIMIT));
    },
    async list(accountId) {
      return structuredClone(byAccount.get(accountId) ?? []);
    },
    async clear(accountId) {
      byAccount.delete(accountId);
    },
    async absorb(intoAccountId, fromAccountId) {
      const entries = [
        ...(byAccount.get(intoAccountId) ?? []),
        ...(byAccount.get(fromAccountId) ?? []),
      ];
      byAccount.set(intoAccountId, newestFirst(entries));
      byAccount.delete(fromAccountId);
    },
  };
}

import { newestFirst } from './history-entry';
import type { HistoryStore } from './ports';
import type { HistoryEntry } from './types';

/**
 * A history kept in memory only, lost when the process ends.
 *
 * For tests and for callers without a vault; the app uses `createHistoryStore`.
 */
export function createMemoryHistoryStore(): HistoryStore {
  const byAccount = new Map<string, HistoryEntry[]>();
  return {
    async append(accountId, entry) {
      const entries = [structuredClone(entry), ...(byAccount.get(accountId) ?? [])];
      byAccount.set(accountId, newestFirst(entries));
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

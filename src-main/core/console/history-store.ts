import { createHash } from 'node:crypto';
import { TokendeckError } from '../errors';
import { historyRecord } from '../records';
import type { VaultReader, VaultTransaction } from '../vault';
import { newestFirst } from './history-entry';
import type { HistoryStore } from './ports';
import type { HistoryEntry } from './types';

/** The part of the vault the history needs: sealed side files, named locks, and the old record. */
export interface HistoryVault {
  readSealed(name: string, recordId: string): Promise<string | undefined>;
  writeSealed(name: string, recordId: string, plaintext: string): Promise<void>;
  removeSealed(name: string): Promise<void>;
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  read(): Promise<VaultReader>;
  update<T>(fn: (tx: VaultTransaction) => T | Promise<T>): Promise<T>;
}

/**
 * Request history, sealed, in one file per account beside the vault (`history/<account>.json`).
 *
 * Entries may hold secrets the user typed (an API key in a header, a password in a body), so
 * each file is sealed under the vault's data key. The history is kept off the vault file, so
 * `tokendeck token`, which parses `vault.json`, never parses it, however long it grows; and it is
 * capped per entry and per account in bytes (see history-entry.ts). Each account's file is
 * changed under its own named lock, so the app and the CLI appending at once lose nothing.
 * History that an earlier version kept inside the vault file moves out the first time the
 * account's history is touched, or when the vault is unlocked ({@link moveVaultHistory}).
 */
export function createHistoryStore(vault: HistoryVault): HistoryStore {
  const locked = <T>(accountId: string, fn: () => Promise<T>) =>
    vault.withLock(`history-${fileName(accountId)}`, fn);
  const load = async (accountId: string) => {
    const own = parse(
      await vault.readSealed(filePath(accountId), historyRecord(accountId)),
      accountId,
    );
    return adoptVaultHistory(vault, accountId, own);
  };
  const save = async (accountId: string, entries: HistoryEntry[]) => {
    if (entries.length === 0) await vault.removeSealed(filePath(accountId));
    else
      await vault.writeSealed(
        filePath(accountId),
        historyRecord(accountId),
        JSON.stringify(entries),
      );
  };
  return {
    append: (accountId, entry) =>
      locked(accountId, async () =>
        save(accountId, newestFirst([entry, ...(await load(accountId))])),
      ),
    list: (accountId) => locked(accountId, () => load(accountId)),
    clear: (accountId) =>
      locked(accountId, async () => {
        await vault.removeSealed(filePath(accountId));
        await vault.update((tx) => tx.deleteSecret(historyRecord(accountId)));
      }),
    absorb: (intoAccountId, fromAccountId) =>
      locked(intoAccountId, () =>
        locked(fromAccountId, async () => {
          const entries = [...(await load(intoAccountId)), ...(await load(fromAccountId))];
          await save(intoAccountId, newestFirst(entries));
          await vault.removeSealed(filePath(fromAccountId));
        }),
      ),
  };
}

/** Moves every account's history out of the vault file, where an earlier version kept it. */
export async function moveVaultHistory(vault: HistoryVault, accountIds: string[]): Promise<void> {
  const view = await vault.read();
  for (const accountId of accountIds) {
    if (!view.hasSecret(historyRecord(accountId))) continue;
    await vault.withLock(`history-${fileName(accountId)}`, async () => {
      const own = parse(
        await vault.readSealed(filePath(accountId), historyRecord(accountId)),
        accountId,
      );
      await adoptVaultHistory(vault, accountId, own);
    });
  }
}

/** An account's history with what the vault file still held of it, which then leaves it. */
async function adoptVaultHistory(
  vault: HistoryVault,
  accountId: string,
  own: HistoryEntry[],
): Promise<HistoryEntry[]> {
  const record = historyRecord(accountId);
  const view = await vault.read();
  if (!view.hasSecret(record)) return own;
  const entries = newestFirst([...own, ...parse(view.getSecret(record), accountId)]);
  await vault.writeSealed(filePath(accountId), record, JSON.stringify(entries));
  await vault.update((tx) => tx.deleteSecret(record));
  return entries;
}

function filePath(accountId: string): string {
  return `history/${fileName(accountId)}.json`;
}

/** The id (an account or a provider) when it is a safe file name, else its hash. */
export function fileName(accountId: string): string {
  if (/^[a-z0-9][a-z0-9_-]{0,127}$/i.test(accountId)) return accountId;
  return `h-${createHash('sha256').update(accountId, 'utf8').digest('hex').slice(0, 40)}`;
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
    { cause, details: { accountId } },
  );
}

import type { StoredAccount, StoredTokens } from '../../src-main/core/model';
import {
  Vault,
  createPassphraseSlot,
  type JsonValue,
  type VaultOptions,
} from '../../src-main/core/vault';
import { TEST_SCRYPT, makeTempRoot } from './vault-fixtures';

/** Real-vault fixtures for the lifecycle integration tests and their child processes. */

export const LIFECYCLE_PASSPHRASE = 'lifecycle test passphrase';

export async function makeLifecycleDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const { root, cleanup } = await makeTempRoot('tokendeck-lifecycle-');
  return { dir: root, cleanup };
}

export function createLifecycleVault(dir: string): Promise<Vault> {
  return Vault.create(dir, createPassphraseSlot(LIFECYCLE_PASSPHRASE, TEST_SCRYPT));
}

export function openLifecycleVault(dir: string, options: VaultOptions = {}): Promise<Vault> {
  return Vault.open(dir, createPassphraseSlot(LIFECYCLE_PASSPHRASE, TEST_SCRYPT), options);
}

/** Writes an account and its tokens the way the service does. */
export async function seedAccount(
  vault: Vault,
  account: StoredAccount,
  tokens: StoredTokens,
): Promise<void> {
  await vault.update((tx) => {
    tx.put('accounts', account.id, account as unknown as JsonValue);
    tx.putSecret(`tokens:${account.id}`, JSON.stringify(tokens));
  });
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredAccount, StoredTokens } from '../../src-main/core/model';
import { Vault, createPassphraseSlot, type JsonValue } from '../../src-main/core/vault';
import { LIFECYCLE_TEST_SCRYPT } from './lifecycle-fixtures';

/** Real-vault fixtures for the lifecycle integration tests and their child processes. */

export const LIFECYCLE_PASSPHRASE = 'lifecycle test passphrase';

export async function makeLifecycleDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tokendeck-lifecycle-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function createLifecycleVault(dir: string): Promise<Vault> {
  return Vault.create(dir, createPassphraseSlot(LIFECYCLE_PASSPHRASE, LIFECYCLE_TEST_SCRYPT));
}

export function openLifecycleVault(dir: string): Promise<Vault> {
  return Vault.open(dir, createPassphraseSlot(LIFECYCLE_PASSPHRASE, LIFECYCLE_TEST_SCRYPT));
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

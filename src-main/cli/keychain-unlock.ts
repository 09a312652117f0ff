import {
  createService,
  type KeychainPort,
  type ServiceOptions,
  type TokendeckService,
} from '../core';
import type { CliIo } from './node-ports';
import { clean } from './output';

/**
 * Opens the vault with the OS keychain slot: the installed app's `tokendeck`, run in the app's
 * headless CLI mode, where Electron's safeStorage is at hand.
 *
 * Returns null when the keychain cannot open this vault (it has no keychain slot, or the
 * keychain failed, as over SSH or in CI), so that the caller falls back to the passphrase slot.
 * A keychain failure is said once on stderr; nothing is ever created here, so a new vault is
 * still made under a passphrase.
 */
export async function openWithKeychain(
  options: ServiceOptions,
  keychain: KeychainPort,
  io: Pick<CliIo, 'stderr'>,
): Promise<TokendeckService | null> {
  const service = await createService({ ...options, keychain });
  const status = await service.getVaultStatus();
  if (status.state === 'unlocked') return service;
  await service.close();
  if (status.state === 'recovery') {
    io.stderr.write(
      `The OS keychain did not open the vault (${clean(status.problem ?? 'no reason given')}); using the passphrase.\n`,
    );
  }
  return null;
}

/**
 * The vault: envelope-encrypted storage of every secret, shared by the app and the CLI.
 *
 * Everything outside this folder imports it through here.
 */
export * from './types';
export { VAULT_FILE, CURRENT_VERSION } from './vault-document';
export type { Migration } from './migrations';
export { Vault, type VaultOptions } from './vault';
export {
  MIN_PASSPHRASE_LENGTH,
  assertNewPassphrase,
  createPassphraseSlot,
  isShortPassphrase,
  type PassphraseSlotOptions,
} from './passphrase-slot';
export { probeVault, readableIds } from './probe';
export { VaultSession, type VaultOpener, type VaultSessionOptions } from './vault-session';
export { ensurePrivateDir, errnoOf, writeFileAtomic } from './atomic-file';
export { assertHeldLocks } from './vault-lock';

/**
 * The vault: envelope-encrypted storage of every secret, shared by the app and the CLI.
 *
 * Everything outside this folder imports it through here.
 */
export * from './types';
export { VAULT_FILE, CURRENT_VERSION } from './vault-document';
export type { Migration } from './migrations';
export { Vault, type VaultOptions } from './vault';
export { createPassphraseSlot, type PassphraseSlotOptions } from './passphrase-slot';
export { probeVault } from './probe';
export { VaultSession, type VaultSessionOptions } from './vault-session';
export { assertHeldLocks } from './vault-lock';

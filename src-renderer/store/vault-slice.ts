import type { IpcResult, VaultStatus } from '../../src-preload/contract';
import { errorMessage, unwrap, type ApiSource } from '../api';
import type { SliceCreator } from './types';

/**
 * How a vault action ended, for the form that started it.
 *
 * A failure carries the service's message so the form can show it inline; the passphrase itself
 * never enters the store.
 */
export type VaultActionResult = { ok: true } | { ok: false; message: string };

/**
 * The vault's state and the calls that change it.
 *
 * The status decides what the shell shows: the normal views only when it is `unlocked`, and a
 * setup, unlock or recovery screen otherwise. Passphrases pass straight through to main.
 */
export interface VaultSlice {
  vault: VaultStatus | null;
  vaultError: string | null;
  loadVaultStatus(): Promise<void>;
  setVaultStatus(status: VaultStatus): void;
  /** Creates the vault under a passphrase (needs-setup), or adds or replaces the passphrase. */
  setPassphrase(passphrase: string): Promise<VaultActionResult>;
  /** Removes the passphrase slot; main refuses when it is the last slot. */
  removePassphrase(): Promise<VaultActionResult>;
  unlockWithPassphrase(passphrase: string): Promise<VaultActionResult>;
  /** The user's explicit opt-in to a keychain that is not real encryption (Linux basic_text). */
  allowInsecureKeychain(): Promise<VaultActionResult>;
  /** Starts over after a keychain change; main moves the old file aside and never deletes it. */
  resetVault(): Promise<VaultActionResult>;
}

export const createVaultSlice =
  (api: ApiSource): SliceCreator<VaultSlice> =>
  (set) => {
    /** Runs one call that answers with the new status, and keeps that status. */
    const change = async (
      call: () => Promise<IpcResult<VaultStatus>>,
    ): Promise<VaultActionResult> => {
      try {
        const status = await unwrap(call());
        set({ vault: status, vaultError: null });
        return { ok: true };
      } catch (error) {
        return { ok: false, message: errorMessage(error) };
      }
    };

    return {
      vault: null,
      vaultError: null,

      async loadVaultStatus() {
        try {
          set({ vault: await unwrap(api().getVaultStatus()), vaultError: null });
        } catch (error) {
          set({ vaultError: errorMessage(error) });
        }
      },

      setVaultStatus(status) {
        set({ vault: status, vaultError: null });
      },

      setPassphrase(passphrase) {
        return change(() => api().setPassphrase({ passphrase }));
      },

      removePassphrase() {
        return change(() => api().removePassphrase());
      },

      unlockWithPassphrase(passphrase) {
        return change(() => api().unlockWithPassphrase({ passphrase }));
      },

      allowInsecureKeychain() {
        return change(() => api().allowInsecureKeychain({ confirm: true }));
      },

      resetVault() {
        return change(() => api().resetVault({ confirm: true }));
      },
    };
  };

import type { VaultStatus } from '../../src-preload/contract';
import { errorMessage, unwrap, type ApiSource } from '../api';
import type { SliceCreator } from './types';

/** The vault's state, as the header pill shows it. */
export interface VaultSlice {
  vault: VaultStatus | null;
  vaultError: string | null;
  loadVaultStatus(): Promise<void>;
  setVaultStatus(status: VaultStatus): void;
}

export const createVaultSlice =
  (api: ApiSource): SliceCreator<VaultSlice> =>
  (set) => ({
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
  });

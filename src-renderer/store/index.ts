import { create } from 'zustand';
import { windowApi, type ApiSource } from '../api';
import { createAccountsSlice } from './accounts-slice';
import { createProvidersSlice } from './providers-slice';
import type { StoreState } from './types';
import { createUiSlice } from './ui-slice';
import { createVaultSlice } from './vault-slice';

/**
 * The renderer's one store, combined from typed slices.
 *
 * Nothing is persisted: the state is summaries the main process can send again, and no secret
 * ever enters it.
 */
export function createAppStore(api: ApiSource = windowApi) {
  return create<StoreState>()((...args) => ({
    ...createAccountsSlice(api)(...args),
    ...createProvidersSlice(api)(...args),
    ...createVaultSlice(api)(...args),
    ...createUiSlice(...args),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;

export const useStore: AppStore = createAppStore();

export type { StoreState } from './types';
export type { View } from './ui-slice';
export type { VaultActionResult } from './vault-slice';

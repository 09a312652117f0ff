import { create } from 'zustand';
import { windowApi, type ApiSource } from '../api';
import { createAccountsSlice } from './accounts-slice';
import { createFlowsSlice } from './flows-slice';
import { createProvidersSlice } from './providers-slice';
import { createSettingsSlice } from './settings-slice';
import type { StoreState } from './types';
import { createUiSlice } from './ui-slice';
import { createVaultSlice } from './vault-slice';

/**
 * The renderer's one store, combined from typed slices.
 *
 * Nothing is persisted: the state is summaries the main process can send again, and no secret
 * ever enters it (a revealed token lives only in the inspector while it is open).
 */
export function createAppStore(api: ApiSource = windowApi) {
  return create<StoreState>()((...args) => ({
    ...createAccountsSlice(api)(...args),
    ...createProvidersSlice(api)(...args),
    ...createFlowsSlice(api)(...args),
    ...createSettingsSlice(api)(...args),
    ...createVaultSlice(api)(...args),
    ...createUiSlice(...args),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;

export const useStore: AppStore = createAppStore();

export type { StoreState, ActionResult } from './types';
export type { View, ProviderEditor } from './ui-slice';
export type { VaultActionResult } from './vault-slice';
export type { ConnectState, FlowStage } from './flows-slice';

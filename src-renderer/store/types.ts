import type { StateCreator } from 'zustand';
import type { AccountsSlice } from './accounts-slice';
import type { ProvidersSlice } from './providers-slice';
import type { UiSlice } from './ui-slice';
import type { VaultSlice } from './vault-slice';

/** The whole renderer state: one store, built from typed slices. */
export type StoreState = AccountsSlice & ProvidersSlice & VaultSlice & UiSlice;

/** A slice of {@link StoreState} that may read and write the whole store. */
export type SliceCreator<T> = StateCreator<StoreState, [], [], T>;

/** Where a list stands in its loading. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

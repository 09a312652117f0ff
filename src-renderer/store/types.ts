import type { ErrorCode } from '../../src-preload/contract';
import type { StateCreator } from 'zustand';
import type { AccountsSlice } from './accounts-slice';
import type { FlowsSlice } from './flows-slice';
import type { ProvidersSlice } from './providers-slice';
import type { SettingsSlice } from './settings-slice';
import type { UiSlice } from './ui-slice';
import type { VaultSlice } from './vault-slice';

/** The whole renderer state: one store, built from typed slices. */
export type StoreState = AccountsSlice &
  ProvidersSlice &
  FlowsSlice &
  SettingsSlice &
  VaultSlice &
  UiSlice;

/** A slice of {@link StoreState} that may read and write the whole store. */
export type SliceCreator<T> = StateCreator<StoreState, [], [], T>;

/** Where a list stands in its loading. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * How an action ended, for the control that started it; failures carry the message to show, and
 * the error's code when the control acts on it.
 */
export type ActionResult = { ok: true } | { ok: false; message: string; code?: ErrorCode };

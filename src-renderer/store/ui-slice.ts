import type { SliceCreator } from './types';

export const VIEWS = ['accounts', 'providers', 'console', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export interface Toast {
  id: number;
  text: string;
}

/**
 * What the provider editor shows: the preset catalogue (`new`), a blank custom form, a preset, a
 * saved provider, or an imported profile file.
 */
export type ProviderEditor =
  | { mode: 'new' }
  | { mode: 'custom' }
  | { mode: 'preset'; presetId: string }
  | { mode: 'edit'; providerId: string }
  | { mode: 'import'; profile: Record<string, unknown> };

/**
 * What the shell shows: the view, the one transient toast, and the overlays (palette, provider
 * editor, inspector), plus the account that has keyboard focus in the dashboard.
 */
export interface UiSlice {
  view: View;
  toast: Toast | null;
  paletteOpen: boolean;
  providerEditor: ProviderEditor | null;
  /** The account whose token the inspector shows; the token itself stays in the inspector. */
  inspecting: string | null;
  /** The account the dashboard should focus and scroll to (after a connect, or from the palette). */
  focusRequest: { accountId: string; seq: number } | null;
  setView(view: View): void;
  showToast(text: string): void;
  dismissToast(id: number): void;
  setPaletteOpen(open: boolean): void;
  openProviderEditor(editor: ProviderEditor | null): void;
  inspect(accountId: string | null): void;
  focusAccount(accountId: string): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  view: 'accounts',
  toast: null,
  paletteOpen: false,
  providerEditor: null,
  inspecting: null,
  focusRequest: null,
  setView(view) {
    set({ view });
  },
  showToast(text) {
    set({ toast: { id: (get().toast?.id ?? 0) + 1, text } });
  },
  dismissToast(id) {
    if (get().toast?.id === id) set({ toast: null });
  },
  setPaletteOpen(open) {
    set({ paletteOpen: open });
  },
  openProviderEditor(editor) {
    set({ providerEditor: editor, ...(editor ? { view: 'providers' as const } : {}) });
  },
  inspect(accountId) {
    set({ inspecting: accountId });
  },
  focusAccount(accountId) {
    set({
      view: 'accounts',
      focusRequest: { accountId, seq: (get().focusRequest?.seq ?? 0) + 1 },
    });
  },
});

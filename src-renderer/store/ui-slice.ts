import type { SliceCreator } from './types';

export const VIEWS = ['accounts', 'providers', 'console', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export interface Toast {
  id: number;
  text: string;
}

/** What the shell shows: the selected view and the one transient toast. */
export interface UiSlice {
  view: View;
  toast: Toast | null;
  setView(view: View): void;
  showToast(text: string): void;
  dismissToast(id: number): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  view: 'accounts',
  toast: null,
  setView(view) {
    set({ view });
  },
  showToast(text) {
    set({ toast: { id: (get().toast?.id ?? 0) + 1, text } });
  },
  dismissToast(id) {
    if (get().toast?.id === id) set({ toast: null });
  },
});

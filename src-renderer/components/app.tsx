import { lazy, Suspense, useEffect } from 'react';
import { useStore } from '../store';
import { AccountsView } from './accounts/accounts-view';
import { ConnectSheet } from './connect-sheet';
import { ConsoleView } from './console-view';
import { DeckIcon } from './deck-icon';
import { Nav } from './nav';
import { ProvidersView } from './providers/providers-view';
import { SettingsView } from './settings-view';
import { ToastHost } from './toast';
import { VaultGate } from './vault-gate';
import { VaultPill } from './vault-pill';

const Palette = lazy(() => import('./palette'));
const Inspector = lazy(() => import('./inspector'));

/**
 * The app shell: header, navigation, the selected view, the overlays (connect sheet, inspector,
 * palette), and the live event subscriptions.
 *
 * The navigation and views appear only while the vault is unlocked; otherwise the vault gate
 * (setup, unlock or recovery) takes the whole content area.
 */
export function App() {
  const view = useStore((state) => state.view);
  const unlocked = useStore((state) => state.vault?.state === 'unlocked');
  const paletteOpen = useStore((state) => state.paletteOpen);
  const inspecting = useStore((state) => state.inspecting);
  const connecting = useStore((state) => state.connect !== null);
  useEventSubscriptions();
  useTheme();
  usePaletteShortcut(unlocked);

  if (!unlocked) {
    return (
      <div className="shell shell--gate">
        <TopBar />
        <main className="content">
          <VaultGate />
        </main>
        <ToastHost />
      </div>
    );
  }

  return (
    <div className="shell">
      <TopBar />
      <Nav />
      <main className="content">
        {view === 'accounts' ? <AccountsView /> : null}
        {view === 'providers' ? <ProvidersView /> : null}
        {view === 'console' ? <ConsoleView /> : null}
        {view === 'settings' ? <SettingsView /> : null}
      </main>
      {connecting ? <ConnectSheet /> : null}
      <Suspense fallback={null}>
        {inspecting ? <Inspector key={inspecting} /> : null}
        {paletteOpen ? <Palette /> : null}
      </Suspense>
      <ToastHost />
    </div>
  );
}

function TopBar() {
  const setPaletteOpen = useStore((state) => state.setPaletteOpen);
  const unlocked = useStore((state) => state.vault?.state === 'unlocked');
  const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
  return (
    <header className="topbar">
      <div className="brand">
        <DeckIcon />
        <span className="brand__name">Tokendeck</span>
      </div>
      {unlocked ? (
        <button type="button" className="palette-trigger" onClick={() => setPaletteOpen(true)}>
          <span>Search accounts and commands</span>
          <kbd>{mac ? '⌘K' : 'Ctrl K'}</kbd>
        </button>
      ) : null}
      <VaultPill />
    </header>
  );
}

/** Ctrl/Cmd+K opens the palette from anywhere in the unlocked app. */
function usePaletteShortcut(enabled: boolean): void {
  const setPaletteOpen = useStore((state) => state.setPaletteOpen);
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setPaletteOpen(!useStore.getState().paletteOpen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, setPaletteOpen]);
}

/** Applies Settings → Theme to the page; `system` leaves it to the OS. */
function useTheme(): void {
  const theme = useStore((state) => state.settings?.theme ?? 'system');
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}

/** Loads the vault status and keeps accounts, flows and the vault in step with main's events. */
function useEventSubscriptions(): void {
  const loadVaultStatus = useStore((state) => state.loadVaultStatus);
  const loadSettings = useStore((state) => state.loadSettings);
  const setVaultStatus = useStore((state) => state.setVaultStatus);
  const upsertAccount = useStore((state) => state.upsertAccount);
  const dropAccount = useStore((state) => state.dropAccount);
  const applyFlowProgress = useStore((state) => state.applyFlowProgress);

  useEffect(() => {
    void loadVaultStatus();
    void loadSettings();
    // Without the bridge there is nothing to subscribe to; loadVaultStatus reports the error.
    const api = window.tokendeck;
    if (!api) return undefined;
    const stops = [
      api.on('accountChanged', upsertAccount),
      api.on('accountRemoved', ({ accountId }) => dropAccount(accountId)),
      api.on('flowProgress', applyFlowProgress),
      api.on('vaultStatusChanged', setVaultStatus),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [
    loadVaultStatus,
    loadSettings,
    setVaultStatus,
    upsertAccount,
    dropAccount,
    applyFlowProgress,
  ]);
}

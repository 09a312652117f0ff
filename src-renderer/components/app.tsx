import { useEffect } from 'react';
import { useStore } from '../store';
import { AccountsView } from './accounts-view';
import { ConsoleView } from './console-view';
import { DeckIcon } from './deck-icon';
import { Nav } from './nav';
import { ProvidersView } from './providers-view';
import { SettingsView } from './settings-view';
import { ToastHost } from './toast';
import { VaultGate } from './vault-gate';
import { VaultPill } from './vault-pill';

/**
 * The app shell: header, navigation, the selected view, and the live event subscriptions.
 *
 * The navigation and views appear only while the vault is unlocked; otherwise the vault gate
 * (setup, unlock or recovery) takes the whole content area.
 */
export function App() {
  const view = useStore((state) => state.view);
  const unlocked = useStore((state) => state.vault?.state === 'unlocked');
  useEventSubscriptions();

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
      <ToastHost />
    </div>
  );
}

function TopBar() {
  return (
    <header className="topbar">
      <div className="brand">
        <DeckIcon />
        <span className="brand__name">Tokendeck</span>
      </div>
      <VaultPill />
    </header>
  );
}

/** Loads the vault status and keeps accounts and the vault in step with main's events. */
function useEventSubscriptions(): void {
  const loadVaultStatus = useStore((state) => state.loadVaultStatus);
  const setVaultStatus = useStore((state) => state.setVaultStatus);
  const upsertAccount = useStore((state) => state.upsertAccount);
  const dropAccount = useStore((state) => state.dropAccount);

  useEffect(() => {
    void loadVaultStatus();
    // Without the bridge there is nothing to subscribe to; loadVaultStatus reports the error.
    const api = window.tokendeck;
    if (!api) return undefined;
    const stops = [
      api.on('accountChanged', upsertAccount),
      api.on('accountRemoved', ({ accountId }) => dropAccount(accountId)),
      api.on('vaultStatusChanged', setVaultStatus),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [loadVaultStatus, setVaultStatus, upsertAccount, dropAccount]);
}

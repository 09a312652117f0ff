import { useEffect } from 'react';
import { useStore } from '../store';
import { AccountsView } from './accounts-view';
import { ConsoleView } from './console-view';
import { DeckIcon } from './deck-icon';
import { Nav } from './nav';
import { ProvidersView } from './providers-view';
import { ToastHost } from './toast';
import { VaultPill } from './vault-pill';

/** The app shell: header, navigation, the selected view, and the live event subscriptions. */
export function App() {
  const view = useStore((state) => state.view);
  useEventSubscriptions();

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <DeckIcon />
          <span className="brand__name">Tokendeck</span>
        </div>
        <VaultPill />
      </header>
      <Nav />
      <main className="content">
        {view === 'accounts' ? <AccountsView /> : null}
        {view === 'providers' ? <ProvidersView /> : null}
        {view === 'console' ? <ConsoleView /> : null}
      </main>
      <ToastHost />
    </div>
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

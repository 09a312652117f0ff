import { Command } from 'cmdk';
import { useMemo, useState } from 'react';
import { useStore } from '../store';
import { matchesSearch } from './accounts/account-items';
import { Dialog } from './dialog';

const MAX_ACCOUNTS = 40;

interface Action {
  id: string;
  label: string;
  run(): void;
}

/**
 * The command palette (Ctrl/Cmd+K): find an account and press Enter to copy its fresh token, or
 * run an action by name. Filtering is ours, so a thousand accounts list only the best few.
 */
export default function Palette() {
  const setOpen = useStore((state) => state.setPaletteOpen);
  const order = useStore((state) => state.accountOrder);
  const byId = useStore((state) => state.accountsById);
  const providers = useStore((state) => state.providers);
  const [search, setSearch] = useState('');
  const close = () => setOpen(false);

  const accounts = useMemo(() => {
    const found = [];
    for (const id of order) {
      const account = byId[id];
      if (account && matchesSearch(account, search)) found.push(account);
      if (found.length >= MAX_ACCOUNTS) break;
    }
    return found;
  }, [order, byId, search]);

  const actions = useMemo<Action[]>(() => {
    const state = useStore.getState;
    const list: Action[] = [
      {
        id: 'add-provider',
        label: 'Add a provider',
        run: () => state().openProviderEditor({ mode: 'new' }),
      },
      { id: 'go-accounts', label: 'Go to Accounts', run: () => state().setView('accounts') },
      { id: 'go-providers', label: 'Go to Providers', run: () => state().setView('providers') },
      { id: 'go-settings', label: 'Go to Settings', run: () => state().setView('settings') },
      ...providers.map((provider) => ({
        id: `connect-${provider.id}`,
        label: `Connect ${provider.name}`,
        run: () => state().openConnect(provider.id),
      })),
      ...(['system', 'light', 'dark'] as const).map((theme) => ({
        id: `theme-${theme}`,
        label: `Theme: ${theme}`,
        run: () => void state().saveSettings({ theme }),
      })),
    ];
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return list.filter((action) =>
      words.every((word) => action.label.toLowerCase().includes(word)),
    );
  }, [providers, search]);

  const run = (action: () => void) => {
    close();
    action();
  };

  return (
    <Dialog title="Command palette" onClose={close} className="palette">
      <Command label="Command palette" shouldFilter={false} loop>
        <Command.Input
          className="input palette__input"
          placeholder="Find an account to copy its token, or type a command"
          value={search}
          onValueChange={setSearch}
          autoFocus
        />
        <Command.List className="palette__list">
          <Command.Empty className="palette__empty">Nothing matches.</Command.Empty>
          {accounts.length > 0 ? (
            <Command.Group heading="Copy a fresh token">
              {accounts.map((account) => (
                <Command.Item
                  key={account.id}
                  value={`account:${account.id}`}
                  className="palette__item"
                  onSelect={() => run(() => void useStore.getState().copyToken(account.id))}
                >
                  <span>{account.label}</span>
                  <span className="muted small">{account.providerName}</span>
                </Command.Item>
              ))}
            </Command.Group>
          ) : null}
          {actions.length > 0 ? (
            <Command.Group heading="Actions">
              {actions.map((action) => (
                <Command.Item
                  key={action.id}
                  value={action.id}
                  className="palette__item"
                  onSelect={() => run(action.run)}
                >
                  {action.label}
                </Command.Item>
              ))}
            </Command.Group>
          ) : null}
        </Command.List>
      </Command>
    </Dialog>
  );
}

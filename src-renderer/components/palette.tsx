import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useStore } from '../store';
import { matchesSearch } from './accounts/account-items';
import { Dialog } from './dialog';

const MAX_ACCOUNTS = 40;

interface Entry {
  id: string;
  group: 'Copy a fresh token' | 'Actions';
  label: string;
  detail?: string;
  run(): void;
}

/**
 * The command palette (Ctrl/Cmd+K): find an account and press Enter to copy its fresh token, or
 * run an action by name.
 *
 * A WAI-ARIA combobox over a listbox: the focus stays in the search field, arrows move the active
 * option, Enter runs it, Escape closes. Only the best few accounts are listed, so a thousand
 * accounts cost what forty do.
 */
export default function Palette() {
  const setOpen = useStore((state) => state.setPaletteOpen);
  const order = useStore((state) => state.accountOrder);
  const byId = useStore((state) => state.accountsById);
  const providers = useStore((state) => state.providers);
  const [search, setSearch] = useState('');
  const [active, setActive] = useState(0);
  const id = useId();
  const close = () => setOpen(false);

  const entries = useMemo<Entry[]>(() => {
    const state = useStore.getState;
    const found: Entry[] = [];
    for (const accountId of order) {
      const account = byId[accountId];
      if (!account || !matchesSearch(account, search)) continue;
      found.push({
        id: `account-${account.id}`,
        group: 'Copy a fresh token',
        label: account.label,
        detail: account.providerName,
        run: () => void state().copyToken(account.id),
      });
      if (found.length >= MAX_ACCOUNTS) break;
    }
    const actions: Entry[] = [
      { label: 'Add a provider', run: () => state().openProviderEditor({ mode: 'new' }) },
      { label: 'Go to Accounts', run: () => state().setView('accounts') },
      { label: 'Go to Providers', run: () => state().setView('providers') },
      { label: 'Go to Settings', run: () => state().setView('settings') },
      ...providers.map((provider) => ({
        label: `Connect ${provider.name}`,
        run: () => state().openConnect(provider.id),
      })),
      ...(['system', 'light', 'dark'] as const).map((theme) => ({
        label: `Theme: ${theme}`,
        run: () => void state().saveSettings({ theme }),
      })),
    ].map((action, index) => ({ ...action, id: `action-${index}`, group: 'Actions' as const }));
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return [
      ...found,
      ...actions.filter((action) =>
        words.every((word) => action.label.toLowerCase().includes(word)),
      ),
    ];
  }, [order, byId, providers, search]);

  const current = Math.min(active, Math.max(0, entries.length - 1));
  const run = (entry: Entry | undefined) => {
    if (!entry) return;
    close();
    entry.run();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const last = entries.length - 1;
    if (event.key === 'ArrowDown') setActive(current >= last ? 0 : current + 1);
    else if (event.key === 'ArrowUp') setActive(current <= 0 ? last : current - 1);
    else if (event.key === 'Home' && event.ctrlKey) setActive(0);
    else if (event.key === 'End' && event.ctrlKey) setActive(last);
    else if (event.key === 'Enter') run(entries[current]);
    else return;
    event.preventDefault();
  };

  const optionId = (entry: Entry) => `${id}-${entry.id}`;
  const groups = (['Copy a fresh token', 'Actions'] as const)
    .map((group) => ({ group, items: entries.filter((entry) => entry.group === group) }))
    .filter(({ items }) => items.length > 0);

  return (
    <Dialog title="Command palette" onClose={close} className="palette">
      <input
        className="input palette__input"
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-activedescendant={entries[current] ? optionId(entries[current]) : undefined}
        aria-autocomplete="list"
        aria-label="Find an account or a command"
        placeholder="Find an account to copy its token, or type a command"
        value={search}
        onChange={(event) => {
          setSearch(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        data-autofocus
      />
      <div id={`${id}-list`} role="listbox" aria-label="Results" className="palette__list">
        {groups.length === 0 ? <p className="palette__empty">Nothing matches.</p> : null}
        {groups.map(({ group, items }) => (
          <div key={group} role="group" aria-labelledby={`${id}-${group}`}>
            <div id={`${id}-${group}`} className="palette__heading" role="presentation">
              {group}
            </div>
            {items.map((entry) => {
              const selected = entries[current] === entry;
              return (
                <div
                  key={entry.id}
                  id={optionId(entry)}
                  role="option"
                  aria-selected={selected}
                  className="palette__item"
                  onMouseMove={() => setActive(entries.indexOf(entry))}
                  onClick={() => run(entry)}
                >
                  <span>{entry.label}</span>
                  {entry.detail ? <span className="muted small">{entry.detail}</span> : null}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </Dialog>
  );
}

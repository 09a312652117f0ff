import { lazy, Suspense, useEffect, useState } from 'react';
import { useStore } from '../../store';
import { DeckIcon } from '../deck-icon';
import { EmptyState } from '../empty-state';
import { InlineError } from '../inline-error';
import { AccountList } from './account-list';
import { MergeAccountsDialog, RemoveAccountDialog, RenameAccountDialog } from './account-dialogs';
import { ViewHeader } from '../page-header';
import { SearchField } from '../search-field';

const Timeline = lazy(() => import('./timeline'));

type Mode = 'list' | 'timeline';

/** The accounts dashboard: search, the grouped list or the timeline, and its dialogs. */
export function AccountsView() {
  const count = useStore((state) => state.accountOrder.length);
  const status = useStore((state) => state.accountsStatus);
  const error = useStore((state) => state.accountsError);
  const loadAccounts = useStore((state) => state.loadAccounts);
  const loadProviders = useStore((state) => state.loadProviders);
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<Mode>('list');
  const [removing, setRemoving] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [merging, setMerging] = useState<string | null>(null);

  useEffect(() => {
    void loadAccounts();
    void loadProviders();
  }, [loadAccounts, loadProviders]);

  return (
    <div className="view view--fill">
      <ViewHeader
        title="Accounts"
        subtitle="Tokens stay fresh and encrypted. Copy one when you need it."
      >
        {count > 0 ? <ConnectButton /> : null}
      </ViewHeader>
      <InlineError message={error} />
      {status === 'loading' && count === 0 ? (
        <p className="muted" aria-busy="true">
          Loading accounts…
        </p>
      ) : null}
      {status === 'ready' && count === 0 ? <NoAccounts /> : null}
      {count > 0 ? (
        <>
          <div className="toolbar">
            <SearchField
              label="Search accounts"
              placeholder="Search provider, label, subject or scope"
              value={query}
              onChange={setQuery}
            />
            <div className="segmented" role="group" aria-label="Show accounts as">
              {(['list', 'timeline'] as const).map((value) => (
                <button
                  key={value}
                  type="button"
                  className="segmented__item"
                  aria-pressed={mode === value}
                  onClick={() => setMode(value)}
                >
                  {value === 'list' ? 'List' : 'Timeline'}
                </button>
              ))}
            </div>
          </div>
          {mode === 'list' ? (
            <AccountList
              query={query}
              onRemove={setRemoving}
              onRename={setRenaming}
              onMerge={setMerging}
            />
          ) : (
            <Suspense fallback={<p className="muted">Loading the timeline…</p>}>
              <Timeline query={query} />
            </Suspense>
          )}
        </>
      ) : null}
      {removing ? (
        <RemoveAccountDialog accountId={removing} onClose={() => setRemoving(null)} />
      ) : null}
      {renaming ? (
        <RenameAccountDialog accountId={renaming} onClose={() => setRenaming(null)} />
      ) : null}
      {merging ? (
        <MergeAccountsDialog accountId={merging} onClose={() => setMerging(null)} />
      ) : null}
    </div>
  );
}

/** Opens the connect flow: the only provider directly, else the Providers view to pick one. */
function ConnectButton({ primary }: { primary?: boolean }) {
  const providers = useStore((state) => state.providers);
  const openConnect = useStore((state) => state.openConnect);
  const setView = useStore((state) => state.setView);
  const openProviderEditor = useStore((state) => state.openProviderEditor);
  const only = providers.length === 1 ? providers[0] : undefined;
  const onClick = () => {
    if (only) openConnect(only.id);
    else if (providers.length === 0) openProviderEditor({ mode: 'new' });
    else setView('providers');
  };
  return (
    <button
      type="button"
      className={`button${primary ? ' button--primary' : ''}`}
      onClick={onClick}
    >
      {only
        ? `Connect ${only.name}`
        : providers.length === 0
          ? 'Add a provider'
          : 'Connect an account'}
    </button>
  );
}

function NoAccounts() {
  return (
    <EmptyState title="No accounts yet" icon={<DeckIcon size={40} />}>
      <p>Connect an account and Tokendeck keeps its token fresh, encrypted and ready to copy.</p>
      <div className="empty__actions">
        <ConnectButton primary />
      </div>
      <p className="muted small">
        Or from a terminal: <code className="command">tokendeck connect &lt;provider&gt;</code>
      </p>
    </EmptyState>
  );
}

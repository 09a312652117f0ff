import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AccountSummary } from '../../src-preload/contract';
import { formatExpiry } from '../format/expiry';
import { useStore } from '../store';
import { DeckIcon } from './deck-icon';
import { EmptyState } from './empty-state';
import { InlineError } from './inline-error';
import { ViewHeader } from './page-header';
import { StatusBadge } from './status-badge';
import { useNow } from './use-now';

/** The accounts view: every connected account, its token state, and one-click copy. */
export function AccountsView() {
  const { accounts, status, error } = useStore(
    useShallow((state) => ({
      accounts: state.accounts,
      status: state.accountsStatus,
      error: state.accountsError,
    })),
  );
  const loadAccounts = useStore((state) => state.loadAccounts);
  const loadProviders = useStore((state) => state.loadProviders);

  useEffect(() => {
    void loadAccounts();
    void loadProviders();
  }, [loadAccounts, loadProviders]);

  return (
    <div className="view">
      <ViewHeader
        title="Accounts"
        subtitle="Tokens stay fresh and encrypted. Copy one when you need it."
      />
      <InlineError message={error} />
      {status === 'loading' && accounts.length === 0 ? (
        <p className="muted" aria-busy="true">
          Loading accounts…
        </p>
      ) : null}
      {status === 'ready' && accounts.length === 0 ? <NoAccounts /> : null}
      {accounts.length > 0 ? <AccountsTable accounts={accounts} /> : null}
    </div>
  );
}

function NoAccounts() {
  return (
    <EmptyState title="No accounts yet" icon={<DeckIcon size={40} />}>
      <p>Connect an account and Tokendeck keeps its token fresh, encrypted and ready to copy.</p>
      <p>
        Add a provider, then Connect — or from a terminal:{' '}
        <code className="command">tokendeck connect &lt;provider&gt;</code>
      </p>
    </EmptyState>
  );
}

function AccountsTable({ accounts }: { accounts: AccountSummary[] }) {
  const now = useNow();
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Account</th>
            <th scope="col">Status</th>
            <th scope="col">Expires</th>
            <th scope="col">Scopes</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <AccountRow key={account.id} account={account} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AccountRow({ account, now }: { account: AccountSummary; now: number }) {
  const copyToken = useStore((state) => state.copyToken);
  const rowError = useStore((state) => state.accountErrors[account.id]);
  return (
    <tr>
      <td>{account.providerName}</td>
      <td>
        <div className="account-label">{account.label}</div>
        {account.subject && account.subject !== account.label ? (
          <div className="muted small">{account.subject}</div>
        ) : null}
        {rowError ? (
          <div className="inline-error small" role="alert">
            {rowError}
          </div>
        ) : null}
      </td>
      <td>
        <StatusBadge state={account.status.state} reason={account.status.reason} />
      </td>
      <td className="nowrap">{formatExpiry(account.expiresAt, now)}</td>
      <td>
        {account.scopes.length > 0 ? (
          <ul className="scopes">
            {account.scopes.map((scope) => (
              <li key={scope} className="scope">
                {scope}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="actions">
        <button
          type="button"
          className="button"
          onClick={() => void copyToken(account.id)}
          aria-label={`Copy token for ${account.label}`}
        >
          Copy
        </button>
      </td>
    </tr>
  );
}

import { memo, type KeyboardEvent } from 'react';
import type { AccountSummary } from '../../../src-preload/contract';
import { useStore } from '../../store';
import { MenuButton, type MenuItem } from '../menu';
import { needsUser, StatusBadge } from '../status-badge';
import { Ago, Countdown } from './countdown';

/** What a row asks of the list around it: confirmations and focus moves. */
export interface RowCallbacks {
  onRemove(accountId: string): void;
  onRename(accountId: string): void;
  onMerge(accountId: string): void;
  onFocusRow(accountId: string): void;
  onMoveFocus(accountId: string, step: number): void;
}

const MAX_SCOPES = 4;

/**
 * One account in the dashboard. It reads its own summary from the store by id, so an event for
 * another account, or a tick, never re-renders it.
 */
export const AccountRow = memo(function AccountRow({
  id,
  tabbable,
  start,
  size,
  callbacks,
}: {
  id: string;
  tabbable: boolean;
  /** Where the virtual list places the row. */
  start: number;
  size: number;
  callbacks: RowCallbacks;
}) {
  const account = useStore((state) => state.accountsById[id]);
  const error = useStore((state) => state.accountErrors[id]);
  const busy = useStore((state) => state.accountBusy[id]);
  const copyToken = useStore((state) => state.copyToken);
  const renewAccount = useStore((state) => state.renewAccount);
  const openConnect = useStore((state) => state.openConnect);
  const inspect = useStore((state) => state.inspect);
  const setDefaultAccount = useStore((state) => state.setDefaultAccount);
  if (!account) return null;

  const { state, reason } = account.status;
  const signIn = needsUser(state);
  const reconnect = () => openConnect(account.providerId, account.id);
  const duplicates = account.possibleDuplicates.length > 0;
  const items: MenuItem[] = [
    { label: 'Copy token', onSelect: () => void copyToken(id, 'token') },
    { label: 'Copy as header', onSelect: () => void copyToken(id, 'header') },
    { label: 'Copy as curl', onSelect: () => void copyToken(id, 'curl') },
    { label: 'Reveal and inspect…', onSelect: () => inspect(id) },
    {
      label: 'Renew now',
      onSelect: () => void renewAccount(id),
      disabled: account.grant === 'api_key',
      hint: account.grant === 'api_key' ? 'An API key does not expire or renew.' : undefined,
    },
    { label: 'Reconnect…', onSelect: reconnect },
    { label: 'Rename…', onSelect: () => callbacks.onRename(id) },
    {
      label: `Make default for ${account.providerName}`,
      onSelect: () => void setDefaultAccount(id),
      disabled: account.isDefault,
      hint: account.isDefault
        ? 'Already the default: the provider’s name means this account.'
        : `Then “tokendeck token ${account.providerId}” means this account.`,
    },
    ...(duplicates ? [{ label: 'Merge duplicates…', onSelect: () => callbacks.onMerge(id) }] : []),
    { label: 'Remove…', onSelect: () => callbacks.onRemove(id), danger: true },
  ];

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    const mod = event.metaKey || event.ctrlKey;
    if (mod && event.key.toLowerCase() === 'c') {
      if (window.getSelection()?.toString()) return;
      void copyToken(id, 'token');
    } else if (event.key === 'Enter') inspect(id);
    else if (event.key === 'Delete' || (event.key === 'Backspace' && event.metaKey)) {
      callbacks.onRemove(id);
    } else if (event.key === 'ArrowDown') callbacks.onMoveFocus(id, 1);
    else if (event.key === 'ArrowUp') callbacks.onMoveFocus(id, -1);
    else if (event.key === 'Home') callbacks.onMoveFocus(id, -Infinity);
    else if (event.key === 'End') callbacks.onMoveFocus(id, Infinity);
    else return;
    event.preventDefault();
  };

  return (
    <div
      role="listitem"
      className={`account-row account-row--${state}`}
      style={{ height: size, transform: `translateY(${start}px)` }}
      tabIndex={tabbable ? 0 : -1}
      data-account-id={id}
      aria-label={`${account.label}, ${account.providerName}`}
      aria-busy={busy ? true : undefined}
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        if (event.target === event.currentTarget) callbacks.onFocusRow(id);
      }}
    >
      <div className="account-row__who">
        <div className="account-row__title">
          <span className="account-row__label">{account.label}</span>
          {account.isDefault ? (
            <span
              className="tag"
              title={`tokendeck token ${account.providerId} means this account`}
            >
              Default
            </span>
          ) : null}
          {account.dpopBound ? (
            <span className="tag" title="DPoP-bound (RFC 9449): each request needs a proof">
              DPoP
            </span>
          ) : null}
          {duplicates ? (
            <button
              type="button"
              className="tag tag--warn tag--button"
              onClick={() => callbacks.onMerge(id)}
              aria-label="Possible duplicate"
              title="Possible duplicate: another account of this provider has the same subject. Merge them into one."
            >
              Duplicate?
            </button>
          ) : null}
        </div>
        <Identity account={account} />
      </div>
      <div className="account-row__status">
        <StatusBadge state={state} />
        <span className="account-row__reason">{busy ? `${busy}…` : reason}</span>
      </div>
      <div className="account-row__time">
        <Countdown expiresAt={account.expiresAt} />
        <span className="muted small">
          <Ago at={account.receivedAt} prefix={account.grant === 'api_key' ? 'added' : 'renewed'} />
        </span>
      </div>
      <ul className="scopes" aria-label="Scopes">
        {account.scopes.slice(0, MAX_SCOPES).map((scope) => (
          <li key={scope} className="scope">
            {scope}
          </li>
        ))}
        {account.scopes.length > MAX_SCOPES ? (
          <li className="scope scope--more" title={account.scopes.join(' ')}>
            +{account.scopes.length - MAX_SCOPES}
          </li>
        ) : null}
      </ul>
      <div className="account-row__actions">
        {signIn ? (
          <button type="button" className="button button--primary" onClick={reconnect}>
            Sign in again
          </button>
        ) : (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void copyToken(id, 'token')}
            aria-label={`Copy token for ${account.label}`}
          >
            Copy
          </button>
        )}
        <MenuButton label={`More actions for ${account.label}`} items={items}>
          ⋯
        </MenuButton>
      </div>
      {error ? (
        <div className="account-row__error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
});

/**
 * Who the account is, as the provider proved it: its subject and what proved it ("identified by
 * email"); or, while the "who am I" call has not named it, why not.
 */
function Identity({ account }: { account: AccountSummary }) {
  if (account.namingProblem) {
    return (
      <div
        className="account-row__subject account-row__subject--problem"
        title={account.namingProblem}
      >
        {account.namingProblem}
      </div>
    );
  }
  const { subject, identifiedBy } = account;
  if (subject === null) {
    return <div className="account-row__subject">No identity proven by the provider</div>;
  }
  return (
    <div className="account-row__subject" title={subject}>
      <span className="mono">{subject}</span>
      {identifiedBy ? ` · identified by ${identifiedBy}` : null}
    </div>
  );
}

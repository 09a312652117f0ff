import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AccountSummary } from '../../../src-preload/contract';
import { useStore } from '../../store';
import { ConfirmDialog, Dialog } from '../dialog';
import { InlineError } from '../inline-error';
import { Ago } from './countdown';

/** Asks before removing an account, and says whether the provider is told (revocation). */
export function RemoveAccountDialog({
  accountId,
  onClose,
}: {
  accountId: string;
  onClose(): void;
}) {
  const account = useStore((state) => state.accountsById[accountId]);
  const provider = useStore((state) =>
    state.providers.find((item) => item.id === account?.providerId),
  );
  const removeAccount = useStore((state) => state.removeAccount);
  const error = useStore((state) => state.accountErrors[accountId]);
  const [busy, setBusy] = useState(false);
  if (!account) return null;
  const revokes = provider?.revokes ?? false;
  return (
    <ConfirmDialog
      title={`Remove ${account.label}?`}
      confirm={revokes ? 'Revoke and remove' : 'Remove'}
      busy={busy}
      error={busy ? null : error}
      onClose={onClose}
      onConfirm={() => {
        setBusy(true);
        void removeAccount(accountId).then((result) => {
          setBusy(false);
          if (result) onClose();
        });
      }}
    >
      <p>
        {revokes
          ? `Tokendeck revokes its tokens at ${account.providerName} first, so they stop working everywhere, then deletes them from this vault.`
          : `${account.providerName} offers no revocation, so its tokens keep working until they expire; Tokendeck deletes them from this vault.`}
      </p>
      <p className="muted">To use this account again, connect it again.</p>
    </ConfirmDialog>
  );
}

/** Gives an account a label of the user's; a later "who am I" answer keeps it. */
export function RenameAccountDialog({
  accountId,
  onClose,
}: {
  accountId: string;
  onClose(): void;
}) {
  const account = useStore((state) => state.accountsById[accountId]);
  const renameAccount = useStore((state) => state.renameAccount);
  const [label, setLabel] = useState(account?.label ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!account) return null;
  const clean = label.trim();
  return (
    <Dialog title={`Rename ${account.label}`} onClose={onClose}>
      <form
        className="form"
        aria-label="Rename account"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          void renameAccount(accountId, clean).then((result) => {
            setBusy(false);
            if (result.ok) onClose();
            else setError(result.message);
          });
        }}
      >
        <div className="field">
          <label className="field__label" htmlFor="rename-label">
            Label
          </label>
          <input
            id="rename-label"
            className="input"
            value={label}
            maxLength={120}
            onChange={(event) => setLabel(event.target.value)}
            data-autofocus
          />
          <p className="field__hint">
            Only in Tokendeck. A later sign-in keeps it, even when the provider names the account
            differently.
          </p>
        </div>
        <InlineError message={error} />
        <div className="sheet__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={!clean || clean === account.label || busy}
            aria-busy={busy || undefined}
          >
            Rename
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Merges possible duplicates: accounts of one provider that proved the same subject. The user
 * picks the one to keep; the newer tokens and both histories go into it, and the others go.
 */
export function MergeAccountsDialog({
  accountId,
  onClose,
}: {
  accountId: string;
  onClose(): void;
}) {
  const group = useStore(
    useShallow((state) => {
      const account = state.accountsById[accountId];
      if (!account) return [];
      return [account, ...account.possibleDuplicates.map((id) => state.accountsById[id])].filter(
        (item): item is AccountSummary => item !== undefined,
      );
    }),
  );
  const mergeAccounts = useStore((state) => state.mergeAccounts);
  const [keepId, setKeepId] = useState(
    () => group.find((account) => account.isDefault)?.id ?? accountId,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keep = group.find((account) => account.id === keepId);
  if (group.length < 2 || !keep) return null;
  const others = group.filter((account) => account.id !== keepId);
  return (
    <ConfirmDialog
      title="Merge possible duplicates"
      confirm={`Merge into ${keep.label}`}
      busy={busy}
      error={error}
      onClose={onClose}
      onConfirm={() => {
        setBusy(true);
        void mergeAccounts(
          keepId,
          others.map((account) => account.id),
        ).then((result) => {
          setBusy(false);
          if (result.ok) onClose();
          else setError(result.message);
        });
      }}
    >
      <p>
        {keep.providerName} proved the same subject
        {keep.subject ? (
          <>
            {' '}
            (<span className="mono">{keep.subject}</span>)
          </>
        ) : null}{' '}
        for these accounts. Choose the one to keep: it takes the newest tokens and keeps every
        history, and the {others.length === 1 ? 'other goes' : 'others go'}.
      </p>
      <fieldset className="choice-list">
        <legend className="visually-hidden">Account to keep</legend>
        {group.map((account) => (
          <label key={account.id} className="choice">
            <input
              type="radio"
              name="merge-keep"
              value={account.id}
              checked={account.id === keepId}
              onChange={() => setKeepId(account.id)}
            />
            <span className="choice__text">
              <span className="choice__title">
                {account.label}
                {account.isDefault ? <span className="tag">Default</span> : null}
              </span>
              <span className="muted small">
                <span className="mono">{account.id}</span> ·{' '}
                <Ago at={account.receivedAt} prefix="token received" />
              </span>
            </span>
          </label>
        ))}
      </fieldset>
    </ConfirmDialog>
  );
}

import { useState } from 'react';
import { useStore } from '../../store';
import { ConfirmDialog, Dialog } from '../dialog';
import { InlineError } from '../inline-error';

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

/**
 * Renames an account. The call comes with the account-identity issue; until then the dialog
 * explains that and changes nothing.
 */
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
  if (!account) return null;
  return (
    <Dialog title={`Rename ${account.label}`} onClose={onClose}>
      <form
        className="form"
        aria-label="Rename account"
        onSubmit={(event) => {
          event.preventDefault();
          void renameAccount(accountId, label.trim()).then((result) => {
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
            onChange={(event) => setLabel(event.target.value)}
            data-autofocus
          />
        </div>
        <InlineError message={error} />
        <div className="sheet__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={!label.trim()}>
            Rename
          </button>
        </div>
      </form>
    </Dialog>
  );
}

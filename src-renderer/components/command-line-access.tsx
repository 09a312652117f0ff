import { useState } from 'react';
import type { VaultStatus } from '../../src-preload/contract';
import { useStore } from '../store';
import { NewPassphraseForm } from './new-passphrase-form';

type Mode = 'idle' | 'set' | 'remove';

/**
 * Settings › Command-line access: the passphrase slot that the `tokendeck` command and headless
 * machines use.
 *
 * Set or change replaces the passphrase (the vault is already unlocked, so the old one is not
 * asked for). Remove has a confirmation step; main refuses to remove the last key slot, and that
 * refusal is shown as it comes, leaving only the way back.
 */
export function CommandLineAccess({ status }: { status: VaultStatus }) {
  const setPassphrase = useStore((state) => state.setPassphrase);
  const removePassphrase = useStore((state) => state.removePassphrase);
  const showToast = useStore((state) => state.showToast);
  const [mode, setMode] = useState<Mode>('idle');
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const hasPassphrase = status.slots.includes('passphrase');

  const choose = (next: Mode) => {
    setRemoveError(null);
    setMode(next);
  };

  const save = async (passphrase: string) => {
    const result = await setPassphrase(passphrase);
    if (result.ok) {
      setMode('idle');
      showToast(hasPassphrase ? 'Passphrase changed' : 'Passphrase set');
    }
    return result;
  };

  const remove = async () => {
    setRemoveError(null);
    setRemoving(true);
    const result = await removePassphrase();
    setRemoving(false);
    if (result.ok) {
      setMode('idle');
      showToast('Passphrase removed');
    } else {
      setRemoveError(result.message);
    }
  };

  return (
    <section className="panel" aria-labelledby="cli-access-title">
      <div className="panel__header">
        <h2 id="cli-access-title" className="panel__title">
          Command-line access
        </h2>
        {hasPassphrase ? (
          <span className="tag tag--ok">Passphrase set</span>
        ) : (
          <span className="tag">No passphrase</span>
        )}
      </div>
      <p className="panel__text">
        The <code className="command">tokendeck</code> command and headless machines (servers, CI)
        cannot use this computer&rsquo;s keychain. They unlock the same vault with a passphrase.
      </p>
      <p className="panel__text">
        {hasPassphrase
          ? 'A passphrase is set: the command line can open this vault.'
          : 'No passphrase is set: the command line cannot open this vault yet.'}
      </p>

      {mode === 'idle' ? (
        <div className="form__actions">
          <button type="button" className="button" onClick={() => choose('set')}>
            {hasPassphrase ? 'Change passphrase' : 'Set passphrase'}
          </button>
          {hasPassphrase ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => choose('remove')}
            >
              Remove passphrase
            </button>
          ) : null}
        </div>
      ) : null}

      {mode === 'set' ? (
        <NewPassphraseForm
          label={hasPassphrase ? 'Change the passphrase' : 'Set a passphrase'}
          fieldLabel={hasPassphrase ? 'New passphrase' : 'Passphrase'}
          submitLabel={hasPassphrase ? 'Change passphrase' : 'Set passphrase'}
          busyLabel="Saving…"
          onSubmit={save}
          onCancel={() => choose('idle')}
          autoFocus
        />
      ) : null}

      {mode === 'remove' ? (
        <div className="confirm" role="group" aria-label="Remove the passphrase">
          <p>
            Remove the passphrase? The <code className="command">tokendeck</code> command and
            headless machines will no longer be able to unlock this vault.
          </p>
          {removeError ? (
            <p className="inline-error inline-error--boxed" role="alert">
              {removeError}
            </p>
          ) : null}
          <div className="form__actions">
            {removeError ? null : (
              <button
                type="button"
                className="button button--danger"
                disabled={removing}
                aria-busy={removing || undefined}
                onClick={() => void remove()}
              >
                {removing ? 'Removing…' : 'Yes, remove passphrase'}
              </button>
            )}
            <button
              type="button"
              className="button button--secondary"
              onClick={() => choose('idle')}
            >
              {removeError ? 'Close' : 'Cancel'}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

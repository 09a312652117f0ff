import { useId, useRef, useState, type FormEvent } from 'react';
import { useStore } from '../store';

/**
 * One passphrase field that unlocks the vault.
 *
 * A wrong passphrase (or any refusal from main) is shown inline; the field keeps what was typed
 * and is selected, so a typo is fixed without typing everything again.
 */
export function UnlockForm({
  label,
  submitLabel = 'Unlock',
  autoFocus = false,
}: {
  /** The accessible name of the form. */
  label: string;
  submitLabel?: string;
  autoFocus?: boolean;
}) {
  const unlockWithPassphrase = useStore((state) => state.unlockWithPassphrase);
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    if (passphrase.length === 0) {
      setError('Enter your passphrase.');
      inputRef.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    const result = await unlockWithPassphrase(passphrase);
    setBusy(false);
    if (result.ok) {
      setPassphrase('');
      return;
    }
    setError(result.message);
    inputRef.current?.select();
    inputRef.current?.focus();
  };

  const errorId = `${id}-error`;
  return (
    <form className="form" aria-label={label} noValidate onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-passphrase`}>
          Passphrase
        </label>
        <div className="field__row">
          <input
            ref={inputRef}
            id={`${id}-passphrase`}
            className="input"
            type="password"
            autoComplete="current-password"
            autoFocus={autoFocus}
            value={passphrase}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => setPassphrase(event.target.value)}
          />
          <button type="submit" className="button" disabled={busy} aria-busy={busy || undefined}>
            {busy ? 'Unlocking…' : submitLabel}
          </button>
        </div>
        {error ? (
          <p id={errorId} className="field__error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </form>
  );
}

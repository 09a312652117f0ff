import { useId, useState, type FormEvent } from 'react';
import type { VaultActionResult } from '../store';
import { InlineError } from './inline-error';

export interface ConfirmedActionFormProps {
  /** The form's accessible name. */
  label: string;
  /** What the user must agree to, in plain words; the button is disabled until it is ticked. */
  confirmation: string;
  button: string;
  busyButton: string;
  action(): Promise<VaultActionResult>;
}

/**
 * A risky action that runs only after the user ticks a box saying what it means.
 *
 * Used for the insecure keychain opt-in (SECURITY 23) and for starting over with a new vault.
 * The service's refusal is shown inline.
 */
export function ConfirmedActionForm(props: ConfirmedActionFormProps) {
  const id = useId();
  const [understood, setUnderstood] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!understood || busy) return;
    setError(null);
    setBusy(true);
    const result = await props.action();
    setBusy(false);
    if (!result.ok) setError(result.message);
  };

  return (
    <form
      className="form"
      aria-label={props.label}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <div className="checkbox">
        <input
          id={`${id}-understood`}
          type="checkbox"
          checked={understood}
          onChange={(event) => setUnderstood(event.target.checked)}
        />
        <label htmlFor={`${id}-understood`}>{props.confirmation}</label>
      </div>
      <InlineError message={error} />
      <div className="form__actions">
        <button
          type="submit"
          className="button button--danger"
          disabled={!understood || busy}
          aria-busy={busy || undefined}
        >
          {busy ? props.busyButton : props.button}
        </button>
      </div>
    </form>
  );
}

import { useId, useRef, useState, type FormEvent } from 'react';
import {
  MIN_PASSPHRASE_LENGTH,
  checkNewPassphrase,
  type PassphraseProblem,
} from '../forms/new-passphrase';
import type { VaultActionResult } from '../store';
import { InlineError } from './inline-error';

/**
 * A passphrase and its repetition, checked here and then handed to `onSubmit`.
 *
 * A rule broken (too short, not matching) is shown beside its field and nothing is sent; an error
 * from main is shown under the form and the fields are kept. The passphrase lives only in this
 * form's state and is cleared once main accepted it.
 */
export function NewPassphraseForm({
  label,
  fieldLabel = 'Passphrase',
  submitLabel,
  busyLabel,
  onSubmit,
  onCancel,
  autoFocus = false,
}: {
  /** The accessible name of the form. */
  label: string;
  /** The first field's label ("New passphrase" when changing one); the second repeats it. */
  fieldLabel?: string;
  submitLabel: string;
  busyLabel: string;
  onSubmit(passphrase: string): Promise<VaultActionResult>;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<PassphraseProblem | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passphraseRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const found = checkNewPassphrase(passphrase, repeat);
    setProblem(found);
    setFailure(null);
    if (found) {
      (found.field === 'passphrase' ? passphraseRef : repeatRef).current?.focus();
      return;
    }
    setBusy(true);
    const result = await onSubmit(passphrase);
    setBusy(false);
    if (result.ok) {
      setPassphrase('');
      setRepeat('');
    } else {
      setFailure(result.message);
    }
  };

  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;
  const describedBy = (field: PassphraseProblem['field']) =>
    problem?.field === field ? problemId : field === 'passphrase' ? hintId : undefined;

  return (
    <form className="form" aria-label={label} noValidate onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-passphrase`}>
          {fieldLabel}
        </label>
        <input
          ref={passphraseRef}
          id={`${id}-passphrase`}
          className="input"
          type="password"
          autoComplete="new-password"
          autoFocus={autoFocus}
          value={passphrase}
          aria-invalid={problem?.field === 'passphrase' ? true : undefined}
          aria-describedby={describedBy('passphrase')}
          onChange={(event) => setPassphrase(event.target.value)}
        />
        {problem?.field === 'passphrase' ? (
          <p id={problemId} className="field__error" role="alert">
            {problem.message}
          </p>
        ) : (
          <p id={hintId} className="field__hint">
            At least {MIN_PASSPHRASE_LENGTH} characters. A few unrelated words are easy to type and
            hard to guess.
          </p>
        )}
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-repeat`}>
          Repeat {fieldLabel.toLowerCase()}
        </label>
        <input
          ref={repeatRef}
          id={`${id}-repeat`}
          className="input"
          type="password"
          autoComplete="new-password"
          value={repeat}
          aria-invalid={problem?.field === 'repeat' ? true : undefined}
          aria-describedby={describedBy('repeat')}
          onChange={(event) => setRepeat(event.target.value)}
        />
        {problem?.field === 'repeat' ? (
          <p id={problemId} className="field__error" role="alert">
            {problem.message}
          </p>
        ) : null}
      </div>
      <InlineError message={failure} />
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy} aria-busy={busy || undefined}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

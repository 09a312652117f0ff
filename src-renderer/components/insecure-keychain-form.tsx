import { useStore } from '../store';
import { ConfirmedActionForm } from './confirmed-action-form';

/**
 * The explicit opt-in to an OS keychain that is not real encryption (SECURITY 23).
 *
 * `allowInsecureKeychain({ confirm: true })` is sent only after the user ticks a box saying, in
 * plain words, that the secrets would be readable by anyone with access to this user account.
 */
export function InsecureKeychainForm() {
  const allowInsecureKeychain = useStore((state) => state.allowInsecureKeychain);
  return (
    <ConfirmedActionForm
      label="Use the unprotected keychain"
      confirmation="I understand that my tokens, client secrets and API keys would be readable by anyone with access to this user account."
      button="Use the unprotected keychain"
      busyButton="Setting up…"
      action={allowInsecureKeychain}
    />
  );
}

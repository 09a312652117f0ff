import type { VaultStatus } from '../../src-preload/contract';
import { useStore } from '../store';
import { InsecureKeychainForm } from './insecure-keychain-form';
import { NewPassphraseForm } from './new-passphrase-form';
import { GateHeader } from './page-header';

/** Said when main gives no reason of its own; the screen only appears without a secure keyring. */
const NO_KEYRING =
  'Tokendeck found no secure system keyring on this computer, so it cannot protect your vault with it.';

/**
 * The first start without a secure OS keychain (Linux basic_text, or none at all).
 *
 * It says plainly that the keyring is not secure, using main's own warning, and offers two ways
 * on: a passphrase (recommended), or the unprotected keychain after an explicit confirmation.
 */
export function SetupScreen({ status }: { status: VaultStatus }) {
  const setPassphrase = useStore((state) => state.setPassphrase);
  return (
    <div className="gate">
      <GateHeader
        title="Set up your vault"
        subtitle="Tokendeck keeps your tokens and secrets in an encrypted vault. Choose how to protect it."
      />

      <section className="callout callout--warn" aria-label="System keyring">
        <h2 className="callout__title">The system keyring is not secure here</h2>
        <p>{status.keychainWarning ?? NO_KEYRING}</p>
      </section>

      {status.setAside ? (
        <p className="muted small">
          Your previous vault file was kept at <code className="path">{status.setAside}</code>.
        </p>
      ) : null}

      <section className="panel" aria-labelledby="setup-passphrase-title">
        <div className="panel__header">
          <h2 id="setup-passphrase-title" className="panel__title">
            Protect with a passphrase
          </h2>
          <span className="tag tag--ok">Recommended</span>
        </div>
        <p className="panel__text">
          You enter it each time Tokendeck starts. The <code className="command">tokendeck</code>{' '}
          command and headless machines unlock the same vault with it. It cannot be recovered if you
          forget it.
        </p>
        <NewPassphraseForm
          label="Protect with a passphrase"
          submitLabel="Protect with passphrase"
          busyLabel="Creating the vault…"
          onSubmit={setPassphrase}
          autoFocus
        />
      </section>

      {status.keychainAvailable === false ? null : (
        <section className="panel panel--quiet" aria-labelledby="setup-insecure-title">
          <h2 id="setup-insecure-title" className="panel__title">
            Use the unprotected keychain anyway
          </h2>
          <p className="panel__text">
            The vault key would be kept without real encryption. Choose this only if the computer is
            otherwise protected, for example by full-disk encryption and a single user. You can add
            a passphrase later in Settings.
          </p>
          <InsecureKeychainForm />
        </section>
      )}
    </div>
  );
}

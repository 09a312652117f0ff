import type { VaultStatus } from '../../src-preload/contract';
import { useStore } from '../store';
import { ConfirmedActionForm } from './confirmed-action-form';
import { GateHeader } from './page-header';
import { UnlockForm } from './unlock-form';
import { VaultFileFacts } from './vault-file-facts';

/**
 * The vault could not be opened (SECURITY 27): say why and where the file is, and that it was
 * kept.
 *
 * Main's problem text and the path are shown verbatim, as text. The way on is the command-line
 * passphrase, which is a separate key slot from the OS keychain. When only the keychain key
 * changed, the user may also start over; the old file is moved aside, never deleted. A corrupt
 * file is never reset.
 */
export function RecoveryScreen({ status }: { status: VaultStatus }) {
  const resetVault = useStore((state) => state.resetVault);
  return (
    <div className="gate">
      <GateHeader
        title="Your vault needs attention"
        subtitle="Tokendeck could not open the vault, so it stopped here."
      />

      <section className="callout callout--danger" aria-label="What happened">
        <h2 className="callout__title">What happened</h2>
        <p className="pre-wrap">{status.problem ?? 'The vault could not be opened.'}</p>
      </section>

      <section className="panel" aria-labelledby="recovery-file-title">
        <h2 id="recovery-file-title" className="panel__title">
          Nothing was deleted
        </h2>
        <p className="panel__text">
          The vault file is kept exactly as it was. Back it up before you try anything else.
        </p>
        <VaultFileFacts status={status} />
      </section>

      <section className="panel" aria-labelledby="recovery-unlock-title">
        <h2 id="recovery-unlock-title" className="panel__title">
          Unlock with your command-line passphrase
        </h2>
        <p className="panel__text">
          If you set a passphrase for the <code className="command">tokendeck</code> command, it
          opens the same vault.
        </p>
        <UnlockForm label="Unlock with your command-line passphrase" />
      </section>

      {status.recovery === 'keychain-changed' ? (
        <section className="panel" aria-labelledby="recovery-reset-title">
          <h2 id="recovery-reset-title" className="panel__title">
            Start over with a new vault
          </h2>
          <p className="panel__text">
            Without the passphrase, the accounts in this vault cannot be opened here. Starting over
            gives you an empty vault; the current file is moved aside, not deleted.
          </p>
          <ConfirmedActionForm
            label="Start over with a new vault"
            confirmation="I understand that I will have to connect my accounts again. The current vault file is kept beside the new one."
            button="Start over"
            busyButton="Starting over…"
            action={resetVault}
          />
        </section>
      ) : null}
    </div>
  );
}

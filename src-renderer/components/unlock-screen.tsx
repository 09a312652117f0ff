import type { VaultStatus } from '../../src-preload/contract';
import { GateHeader } from './page-header';
import { UnlockForm } from './unlock-form';

/** The vault is protected only by a passphrase: ask for it before anything else. */
export function UnlockScreen({ status }: { status: VaultStatus }) {
  return (
    <div className="gate">
      <GateHeader
        title="Unlock your vault"
        subtitle="This vault is protected by a passphrase. Enter it to see your accounts."
      />
      <section className="panel" aria-label="Unlock">
        <UnlockForm label="Unlock the vault" autoFocus />
        <p className="muted small panel__footer">
          Vault file: <code className="path">{status.path}</code>
        </p>
      </section>
    </div>
  );
}

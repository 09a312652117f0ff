import { useStore } from '../store';
import { InlineError } from './inline-error';
import { GateHeader } from './page-header';
import { RecoveryScreen } from './recovery-screen';
import { SetupScreen } from './setup-screen';
import { UnlockScreen } from './unlock-screen';

/**
 * What the shell shows while the vault is not unlocked: loading, an error, or the screen for the
 * vault's state.
 */
export function VaultGate() {
  const vault = useStore((state) => state.vault);
  const error = useStore((state) => state.vaultError);
  const loadVaultStatus = useStore((state) => state.loadVaultStatus);

  if (error) {
    return (
      <div className="gate">
        <GateHeader title="Tokendeck cannot reach its vault" />
        <InlineError message={error} />
        <div className="form__actions">
          <button type="button" className="button" onClick={() => void loadVaultStatus()}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  if (!vault) {
    return (
      <p className="muted gate" aria-busy="true">
        Opening the vault…
      </p>
    );
  }
  switch (vault.state) {
    case 'needs-setup':
      return <SetupScreen status={vault} />;
    case 'locked':
      return <UnlockScreen status={vault} />;
    case 'recovery':
      return <RecoveryScreen status={vault} />;
    case 'unlocked':
      return null;
    default: {
      const unknown: never = vault.state;
      throw new Error(`Unknown vault state: ${String(unknown)}`);
    }
  }
}

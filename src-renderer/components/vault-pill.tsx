import type { VaultStatus } from '../../src-preload/contract';
import { useStore } from '../store';

const PILLS: Record<VaultStatus['state'], { label: string; tone: 'ok' | 'warn' | 'danger' }> = {
  unlocked: { label: 'Vault unlocked', tone: 'ok' },
  locked: { label: 'Vault locked', tone: 'warn' },
  'needs-setup': { label: 'Vault not set up', tone: 'warn' },
  recovery: { label: 'Vault needs recovery', tone: 'danger' },
};

/**
 * The vault's state in the header.
 *
 * A keychain warning turns an unlocked pill amber, and says why, only while the vault really
 * uses the OS keychain slot; a passphrase-only vault is not weakened by the keyring.
 */
export function VaultPill() {
  const vault = useStore((state) => state.vault);
  const error = useStore((state) => state.vaultError);
  if (error) {
    return (
      <span className="pill pill--danger" role="status" title={error}>
        Vault status unknown
      </span>
    );
  }
  if (!vault) {
    return (
      <span className="pill" role="status">
        Vault…
      </span>
    );
  }
  const pill = PILLS[vault.state];
  const weakKeychain = Boolean(vault.keychainWarning) && vault.slots.includes('os-keychain');
  const tone = pill.tone === 'ok' && weakKeychain ? 'warn' : pill.tone;
  const title = vault.problem ?? vault.keychainWarning ?? vault.path;
  return (
    <span className={`pill pill--${tone}`} role="status" title={title}>
      <span className="pill__dot" aria-hidden="true" />
      {pill.label}
    </span>
  );
}

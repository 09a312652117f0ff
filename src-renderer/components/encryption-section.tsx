import type { VaultStatus } from '../../src-preload/contract';
import { slotDescription, slotName } from '../format/slots';
import { VaultFileFacts } from './vault-file-facts';

/**
 * Settings › Encryption: the key slots that can unlock the vault, in plain words, and the
 * keychain warning when the OS keychain is not real encryption.
 */
export function EncryptionSection({ status }: { status: VaultStatus }) {
  const warning = status.keychainWarning;
  return (
    <section className="panel" aria-labelledby="encryption-title">
      <h2 id="encryption-title" className="panel__title">
        Encryption
      </h2>
      <p className="panel__text">
        Every token and secret is encrypted with one key. Each of these can unlock that key:
      </p>
      {status.slots.length > 0 ? (
        <ul className="slots" aria-label="Key slots">
          {status.slots.map((kind) => (
            <li key={kind} className="slot">
              <div className="slot__name">
                {slotName(kind)}
                {kind === 'os-keychain' && warning ? (
                  <span className="tag tag--warn">Not secure</span>
                ) : null}
              </div>
              <div className="muted small">{slotDescription(kind)}</div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No key slots are listed for this vault.</p>
      )}
      {warning ? (
        <div className="callout callout--warn" role="note" aria-label="System keyring">
          <h3 className="callout__title">
            {status.slots.includes('os-keychain')
              ? 'The OS keychain slot is not real encryption'
              : 'The system keyring is not secure here'}
          </h3>
          <p>{warning}</p>
        </div>
      ) : null}
      <VaultFileFacts status={status} />
    </section>
  );
}

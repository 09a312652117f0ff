import { useStore } from '../store';
import { CommandLineAccess } from './command-line-access';
import { EncryptionSection } from './encryption-section';

/** Settings: how the vault is unlocked, by the app and by the command line. */
export function SettingsView() {
  const vault = useStore((state) => state.vault);
  return (
    <div className="view view--narrow">
      <header className="view__header">
        <div>
          <h1 className="view__title">Settings</h1>
          <p className="view__subtitle">How your vault is protected and who can unlock it.</p>
        </div>
      </header>
      {vault ? (
        <>
          <CommandLineAccess status={vault} />
          <EncryptionSection status={vault} />
        </>
      ) : null}
    </div>
  );
}

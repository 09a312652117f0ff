import { useStore } from '../store';
import { CommandLineAccess } from './command-line-access';
import { EncryptionSection } from './encryption-section';
import { ViewHeader } from './page-header';

/** Settings: how the vault is unlocked, by the app and by the command line. */
export function SettingsView() {
  const vault = useStore((state) => state.vault);
  return (
    <div className="view view--narrow">
      <ViewHeader title="Settings" subtitle="How your vault is protected and who can unlock it." />
      {vault ? (
        <>
          <CommandLineAccess status={vault} />
          <EncryptionSection status={vault} />
        </>
      ) : null}
    </div>
  );
}

import { useStore } from '../store';
import { CommandLineAccess } from './command-line-access';
import { EncryptionSection } from './encryption-section';
import { ViewHeader } from './page-header';
import { TerminalAgentSection } from './terminal-agent-section';

/** Settings: how the vault is unlocked, by the app and by the command line. */
export function SettingsView() {
  const vault = useStore((state) => state.vault);
  return (
    <div className="view view--narrow">
      <ViewHeader title="Settings" subtitle="How your vault is protected and who can unlock it." />
      {vault ? (
        <>
          {vault.passphraseTooShort ? (
            <p className="panel__text" role="status">
              Your passphrase is shorter than 8 characters. It still works; choose a longer one
              under Command-line access.
            </p>
          ) : null}
          <CommandLineAccess status={vault} />
          <TerminalAgentSection />
          <EncryptionSection status={vault} />
        </>
      ) : null}
    </div>
  );
}

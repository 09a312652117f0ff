import { useStore } from '../store';
import { AboutSection } from './about-section';
import { CommandLineAccess } from './command-line-access';
import { EncryptionSection } from './encryption-section';
import { NetworkSection } from './network-section';
import { ViewHeader } from './page-header';
import { TerminalAgentSection } from './terminal-agent-section';
import { PreferencesSection } from './preferences-section';

/** Settings: copying and the theme, and how the vault is unlocked by the app and the command line. */
export function SettingsView() {
  const vault = useStore((state) => state.vault);
  return (
    <div className="view view--narrow">
      <ViewHeader
        title="Settings"
        subtitle="Copying, appearance, and how your vault is protected."
      />
      <PreferencesSection />
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
          {vault.state === 'unlocked' ? <NetworkSection /> : null}
          <EncryptionSection status={vault} />
        </>
      ) : null}
      <AboutSection />
    </div>
  );
}

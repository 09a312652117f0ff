import { useStore } from '../store';
import { AboutSection } from './about-section';
import { CommandLineAccess } from './command-line-access';
import { EncryptionSection } from './encryption-section';
import { ViewHeader } from './page-header';
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
          <CommandLineAccess status={vault} />
          <EncryptionSection status={vault} />
        </>
      ) : null}
      <AboutSection />
    </div>
  );
}

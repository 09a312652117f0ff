import { readAgentSettings, writeAgentSettings } from './agent';
import type { AgentSettings } from './api';
import type { EventBus } from './event-bus';
import type { Logger } from './log';
import type { Clock } from './ports';
import { once } from './service-parts';
import type { Settings, SettingsFile, SettingsPatch } from './settings';

/**
 * The two settings files that need no vault: the app's preferences (`preferences.json`: copy
 * minimum lifetime, clipboard delay, theme, open at login) and the terminal agent's
 * (`agent-settings.json`). A save is announced on the bus, so the desktop shell and the agent
 * host follow it. The preferences file and its schema load on first use, so the CLI's `token`
 * never loads them.
 */
export class Preferences {
  private readonly file: () => Promise<SettingsFile>;

  constructor(
    private readonly dataDir: string,
    logger: Logger,
    clock: Clock,
    private readonly bus: EventBus,
  ) {
    this.file = once(async () => {
      const { SettingsFile } = await import('./settings');
      return new SettingsFile(dataDir, logger, () => clock.now());
    });
  }

  async read(): Promise<Settings> {
    return (await this.file()).read();
  }

  async save(patch: SettingsPatch): Promise<Settings> {
    const saved = await (await this.file()).save(patch);
    this.bus.emit('settingsChanged', saved);
    return saved;
  }

  readAgent(): Promise<AgentSettings> {
    return readAgentSettings(this.dataDir);
  }

  async saveAgent(settings: AgentSettings): Promise<AgentSettings> {
    await writeAgentSettings(this.dataDir, settings);
    this.bus.emit('agentSettingsChanged', settings);
    return settings;
  }
}

import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from './log';
import {
  DEFAULT_SETTINGS,
  settingsSchema,
  type Settings,
  type SettingsPatch,
} from './settings-schema';
import { errnoOf, writeFileAtomic } from './vault';

export * from './settings-schema';

export const SETTINGS_FILE = 'preferences.json';

/**
 * Reads and writes the preferences file.
 *
 * A file that cannot be parsed is moved aside (`preferences.json.unreadable-<time>`) on the next
 * save, never silently overwritten; until then the defaults apply and the problem is logged.
 */
export class SettingsFile {
  private current: Settings | null = null;
  private unreadable = false;
  private readonly path: string;

  constructor(
    dataDir: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.path = join(dataDir, SETTINGS_FILE);
  }

  async read(): Promise<Settings> {
    if (this.current) return this.current;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') this.logger.warn('cannot read preferences', { error });
      this.current = DEFAULT_SETTINGS;
      return this.current;
    }
    try {
      this.current = settingsSchema.parse(JSON.parse(text));
    } catch (error) {
      this.logger.warn('preferences.json is not valid; using the defaults', { error });
      this.unreadable = true;
      this.current = DEFAULT_SETTINGS;
    }
    return this.current;
  }

  async save(patch: SettingsPatch): Promise<Settings> {
    const next = settingsSchema.parse({ ...(await this.read()), ...patch });
    if (this.unreadable) {
      const aside = `${this.path}.unreadable-${this.now()}`;
      await rename(this.path, aside).catch(() => undefined);
      this.logger.warn('moved an unreadable preferences file aside', { aside });
      this.unreadable = false;
    }
    await writeFileAtomic(this.path, Buffer.from(`${JSON.stringify(next, null, 2)}\n`));
    this.current = next;
    return next;
  }
}

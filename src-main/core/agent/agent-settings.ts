import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentSettings } from '../api';
import { writeFileAtomic } from '../vault';

/**
 * Whether the desktop app serves the vault to terminals: off until the user turns it on, and
 * then, by default, asking about each new terminal (as 1Password asks for `op`). Not secret; kept
 * in `agent-settings.json` beside the vault.
 */
export const AGENT_SETTINGS_FILE = 'agent-settings.json';
export const DEFAULT_AGENT_SETTINGS: AgentSettings = { enabled: false, askOnNewTerminal: true };

export async function readAgentSettings(dataDir: string): Promise<AgentSettings> {
  try {
    const value = JSON.parse(await readFile(join(dataDir, AGENT_SETTINGS_FILE), 'utf8')) as Partial<
      Record<keyof AgentSettings, unknown>
    >;
    return {
      enabled: value.enabled === true,
      askOnNewTerminal: value.askOnNewTerminal !== false,
    };
  } catch {
    return { ...DEFAULT_AGENT_SETTINGS };
  }
}

export async function writeAgentSettings(dataDir: string, settings: AgentSettings): Promise<void> {
  await writeFileAtomic(join(dataDir, AGENT_SETTINGS_FILE), Buffer.from(JSON.stringify(settings)));
}

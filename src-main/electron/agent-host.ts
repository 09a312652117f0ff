import { dialog, type BrowserWindow } from 'electron';
import {
  startAgent,
  type AgentClientInfo,
  type AgentSettings,
  type Logger,
  type RunningAgent,
  type TokendeckService,
} from '../core';

/**
 * The desktop app's agent: serves the vault to this user's terminals while Settings has it on.
 *
 * With "ask when a new terminal connects", the first command from a terminal (its shell, the
 * command's parent process) shows a question in the app, as 1Password does for `op`; an allowed
 * terminal is not asked again until the app quits. The agent follows the app's own lock: while
 * the vault is locked, every call answers "locked".
 */
export interface AgentHost {
  apply(settings: AgentSettings): Promise<void>;
  stop(): Promise<void>;
}

export interface AgentHostOptions {
  dataDir: string;
  service: TokendeckService;
  logger: Logger;
  window: () => BrowserWindow | null;
  /** The question; tests hand in their own answer. */
  ask?: (client: AgentClientInfo, window: BrowserWindow | null) => Promise<boolean>;
}

export function createAgentHost(options: AgentHostOptions): AgentHost {
  let running: RunningAgent | null = null;
  let settings: AgentSettings = { enabled: false, askOnNewTerminal: true };
  const allowed = new Set<number>();
  const ask = options.ask ?? askInApp;
  let queue = Promise.resolve();

  const approve = async (client: AgentClientInfo): Promise<boolean> => {
    if (!settings.askOnNewTerminal || allowed.has(client.ppid)) return true;
    const yes = await ask(client, options.window());
    if (yes) allowed.add(client.ppid);
    options.logger.info('agent: a terminal asked for tokens', { pid: client.pid, allowed: yes });
    return yes;
  };

  const stop = async () => {
    const current = running;
    running = null;
    await current?.close();
  };

  return {
    apply(next) {
      queue = queue.then(async () => {
        settings = next;
        if (!next.enabled) {
          allowed.clear();
          await stop();
        } else if (!running) {
          running = await startAgent({
            dataDir: options.dataDir,
            service: options.service,
            mode: 'desktop',
            logger: options.logger,
            approve,
          }).catch((error: unknown) => {
            options.logger.error('agent: could not start', { error });
            return null;
          });
        }
      });
      return queue;
    },
    stop() {
      queue = queue.then(stop);
      return queue;
    },
  };
}

async function askInApp(client: AgentClientInfo, window: BrowserWindow | null): Promise<boolean> {
  const question = {
    type: 'question' as const,
    buttons: ['Allow', 'Deny'],
    defaultId: 1,
    cancelId: 1,
    message: 'A terminal wants to use your Tokendeck tokens',
    detail: `"${client.command}" (process ${client.pid}, from process ${client.ppid}) asked the Tokendeck agent for a token. Allow this terminal until Tokendeck quits?`,
  };
  const { response } = window
    ? await dialog.showMessageBox(window, question)
    : await dialog.showMessageBox(question);
  return response === 0;
}

import {
  TokendeckError,
  isTokendeckError,
  type TokenCalls,
  type TokendeckService,
} from '../../core';
import type { Values } from '../args';
import type { CliIo } from '../node-ports';
import type { CliHost, OpenOptions } from '../open-service';

/** What every command gets: the terminal, the output mode, and the vault on demand. */
export interface CommandContext {
  io: CliIo;
  json: boolean;
  dataDir: string;
  host: CliHost;
  /** Writes the human text, or the value as JSON under `--json`. */
  print(human: string, value: unknown): void;
  /** The whole service: by a session, the OS keychain (app) or the passphrase. */
  open(options?: OpenOptions): Promise<TokendeckService>;
  /** Tokens and requests: through the agent when one runs, else {@link open}. */
  tokens(): Promise<TokenCalls>;
}

/** Runs one command with its own arguments and options; resolves to the exit code. */
export type Command = (args: string[], values: Values, ctx: CommandContext) => Promise<number>;

/** Turns "cannot renew without the user" into a message that names the fix. */
export async function withReconnectHint<T>(providerId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (
      isTokendeckError(error) &&
      (error.code === 'needs_reauth' || error.code === 'cannot_renew')
    ) {
      throw new TokendeckError(
        error.code,
        `${error.message.replace(/\.?$/, '.')} Connect again: tokendeck connect ${providerId}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** A time for `--json` output: ISO 8601, or null for "never". */
export function isoTime(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

import { isTokendeckError, type TokenCalls, type TokendeckService } from '../../core';
import type { Values } from '../args';
import type { CliIo } from '../node-ports';
import type { CliHost, OpenOptions } from '../open-service';

/** What every command gets: the terminal, the output mode, and the vault on demand. */
export interface CommandContext {
  io: CliIo;
  json: boolean;
  dataDir: string;
  host: CliHost;
  /** Writes the human text (cleaned for the terminal), or the value as JSON under `--json`. */
  print(human: string, value: unknown): void;
  /** Tells the person something on stderr, as one cleaned line: `note: …`. */
  note(text: string): void;
  /** The whole service: by a session, the OS keychain (app) or the passphrase. */
  open(options?: OpenOptions): Promise<TokendeckService>;
  /** Tokens and requests: through the agent when one runs, else {@link open}. */
  tokens(): Promise<TokenCalls>;
}

/** Runs one command with its own arguments and options; resolves to the exit code. */
export type Command = (args: string[], values: Values, ctx: CommandContext) => Promise<number>;

/**
 * Runs a call about one account, so that its errors name the account and its provider: the
 * command line's hint (see hints.ts) then says how to connect it again.
 */
export async function aboutAccount<T>(
  account: { id: string; providerId: string },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isTokendeckError(error)) {
      error.details.accountId ??= account.id;
      error.details.providerId ??= account.providerId;
    }
    throw error;
  }
}

/** A time for `--json` output: ISO 8601, or null for "never" (or a time no date can hold). */
export function isoTime(at: number | null): string | null {
  const date = at === null ? null : new Date(at);
  return date && Number.isFinite(date.getTime()) ? date.toISOString() : null;
}

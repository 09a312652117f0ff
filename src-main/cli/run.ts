import { version } from '../../package.json';
import {
  AgentClient,
  defaultDataDir,
  toErrorPayload,
  type TokenCalls,
  type TokendeckService,
} from '../core';
import { commandName, parse, usageError } from './args';
import { COMMANDS, type CommandContext } from './commands';
import { exitCodeFor } from './exit-codes';
import { USAGE, commandHelp } from './help';
import { cliHint } from './hints';
import { clean } from './output';
import type { CliIo } from './node-ports';
import type { CliHost } from './open-service';

export type { CliHost };

/**
 * The `tokendeck` command: parses arguments, opens what the command needs, runs it.
 *
 * Every command takes `--json`. Errors are one line on stderr with what to do about them (see
 * `hints.ts`), never a stack trace, and the exit code says the cause (see `exit-codes.ts`).
 * Each command's code is loaded only when it runs.
 */
export async function runCli(argv: string[], io: CliIo, host: CliHost = {}): Promise<number> {
  let json = argv.includes('--json');
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    // `--version` answers wherever it stands: `tokendeck --version providers` runs nothing.
    if (argv.includes('--version')) {
      io.stdout.write(`${version}\n`);
      return 0;
    }
    const command = commandName(argv);
    if (command === undefined) {
      if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
        io.stdout.write(USAGE);
        return 0;
      }
      throw usageError('Name a command. See: tokendeck --help');
    }
    const { values, args } = parse(argv, command);
    json = Boolean(values.json);
    if (command === 'help' || (values.help && command !== '__complete')) {
      const about = command === 'help' ? args.join(' ') : command;
      if (!about) {
        io.stdout.write(USAGE);
        return 0;
      }
      io.stdout.write(commandHelp(helpTopic(about)));
      return 0;
    }
    const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir(io.env);
    const keep = <T extends { close(): Promise<void> }>(value: T): T => {
      opened.push(value);
      return value;
    };
    const ctx: CommandContext = {
      io,
      json,
      dataDir,
      host,
      print: (human, value) =>
        io.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : clean(human, true)),
      note: (text) => io.stderr.write(`note: ${clean(text)}\n`),
      // Loaded on first use: the agent's client is small, the whole service is not.
      open: async (options = {}): Promise<TokendeckService> => {
        const { openService } = await import('./open-service');
        return keep(await openService(io, dataDir, options, host));
      },
      tokens: async (): Promise<TokenCalls> => {
        const agent = await AgentClient.connect(dataDir);
        if (agent) return keep(agent);
        const { openService } = await import('./open-service');
        return keep(await openService(io, dataDir, {}, host));
      },
    };
    const run = await COMMANDS[command]();
    return await run(args, values, ctx);
  } catch (error) {
    const payload = toErrorPayload(error);
    const hint = cliHint(payload.code, payload.details);
    const line = clean(payload.message.split('\n')[0]!);
    io.stderr.write(`tokendeck: ${line}${hint ? ` ${hint}` : ''}\n`);
    if (json) io.stdout.write(JSON.stringify({ ...payload, ...(hint ? { hint } : {}) }) + '\n');
    return exitCodeFor(error);
  } finally {
    for (const item of opened.reverse()) await item.close();
  }
}

/** The command `tokendeck help WORDS` is about; a usage error with a suggestion otherwise. */
function helpTopic(words: string): Parameters<typeof commandHelp>[0] {
  const command = commandName(words.split(' '));
  if (command === undefined || command === '__complete') throw usageError('No such command.');
  return command;
}

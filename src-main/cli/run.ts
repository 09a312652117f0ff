import { version } from '../../package.json';
import { defaultDataDir, toErrorPayload, type TokendeckService } from '../core';
import { USAGE, commandName, parse } from './args';
import { COMMANDS, type CommandContext } from './commands';
import { cliHint } from './hints';
import { clean } from './output';
import type { CliIo } from './node-ports';
import { openService, type CliHost } from './open-service';

export type { CliHost };

/**
 * The `tokendeck` command: parses arguments, opens the service, runs one command.
 *
 * Every command takes `--json`. Errors are one line on stderr and exit code 1, never a stack
 * trace; `request --fail` exits 22 on an HTTP status of 400 or more, as curl does.
 */
/** Runs one command line and returns the exit code. */
export async function runCli(argv: string[], io: CliIo, host: CliHost = {}): Promise<number> {
  let json = argv.includes('--json');
  let service: TokendeckService | undefined;
  try {
    // `--version` answers wherever it stands: `tokendeck --version providers` runs nothing.
    if (argv.includes('--version')) {
      io.stdout.write(`${version}\n`);
      return 0;
    }
    const command = commandName(argv);
    if (command === undefined) {
      io.stdout.write(USAGE);
      return argv.length === 0 || argv.includes('--help') || argv.includes('-h') ? 0 : 1;
    }
    const { values, args } = parse(argv, command);
    json = Boolean(values.json);
    if (values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir(io.env);
    const ctx: CommandContext = {
      io,
      json,
      print: (human, value) =>
        io.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : clean(human, true)),
      note: (text) => io.stderr.write(`note: ${clean(text)}\n`),
      open: async (options = {}) => {
        service = await openService(io, dataDir, options, host);
        return service;
      },
    };
    return await COMMANDS[command](args, values, ctx);
  } catch (error) {
    const payload = toErrorPayload(error);
    const hint = cliHint(payload.code, payload.details);
    const line = clean(payload.message.split('\n')[0]!);
    io.stderr.write(`tokendeck: ${line}${hint ? ` ${hint}` : ''}\n`);
    if (json) io.stdout.write(JSON.stringify({ ...payload, ...(hint ? { hint } : {}) }) + '\n');
    return 1;
  } finally {
    await service?.close();
  }
}

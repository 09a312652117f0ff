import { COMMAND_SPECS, GLOBAL_FLAGS, type CommandName } from './args';
import { EXIT_CODE_HELP } from './exit-codes';
import type { CommandSpec, FlagSpec } from './spec-types';

/**
 * The help pages: the overview (`tokendeck --help`) and one page per command
 * (`tokendeck help CMD`, `tokendeck CMD --help`), with a line per flag and two examples.
 */

const UNLOCK_HELP = `Unlocking, in this order:
  1. the agent: the desktop app (when turned on in Settings) or \`tokendeck agent\`;
  2. a session: TOKENDECK_SESSION from \`eval "$(tokendeck unlock)"\`;
  3. the passphrase: TOKENDECK_PASSPHRASE, or a prompt in a terminal.
The CLI installed with the app also tries the OS keychain, unless TOKENDECK_PASSPHRASE is set.
`;

function usageLine(name: string, spec: CommandSpec): string {
  return `tokendeck ${name}${spec.args ? ` ${spec.args}` : ''}`;
}

function flagLines(flags: Record<string, FlagSpec>): string[] {
  const rows = Object.entries(flags).map(([name, flag]) => [
    `${flag.short ? `-${flag.short}, ` : '    '}--${name}${flag.value ? ` ${flag.value}` : ''}`,
    flag.help + (flag.multiple ? ' (repeatable)' : ''),
  ]);
  const width = Math.max(0, ...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`);
}

export const USAGE = [
  'Usage: tokendeck <command> [flags]',
  '',
  'Commands:',
  ...(() => {
    const entries = Object.entries(COMMAND_SPECS) as Array<[string, CommandSpec]>;
    const width = Math.max(...entries.map(([name]) => name.length));
    return entries.map(([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`);
  })(),
  '',
  'Global flags:',
  ...flagLines(GLOBAL_FLAGS),
  '',
  'Run "tokendeck help <command>" for its flags and examples.',
  '',
  UNLOCK_HELP,
  EXIT_CODE_HELP,
].join('\n');

/** The help page of one command. */
export function commandHelp(command: Exclude<CommandName, '__complete'>): string {
  const spec: CommandSpec = COMMAND_SPECS[command];
  const flags = flagLines(spec.flags);
  return [
    `Usage: ${usageLine(command, spec)} [flags]`,
    '',
    `${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.`,
    '',
    ...(flags.length ? ['Flags:', ...flags, ''] : []),
    'Global flags:',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Examples:',
    ...spec.examples.map((example) => `  ${example}`),
    '',
    EXIT_CODE_HELP,
  ].join('\n');
}

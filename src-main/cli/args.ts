import { parseArgs } from 'node:util';
import { TokendeckError } from '../core';
import { CONSOLE_COMMANDS } from './spec-console';
import { SETUP_COMMANDS } from './spec-setup';
import { bool, str, type CommandSpec, type FlagSpec } from './spec-types';
import { USE_COMMANDS } from './spec-use';

/**
 * The `tokendeck` grammar: the commands, their flags, and the checks on values.
 *
 * A mistake in the command line is a usage error (exit 2) that says what was meant, in the
 * tool's own words: "did you mean …" for a near miss.
 */

export const COMMAND_SPECS = {
  ...SETUP_COMMANDS,
  ...USE_COMMANDS,
  ...CONSOLE_COMMANDS,
} as const satisfies Record<string, CommandSpec>;

/** The commands of two words, by their first: `provider add`, `env set`, …. */
export const COMMAND_GROUPS: Record<string, string[]> = {};
for (const name of Object.keys(COMMAND_SPECS)) {
  const [group, sub] = name.split(' ');
  if (sub) (COMMAND_GROUPS[group!] ??= []).push(sub);
}

/** Every command, by the words that name it. `__complete` serves the completion scripts. */
export type CommandName = keyof typeof COMMAND_SPECS | '__complete';

export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  'data-dir': str('DIR', "the data folder (default: TOKENDECK_DATA_DIR, else the app's)"),
  json: bool('print the result as JSON'),
  help: bool('show help', 'h'),
  version: bool('print the version'),
};

/** The parsed option values of one command line. */
export type Values = Record<string, string | boolean | string[] | undefined>;

/** A mistake in the command line: exit code 2. */
export function usageError(message: string): TokendeckError {
  return new TokendeckError('invalid_input', message, { details: { usage: true } });
}

const specOf = (command: CommandName): CommandSpec =>
  command === '__complete'
    ? { summary: '', args: '', flags: {}, examples: ['', ''] }
    : COMMAND_SPECS[command];

/** The bare words of the command line; the DIR of `--data-dir DIR` is not one of them. */
function commandWords(argv: string[]): string[] {
  const words: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--') break;
    if (!arg.startsWith('-')) words.push(arg);
    else if (arg === '--data-dir') index += 1;
  }
  return words;
}

/** The command the line names; undefined when it names none (`--help`, `--version`, nothing). */
export function commandName(argv: string[]): CommandName | undefined {
  const [first, second] = commandWords(argv);
  if (first === undefined) return undefined;
  if (first === '__complete') return first;
  const subs = Object.hasOwn(COMMAND_GROUPS, first) ? COMMAND_GROUPS[first]! : undefined;
  if (subs) {
    const name = `${first} ${second ?? ''}`;
    if (name in COMMAND_SPECS) return name as CommandName;
    const listed = subs.map((sub) => `"${sub}"`);
    throw usageError(
      `"${first}" takes ${listed.slice(0, -1).join(', ')} or ${listed.at(-1)}${suggest(second ?? '', subs)} See: tokendeck help ${first} ${subs[0]}`,
    );
  }
  if (Object.hasOwn(COMMAND_SPECS, first)) return first as CommandName;
  const words = Object.keys(COMMAND_SPECS).map((name) => name.split(' ')[0]!);
  throw usageError(`"${first}" is not a command${suggest(first, words)} See: tokendeck --help`);
}

/** Parses the line for `command`: its flags and the global ones, and its own arguments. */
export function parse(argv: string[], command: CommandName): { values: Values; args: string[] } {
  const flags = { ...GLOBAL_FLAGS, ...specOf(command).flags };
  checkFlags(argv, flags, command);
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, flag]) => [
      name,
      {
        type: flag.type,
        ...(flag.short ? { short: flag.short } : {}),
        ...(flag.multiple ? { multiple: true } : {}),
      },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(argv),
      options,
      allowPositionals: true,
      strict: true,
    });
    const words = command.split(' ').length;
    return { values: values as Values, args: positionals.slice(words) };
  } catch (error) {
    // Left: a flag given a value it does not take, or a value missing.
    const text = error instanceof Error ? error.message : String(error);
    const flag = /'(-[^' ]+)/.exec(text)?.[1] ?? 'a flag';
    throw usageError(
      /argument missing/.test(text)
        ? `${flag} needs a value. See: tokendeck help ${command}`
        : `${flag} does not take a value here. See: tokendeck help ${command}`,
    );
  }
}

/** Refuses an unknown flag with "did you mean …" before Node's parser words it its own way. */
function checkFlags(argv: string[], flags: Record<string, FlagSpec>, command: string): void {
  const longs = Object.keys(flags);
  const shorts = new Set(Object.values(flags).flatMap((flag) => (flag.short ? [flag.short] : [])));
  for (const arg of argv) {
    if (arg === '--') return;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      if (!longs.includes(name)) {
        throw usageError(
          `"${command}" has no flag --${name}${suggest(name, longs, '--')} See: tokendeck help ${command}`,
        );
      }
    } else if (/^-[A-Za-z]/.test(arg)) {
      const letter = arg[1]!;
      if (!shorts.has(letter)) {
        throw usageError(`"${command}" has no flag -${letter}. See: tokendeck help ${command}`);
      }
    }
  }
}

/** '; did you mean "x"?' for the closest known word, or '.' when none is close. */
export function suggest(word: string, known: readonly string[], prefix = ''): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of new Set(known)) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  const close =
    best !== undefined &&
    (bestDistance <= Math.max(1, Math.floor(word.length / 3)) || best.startsWith(word));
  return close && word ? `; did you mean "${prefix}${best}"?` : '.';
}

/** Edit distance where swapping two neighbours counts as one edit ("tokne" → "token"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/** The one argument a command takes. */
export function single(args: string[], what: string, command = ''): string {
  if (args.length !== 1 || !args[0]) {
    throw usageError(`Expected exactly one ${what}. See: tokendeck help ${command}`.trimEnd());
  }
  return args[0];
}

/** The arguments a command takes, exactly as many as named. */
export function exactly(args: string[], names: string[], command: string): string[] {
  if (args.length !== names.length || args.some((arg) => !arg)) {
    throw usageError(`Expected ${names.join(' ')}. See: tokendeck help ${command}`);
  }
  return args;
}

/**
 * A flag's number of seconds, in milliseconds, checked against the range its spec gives: the one
 * parser of the numeric flags, so no value can overflow a timer or mean something else by accident.
 */
export function seconds(values: Values, command: CommandName, flag: string): number | undefined {
  const value = values[flag];
  if (value === undefined) return undefined;
  const range = specOf(command).flags[flag]?.range;
  if (!range) throw new Error(`--${flag} of "${command}" has no range in its spec`);
  const number =
    typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!(number >= range.min && number <= range.max)) {
    throw new TokendeckError(
      'invalid_input',
      `--${flag} takes a number of seconds from ${range.min} to ${range.max}. See: tokendeck help ${command}`,
      { details: { usage: true, option: `--${flag}` } },
    );
  }
  return Math.round(number * 1000);
}

/**
 * Joins a negative number to the option before it (`--min-ttl -1` → `--min-ttl=-1`), so that
 * the range check, not the option parser, answers it.
 */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    const next = argv[index + 1];
    if (/^--[a-z-]+$/.test(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      index += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** A value from a fixed list. */
export function oneOf<T extends string>(
  value: Values[string],
  allowed: readonly T[],
  option: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw usageError(`${option} must be one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

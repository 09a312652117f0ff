/**
 * The shape of the grammar: each command with its arguments, flags (one help line each) and two
 * examples. `args.ts` parses with it, `help.ts` prints it, and the completion scripts list it.
 */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's name in help, for a string flag: `SECONDS`, `URL`, … */
  value?: string;
  help: string;
  /** For a number of seconds: the range its value must fall in (see `seconds` in args.ts). */
  range?: { min: number; max: number };
}

export interface CommandSpec {
  summary: string;
  /** The arguments after the command's words, for the usage line. */
  args: string;
  flags: Record<string, FlagSpec>;
  examples: [string, string];
}

export const str = (value: string, help: string, short?: string): FlagSpec => ({
  type: 'string',
  value,
  help,
  ...(short ? { short } : {}),
});

export const bool = (help: string, short?: string): FlagSpec => ({
  type: 'boolean',
  help,
  ...(short ? { short } : {}),
});

/** A number of seconds within [min, max]: the one place each numeric flag's bounds are written. */
export const secs = (help: string, min: number, max: number): FlagSpec => ({
  type: 'string',
  value: 'SECONDS',
  help,
  range: { min, max },
});

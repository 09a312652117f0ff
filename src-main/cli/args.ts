import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TokendeckError } from '../core';

/**
 * The `tokendeck` grammar: the commands, their options, the help text, and the checks on values.
 */

export const USAGE = `Usage: tokendeck <command> [options]

  presets                                   list built-in provider presets
  providers                                 list configured providers
  provider add <name> [--preset ID | --from-file FILE | --api URL] [--base-url URL]
      [--issuer URL] [--register] [--replace [--yes]]
      [--authorization-url URL] [--token-url URL] [--userinfo-url URL] [--revocation-url URL]
      [--registration-url URL] [--device-url URL] [--par-url URL] [--api-base URL]
      [--graphql-url URL] [--grant authorization_code|device_code|client_credentials|api_key]
      [--client-id ID] [--client-secret-stdin] [--client-key-file PEM|JWK]
      [--client-auth none|client_secret_basic|client_secret_post|json|client_secret_jwt|private_key_jwt]
      [--dpop | --dpop-if-supported] [--par]
      [--scope "a b"] [--redirect-uri URL] [--header NAME] [--header-prefix P]
      [--authorize-param K=V]... [--token-param K=V]... [--display-name NAME]
      [--whoami userinfo|id_token|rest|graphql|none] [--whoami-url PATH]
      [--whoami-query QUERY] [--whoami-subject PATH] [--whoami-label PATH]
      [--assume-token-type TYPE] [--accept-token-type TYPE] [--ignore-id-token]
      [--assume-expires-in SECONDS]
  provider export <name>                    print the profile as a file, without secrets
  provider remove <name>
  connect <provider> [--account ACCOUNT] [--api-key-stdin] [--no-browser] [--timeout SECONDS]
  exchange <account> --audience AUD [--scope "a b"] [--resource URL]
                                            trade its token for one for AUD (RFC 8693)
  accounts                                  list accounts and their status
  token <account> [--min-ttl SECONDS] [--verify]
                                            print a fresh access token; --verify checks it
                                            with the provider's who-am-I call first
  rename <account> <label>                  give an account your own label
  merge <keep> <other>                      merge two accounts of one subject into <keep>
  default <account>                         make it the account its provider's name means
  remove <account>                          revoke where possible, then delete
  request <account> <METHOD> <url|/path> [-H 'Name: value']... [-d BODY|@file]
      [--include] [--fail] [--allow-origin] [--location-trusted] [--timeout SECONDS]
  graphql <account> <QUERY|@file> [--variables JSON] [--operation NAME] [--url URL]
      [--allow-origin] [--location-trusted] [--timeout SECONDS]
  network [--proxy URL [--bypass HOSTS] | --direct | --system] [--ca-file PEM | --remove-ca]
                                            show or set this data folder's proxy and extra CA

An <account> is an account id, a provider (its default or only account), or a unique label.
Global options: --data-dir DIR, --json, --help, --version
The vault is unlocked with TOKENDECK_PASSPHRASE, or a prompt in a terminal. The installed
app's command tries the OS keychain first, unless TOKENDECK_PASSPHRASE is set.
`;

/** The parsed option values of one command line. */
export type Values = Record<string, string | boolean | string[] | undefined>;

export const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const PROVIDER_ADD_OPTIONS = {
  preset: { type: 'string' },
  'from-file': { type: 'string' },
  api: { type: 'string' },
  replace: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'base-url': { type: 'string' },
  issuer: { type: 'string' },
  register: { type: 'boolean' },
  'authorization-url': { type: 'string' },
  'token-url': { type: 'string' },
  'userinfo-url': { type: 'string' },
  'revocation-url': { type: 'string' },
  'registration-url': { type: 'string' },
  'device-url': { type: 'string' },
  'par-url': { type: 'string' },
  par: { type: 'boolean' },
  dpop: { type: 'boolean' },
  'dpop-if-supported': { type: 'boolean' },
  'client-key-file': { type: 'string' },
  'api-base': { type: 'string' },
  'graphql-url': { type: 'string' },
  grant: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret-stdin': { type: 'boolean' },
  'client-auth': { type: 'string' },
  scope: { type: 'string' },
  'redirect-uri': { type: 'string' },
  header: { type: 'string' },
  'header-prefix': { type: 'string' },
  'display-name': { type: 'string' },
  whoami: { type: 'string' },
  'whoami-url': { type: 'string' },
  'whoami-query': { type: 'string' },
  'whoami-subject': { type: 'string' },
  'whoami-label': { type: 'string' },
  'authorize-param': { type: 'string', multiple: true },
  'token-param': { type: 'string', multiple: true },
  'assume-token-type': { type: 'string' },
  'accept-token-type': { type: 'string' },
  'ignore-id-token': { type: 'boolean' },
  'assume-expires-in': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const COMMAND_OPTIONS = {
  presets: {},
  providers: {},
  'provider add': PROVIDER_ADD_OPTIONS,
  'provider export': {},
  'provider remove': {},
  connect: {
    account: { type: 'string' },
    'api-key-stdin': { type: 'boolean' },
    'no-browser': { type: 'boolean' },
    timeout: { type: 'string' },
  },
  exchange: {
    audience: { type: 'string' },
    scope: { type: 'string' },
    resource: { type: 'string' },
  },
  accounts: {},
  token: { 'min-ttl': { type: 'string' }, verify: { type: 'boolean' } },
  rename: {},
  merge: {},
  default: {},
  remove: {},
  request: {
    header: { type: 'string', short: 'H', multiple: true },
    data: { type: 'string', short: 'd' },
    include: { type: 'boolean', short: 'i' },
    fail: { type: 'boolean', short: 'f' },
    'allow-origin': { type: 'boolean' },
    'location-trusted': { type: 'boolean' },
    timeout: { type: 'string' },
  },
  graphql: {
    variables: { type: 'string' },
    operation: { type: 'string' },
    url: { type: 'string' },
    'allow-origin': { type: 'boolean' },
    'location-trusted': { type: 'boolean' },
    timeout: { type: 'string' },
  },
  network: {
    proxy: { type: 'string' },
    bypass: { type: 'string' },
    direct: { type: 'boolean' },
    system: { type: 'boolean' },
    'ca-file': { type: 'string' },
    'remove-ca': { type: 'boolean' },
  },
} as const satisfies Record<string, ParseArgsConfig['options']>;

/** Every command, by the words that name it. */
export type CommandName = keyof typeof COMMAND_OPTIONS;

/** `--data-dir` and any other global option that takes its value as the next argument. */
const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set(
  Object.entries(GLOBAL_OPTIONS)
    .filter(([, option]) => option.type === 'string')
    .map(([name]) => `--${name}`),
);

/** The bare words of the command line; the DIR of `--data-dir DIR` is not one of them. */
function commandWords(argv: string[]): string[] {
  const words: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (!arg.startsWith('-')) words.push(arg);
    else if (GLOBAL_VALUE_OPTIONS.has(arg)) index += 1;
  }
  return words;
}

/** The command the line names; undefined when it names none (`--help`, `--version`, nothing). */
export function commandName(argv: string[]): CommandName | undefined {
  const words = commandWords(argv);
  const first = words[0];
  if (first === undefined) return undefined;
  if (first === 'provider') {
    const sub = words[1];
    if (sub !== 'add' && sub !== 'export' && sub !== 'remove') {
      throw new TokendeckError(
        'invalid_input',
        'Use "provider add <name>", "provider export <name>" or "provider remove <name>".',
      );
    }
    return `provider ${sub}`;
  }
  if (!Object.hasOwn(COMMAND_OPTIONS, first)) {
    throw new TokendeckError('invalid_input', `Unknown command "${first}". See: tokendeck --help`);
  }
  return first as CommandName;
}

/** Parses the line for `command`: its options and the global ones, and its own arguments. */
export function parse(argv: string[], command: CommandName): { values: Values; args: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command] },
      allowPositionals: true,
      strict: true,
    });
    const words = command.split(' ').length;
    return { values: values as Values, args: positionals.slice(words) };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new TokendeckError('invalid_input', `${message} (see: tokendeck --help)`);
  }
}

/** The one argument a command takes. */
export function single(args: string[], what: string): string {
  return exactly(args, [what])[0]!;
}

/** The arguments a command takes, exactly as many as named. */
export function exactly(args: string[], names: string[]): string[] {
  if (args.length !== names.length || args.some((arg) => !arg)) {
    throw new TokendeckError('invalid_input', `Expected ${names.join(' ')}. See: tokendeck --help`);
  }
  return args;
}

/** A number of seconds, in milliseconds. */
export function seconds(value: Values[string], option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(number) || number < 0) {
    throw new TokendeckError('invalid_input', `${option} takes a number of seconds.`);
  }
  return Math.round(number * 1000);
}

/** A value from a fixed list. */
export function oneOf<T extends string>(
  value: Values[string],
  allowed: readonly T[],
  option: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new TokendeckError('invalid_input', `${option} must be one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync } from 'node:fs';
import type { HeaderList, RequestSpec, ResponseView } from '../core/console';
import { defaultDataDir } from '../core/data-dir';
import { TokendeckError, isTokendeckError, toErrorPayload } from '../core/errors';
import { createLogger } from '../core/log';
import {
  CLIENT_AUTH_METHODS,
  profileFromPreset,
  rebaseProfile,
  type ProviderProfileInput,
} from '../core/providers';
import { GRANT_TYPES, type GrantType } from '../core/model';
import { createService, type KeychainPort, type TokendeckService } from '../core/service';
import { openWithKeychain } from './keychain-unlock';
import {
  createBrowserOpener,
  noClipboard,
  promptHidden,
  readStdin,
  type CliIo,
} from './node-ports';
import { relativeTime, table } from './output';
import { version } from '../../package.json';

/**
 * The `tokendeck` command: parses arguments, opens the service, runs one command.
 *
 * Every command takes `--json`. Errors are one line on stderr and exit code 1, never a stack
 * trace; `request --fail` exits 22 on an HTTP status of 400 or more, as curl does.
 */

const USAGE = `Usage: tokendeck <command> [options]

  presets                                   list built-in provider presets
  providers                                 list configured providers
  provider add <name> [--preset ID] [--base-url URL] [--issuer URL] [--register] [--replace]
      [--authorization-url URL] [--token-url URL] [--userinfo-url URL] [--revocation-url URL]
      [--registration-url URL] [--api-base URL] [--graphql-url URL]
      [--grant authorization_code|client_credentials|api_key] [--client-id ID]
      [--client-secret-stdin] [--client-auth none|client_secret_basic|client_secret_post|json]
      [--scope "a b"] [--redirect-uri URL] [--header NAME] [--header-prefix P]
      [--display-name NAME] [--whoami userinfo|id_token|rest|graphql|none]
      [--whoami-url PATH] [--whoami-query QUERY] [--whoami-subject PATH] [--whoami-label PATH]
  provider remove <name>
  connect <provider> [--api-key-stdin] [--no-browser] [--timeout SECONDS]
  accounts                                  list accounts and their status
  token <account> [--min-ttl SECONDS]       print a fresh access token
  remove <account>                          revoke where possible, then delete
  request <account> <METHOD> <url|/path> [-H 'Name: value']... [-d BODY|@file]
      [--include] [--fail] [--allow-origin] [--timeout SECONDS]
  graphql <account> <QUERY|@file> [--variables JSON] [--operation NAME] [--url URL]

Global options: --data-dir DIR, --json, --help, --version
The vault is unlocked with TOKENDECK_PASSPHRASE, or a prompt in a terminal. The installed
app's tokendeck tries the OS keychain first, unless TOKENDECK_PASSPHRASE is set.
`;

type Values = Record<string, string | boolean | string[] | undefined>;

const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const PROVIDER_ADD_OPTIONS = {
  preset: { type: 'string' },
  replace: { type: 'boolean' },
  'base-url': { type: 'string' },
  issuer: { type: 'string' },
  register: { type: 'boolean' },
  'authorization-url': { type: 'string' },
  'token-url': { type: 'string' },
  'userinfo-url': { type: 'string' },
  'revocation-url': { type: 'string' },
  'registration-url': { type: 'string' },
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
} as const satisfies ParseArgsConfig['options'];

const COMMAND_OPTIONS: Record<string, ParseArgsConfig['options']> = {
  presets: {},
  providers: {},
  'provider add': PROVIDER_ADD_OPTIONS,
  'provider remove': {},
  connect: {
    'api-key-stdin': { type: 'boolean' },
    'no-browser': { type: 'boolean' },
    timeout: { type: 'string' },
  },
  accounts: {},
  token: { 'min-ttl': { type: 'string' } },
  remove: {},
  request: {
    header: { type: 'string', short: 'H', multiple: true },
    data: { type: 'string', short: 'd' },
    include: { type: 'boolean', short: 'i' },
    fail: { type: 'boolean', short: 'f' },
    'allow-origin': { type: 'boolean' },
    timeout: { type: 'string' },
  },
  graphql: {
    variables: { type: 'string' },
    operation: { type: 'string' },
    url: { type: 'string' },
    'allow-origin': { type: 'boolean' },
    timeout: { type: 'string' },
  },
};

/** What the program that runs the CLI adds: the installed app's headless mode has a keychain. */
export interface CliHost {
  /** The OS keychain; asked only when a command opens an existing vault. */
  keychain?: () => Promise<KeychainPort>;
}

/** Runs one command line and returns the exit code. */
export async function runCli(argv: string[], io: CliIo, host: CliHost = {}): Promise<number> {
  let json = argv.includes('--json');
  let service: TokendeckService | undefined;
  try {
    const command = commandName(argv);
    if (command === undefined) {
      if (argv.includes('--version')) {
        io.stdout.write(`${version}\n`);
        return 0;
      }
      io.stdout.write(USAGE);
      return argv.length === 0 || argv.includes('--help') || argv.includes('-h') ? 0 : 1;
    }
    const parsed = parse(argv, command);
    json = Boolean(parsed.values.json);
    if (parsed.values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const dataDir = (parsed.values['data-dir'] as string | undefined) ?? defaultDataDir(io.env);
    const print = (human: string, value: unknown) =>
      io.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : human);
    const open = async (options: { noBrowser?: boolean; timeoutMs?: number } = {}) => {
      service = await openService(io, dataDir, options, host);
      return service;
    };
    return await dispatch(command, parsed.positionals, parsed.values, { io, print, open, json });
  } catch (error) {
    reportError(io, error, json);
    return 1;
  } finally {
    await service?.close();
  }
}

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

function commandName(argv: string[]): string | undefined {
  const words = commandWords(argv);
  const first = words[0];
  if (first === undefined) return undefined;
  if (first === 'provider') {
    const sub = words[1];
    if (sub !== 'add' && sub !== 'remove') {
      throw new TokendeckError(
        'invalid_input',
        'Use "provider add <name>" or "provider remove <name>".',
      );
    }
    return `provider ${sub}`;
  }
  if (!(first in COMMAND_OPTIONS)) {
    throw new TokendeckError('invalid_input', `Unknown command "${first}". See: tokendeck --help`);
  }
  return first;
}

function parse(argv: string[], command: string): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command] },
      allowPositionals: true,
      strict: true,
    });
    const words = command.split(' ').length;
    return { values: values as Values, positionals: positionals.slice(words) };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new TokendeckError('invalid_input', `${message} (see: tokendeck --help)`);
  }
}

interface Context {
  io: CliIo;
  json: boolean;
  print(human: string, value: unknown): void;
  open(options?: { noBrowser?: boolean; timeoutMs?: number }): Promise<TokendeckService>;
}

async function dispatch(
  command: string,
  args: string[],
  values: Values,
  ctx: Context,
): Promise<number> {
  switch (command) {
    case 'presets': {
      const service = await ctx.open();
      const presets = await service.listPresets();
      ctx.print(
        table(
          ['ID', 'GRANT', 'NAME'],
          presets.map((p) => [p.id, p.grant, p.name]),
        ),
        presets,
      );
      return 0;
    }
    case 'providers': {
      const service = await ctx.open();
      const providers = await service.listProviders();
      ctx.print(
        providers.length
          ? table(
              ['ID', 'GRANT', 'NAME', 'ISSUER'],
              providers.map((p) => [p.id, p.grant, p.name, p.issuer ?? '']),
            )
          : 'No providers yet. Add one: tokendeck provider add <name> --preset <id>\n',
        providers,
      );
      return 0;
    }
    case 'provider add': {
      const name = single(args, '<name>');
      const profile = buildProfile(name, values);
      const clientSecret = values['client-secret-stdin'] ? await readStdin(ctx.io) : undefined;
      const service = await ctx.open();
      const existing = (await service.listProviders()).some((provider) => provider.id === name);
      if (existing && !values.replace) {
        throw new TokendeckError(
          'conflict',
          `Provider "${name}" already exists. Use --replace to overwrite it, or pick another name.`,
        );
      }
      const saved = await service.saveProvider({
        profile,
        ...(clientSecret !== undefined ? { clientSecret } : {}),
      });
      ctx.print(`Added provider ${saved.id} (${saved.name}).\n`, saved);
      return 0;
    }
    case 'provider remove': {
      const id = single(args, '<name>');
      const service = await ctx.open();
      await service.removeProvider({ id });
      ctx.print(`Removed provider ${id}.\n`, { id, removed: true });
      return 0;
    }
    case 'connect': {
      const providerId = single(args, '<provider>');
      const timeoutMs = seconds(values.timeout, '--timeout');
      const service = await ctx.open({
        noBrowser: Boolean(values['no-browser']),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
      const provider = await service.getProvider({ id: providerId });
      let apiKey: string | undefined;
      if (provider.grant === 'api_key') {
        apiKey = values['api-key-stdin']
          ? await readStdin(ctx.io)
          : await promptHidden(ctx.io, 'API key: ');
      }
      const cancel = () => void service.cancelConnect({ providerId });
      process.once('SIGINT', cancel);
      try {
        const { accountId } = await service.connectAccount({
          providerId,
          ...(apiKey !== undefined ? { apiKey } : {}),
        });
        const account = await service.findAccount(accountId);
        ctx.print(`Connected ${account.label} (${accountId}).\n`, {
          id: accountId,
          provider: providerId,
          label: account.label,
        });
      } finally {
        process.off('SIGINT', cancel);
      }
      return 0;
    }
    case 'accounts': {
      const service = await ctx.open();
      const accounts = await service.listAccounts();
      const now = Date.now();
      ctx.print(
        accounts.length
          ? table(
              ['ID', 'PROVIDER', 'LABEL', 'STATUS', 'EXPIRES'],
              accounts.map((a) => [
                a.id,
                a.providerId,
                a.label,
                a.status.state,
                relativeTime(a.expiresAt, now),
              ]),
            )
          : 'No accounts yet. Connect one: tokendeck connect <provider>\n',
        accounts.map((a) => ({
          id: a.id,
          provider: a.providerId,
          label: a.label,
          subject: a.subject,
          status: a.status.state,
          reason: a.status.reason,
          expiresAt: isoTime(a.expiresAt),
          scopes: a.scopes,
        })),
      );
      return 0;
    }
    case 'token': {
      const reference = single(args, '<account>');
      const minTtlMs = seconds(values['min-ttl'], '--min-ttl') ?? 60_000;
      const service = await ctx.open();
      const account = await service.findAccount(reference);
      const fresh = await withReconnectHint(account.providerId, () =>
        service.getFreshToken(account.id, { minTtlMs }),
      );
      ctx.print(`${fresh.accessToken}\n`, {
        id: account.id,
        accessToken: fresh.accessToken,
        tokenType: fresh.tokenType,
        expiresAt: isoTime(fresh.expiresAt),
      });
      return 0;
    }
    case 'remove': {
      const reference = single(args, '<account>');
      const service = await ctx.open();
      const account = await service.findAccount(reference);
      const { revoked } = await service.removeAccount({ accountId: account.id });
      ctx.print(`Removed ${account.id}${revoked ? ' (token revoked)' : ''}.\n`, {
        id: account.id,
        revoked,
      });
      return 0;
    }
    case 'request':
    case 'graphql': {
      const service = await ctx.open();
      const spec =
        command === 'request'
          ? await restSpec(service, args, values, ctx.io)
          : await graphqlSpec(service, args, values, ctx.io);
      const { providerId } = await service.findAccount(spec.accountId);
      const response = await withReconnectHint(providerId, () =>
        service.sendRequest({ ...spec, requestId: `cli-${process.pid}` }),
      );
      writeResponse(ctx, response, command === 'request' && Boolean(values.include));
      return command === 'request' && values.fail && response.status >= 400 ? 22 : 0;
    }
    default:
      throw new TokendeckError('invalid_input', `Unknown command "${command}".`);
  }
}

async function openService(
  io: CliIo,
  dataDir: string,
  options: { noBrowser?: boolean; timeoutMs?: number },
  host: CliHost,
): Promise<TokendeckService> {
  const creating = !existsSync(join(dataDir, 'vault.json'));
  const serviceOptions = {
    dataDir,
    browser: createBrowserOpener(io, { print: Boolean(options.noBrowser) }),
    clipboard: noClipboard,
    schedule: false,
    appVersion: version,
    logger: createLogger({ file: join(dataDir, 'logs', 'cli.log') }),
    ...(options.timeoutMs !== undefined ? { flowTimeoutMs: options.timeoutMs } : {}),
  };
  // An explicit passphrase wins: a script that sets it must never wait on a keychain prompt.
  if (host.keychain && !creating && io.env.TOKENDECK_PASSPHRASE === undefined) {
    const opened = await openWithKeychain(serviceOptions, await host.keychain(), io);
    if (opened) return opened;
  }
  let passphrase = io.env.TOKENDECK_PASSPHRASE;
  if (passphrase === undefined) {
    passphrase = await promptHidden(
      io,
      creating ? 'Choose a passphrase for the new vault: ' : 'Vault passphrase: ',
    );
    if (creating && (await promptHidden(io, 'Repeat the passphrase: ')) !== passphrase) {
      throw new TokendeckError('invalid_input', 'The passphrases do not match.');
    }
  }
  if (!passphrase) throw new TokendeckError('invalid_input', 'The passphrase is empty.');
  return createService({ ...serviceOptions, passphrase });
}

function reportError(io: CliIo, error: unknown, json: boolean): void {
  const payload = toErrorPayload(error);
  io.stderr.write(`tokendeck: ${payload.message.split('\n')[0]}\n`);
  if (json) io.stdout.write(JSON.stringify(payload) + '\n');
}

/** Turns "cannot renew without the user" into a message that names the fix. */
async function withReconnectHint<T>(providerId: string, run: () => Promise<T>): Promise<T> {
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
function isoTime(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

function single(args: string[], what: string): string {
  if (args.length !== 1 || !args[0]) {
    throw new TokendeckError(
      'invalid_input',
      `Expected exactly one ${what}. See: tokendeck --help`,
    );
  }
  return args[0];
}

function seconds(value: Values[string], option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(number) || number < 0) {
    throw new TokendeckError('invalid_input', `${option} takes a number of seconds.`);
  }
  return Math.round(number * 1000);
}

function oneOf<T extends string>(
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

/** Builds a provider profile from a preset (if any) and the command-line fields. */
export function buildProfile(name: string, values: Values): ProviderProfileInput {
  const str = (key: string) => values[key] as string | undefined;
  const grant = oneOf<GrantType>(values.grant, GRANT_TYPES, '--grant');
  const auth = oneOf(values['client-auth'], CLIENT_AUTH_METHODS, '--client-auth');
  const preset = str('preset');
  const baseUrl = str('base-url');
  let profile: ProviderProfileInput = preset
    ? profileFromPreset(preset, { id: name, ...(baseUrl ? { baseUrl } : {}) })
    : {
        id: name,
        name,
        grant: grant ?? 'authorization_code',
        client: { registration: 'static', auth: 'none' },
      };
  profile = { ...profile, id: name };
  if (!preset && baseUrl) profile = rebaseProfile(profile, baseUrl);
  if (str('display-name')) profile.name = str('display-name')!;
  if (grant) profile.grant = grant;
  if (str('issuer')) profile.issuer = str('issuer');
  const endpoints = { ...(profile.endpoints ?? {}) };
  for (const [option, field] of [
    ['authorization-url', 'authorization'],
    ['token-url', 'token'],
    ['userinfo-url', 'userinfo'],
    ['revocation-url', 'revocation'],
    ['registration-url', 'registration'],
  ] as const) {
    if (str(option)) endpoints[field] = str(option);
  }
  profile.endpoints = endpoints;
  const client = { ...profile.client };
  if (values.register) {
    client.registration = 'dynamic';
    client.auth = 'none';
    delete client.clientId;
  }
  if (str('client-id')) {
    client.registration = 'static';
    client.clientId = str('client-id');
    if (!auth && !preset && values['client-secret-stdin']) client.auth = 'client_secret_basic';
  }
  if (auth) client.auth = auth;
  profile.client = client;
  if (str('scope') !== undefined) profile.scopes = str('scope')!.split(/\s+/).filter(Boolean);
  if (str('redirect-uri')) profile.redirect = { mode: 'fixed', uri: str('redirect-uri')! };
  const use = { ...(profile.use ?? {}) };
  if (str('header')) use.headerName = str('header');
  if (str('header-prefix') !== undefined) use.headerPrefix = str('header-prefix');
  if (str('api-base')) use.apiBase = str('api-base');
  if (str('graphql-url')) use.graphqlUrl = str('graphql-url');
  profile.use = use;
  const whoami = str('whoami');
  if (whoami) profile.whoami = buildWhoami(whoami, values);
  return profile;
}

function buildWhoami(kind: string, values: Values): ProviderProfileInput['whoami'] {
  const str = (key: string) => values[key] as string | undefined;
  const label = str('whoami-label');
  const subject = str('whoami-subject');
  switch (kind) {
    case 'userinfo':
    case 'id_token':
      return { kind, ...(label ? { label } : {}) };
    case 'none':
      return { kind };
    case 'rest':
      if (!str('whoami-url') || !subject) {
        throw new TokendeckError(
          'invalid_input',
          '--whoami rest needs --whoami-url and --whoami-subject.',
        );
      }
      return { kind, url: str('whoami-url')!, subject, ...(label ? { label } : {}) };
    case 'graphql':
      if (!str('whoami-query') || !subject) {
        throw new TokendeckError(
          'invalid_input',
          '--whoami graphql needs --whoami-query and --whoami-subject.',
        );
      }
      return { kind, query: str('whoami-query')!, subject, ...(label ? { label } : {}) };
    default:
      throw new TokendeckError(
        'invalid_input',
        '--whoami must be one of: userinfo, id_token, rest, graphql, none.',
      );
  }
}

/** Reads `@file` (or `@-` for standard input); anything else is the value itself. */
async function valueOrFile(value: string, io: CliIo): Promise<string> {
  if (!value.startsWith('@')) return value;
  const path = value.slice(1);
  if (path === '-') return readStdin(io);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new TokendeckError('invalid_input', `Cannot read ${path}.`, { cause: error });
  }
}

function parseHeaders(raw: string[]): HeaderList {
  return raw.map((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new TokendeckError(
        'invalid_input',
        `A header must look like 'Name: value', got '${line}'.`,
      );
    }
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
}

async function restSpec(
  service: TokendeckService,
  args: string[],
  values: Values,
  io: CliIo,
): Promise<RequestSpec> {
  if (args.length !== 3) {
    throw new TokendeckError(
      'invalid_input',
      'Usage: tokendeck request <account> <METHOD> <url|/path>',
    );
  }
  const [reference, method, url] = args as [string, string, string];
  const account = await service.findAccount(reference);
  const headers = parseHeaders((values.header as string[] | undefined) ?? []);
  const common = consoleOptions(values);
  const spec: RequestSpec = { kind: 'rest', accountId: account.id, method, url, headers };
  if (values.data !== undefined) {
    const text = await valueOrFile(values.data as string, io);
    const declared = headers.some(([name]) => name.toLowerCase() === 'content-type');
    spec.body = { type: !declared && looksLikeJson(text) ? 'json' : 'raw', text };
  }
  return { ...spec, ...common };
}

async function graphqlSpec(
  service: TokendeckService,
  args: string[],
  values: Values,
  io: CliIo,
): Promise<RequestSpec> {
  if (args.length !== 2) {
    throw new TokendeckError('invalid_input', 'Usage: tokendeck graphql <account> <QUERY|@file>');
  }
  const [reference, queryArg] = args as [string, string];
  const account = await service.findAccount(reference);
  const spec: RequestSpec = {
    kind: 'graphql',
    accountId: account.id,
    query: await valueOrFile(queryArg, io),
  };
  if (values.variables !== undefined) {
    const text = await valueOrFile(values.variables as string, io);
    let variables: unknown;
    try {
      variables = JSON.parse(text);
    } catch (error) {
      throw new TokendeckError('invalid_input', '--variables is not valid JSON.', { cause: error });
    }
    if (!variables || typeof variables !== 'object' || Array.isArray(variables)) {
      throw new TokendeckError('invalid_input', '--variables must be a JSON object.');
    }
    spec.variables = variables as Record<string, unknown>;
  }
  if (values.operation) spec.operationName = values.operation as string;
  if (values.url) spec.url = values.url as string;
  return { ...spec, ...consoleOptions(values) };
}

/** `--allow-origin` and `--timeout`, which `request` and `graphql` share. */
function consoleOptions(values: Values): { allowForeignOrigin?: true; timeoutMs?: number } {
  const timeoutMs = seconds(values.timeout, '--timeout');
  return {
    ...(values['allow-origin'] ? { allowForeignOrigin: true } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return /^\s*[[{]/.test(text);
  } catch {
    return false;
  }
}

function writeResponse(ctx: Context, response: ResponseView, include: boolean): void {
  if (ctx.json) {
    ctx.io.stdout.write(JSON.stringify(response, null, 2) + '\n');
  } else {
    if (include) {
      const head = [`HTTP ${response.status} ${response.statusText}`.trimEnd()];
      for (const [name, value] of response.headers) head.push(`${name}: ${value}`);
      ctx.io.stdout.write(head.join('\n') + '\n\n');
    }
    ctx.io.stdout.write(response.body);
    if (response.body && !response.body.endsWith('\n')) ctx.io.stdout.write('\n');
  }
  if (response.retriedAfterRenewal) {
    ctx.io.stderr.write(
      'note: the server answered 401; the token was renewed and the request retried once\n',
    );
  }
  if (response.retryAfter) ctx.io.stderr.write(`note: Retry-After: ${response.retryAfter}\n`);
  if (response.truncated) {
    ctx.io.stderr.write(
      `note: the body was truncated for display (${response.size} bytes received)\n`,
    );
  }
}

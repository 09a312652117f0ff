import { readFile } from 'node:fs/promises';
import {
  TokendeckError,
  type HeaderList,
  type RequestSpec,
  type TokenCalls,
  type TokendeckService,
  tryParseJson,
} from '../core';
import { seconds, usageError, type Values } from './args';
import { readStdin, type CliIo } from './node-ports';

/** The request a `request` or `graphql` command line describes. */

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

export async function restSpec(
  service: TokenCalls,
  args: string[],
  values: Values,
  io: CliIo,
): Promise<RequestSpec> {
  if (args.length !== 3) {
    throw usageError('Usage: tokendeck request <account> <METHOD> <url|/path>');
  }
  const [reference, method, url] = args as [string, string, string];
  const common = consoleOptions(values);
  const headers = parseHeaders((values.header as string[] | undefined) ?? []);
  const account = await service.findAccount(reference);
  const spec: RequestSpec = { kind: 'rest', accountId: account.id, method, url, headers };
  if (values.data !== undefined) {
    const text = await valueOrFile(values.data as string, io);
    const declared = headers.some(([name]) => name.toLowerCase() === 'content-type');
    spec.body = { type: !declared && looksLikeJson(text) ? 'json' : 'raw', text };
  }
  return { ...spec, ...common };
}

export async function graphqlSpec(
  service: TokenCalls,
  args: string[],
  values: Values,
  io: CliIo,
): Promise<RequestSpec> {
  if (args.length !== 2) {
    throw usageError('Usage: tokendeck graphql <account> <QUERY|@file>');
  }
  const [reference, queryArg] = args as [string, string];
  const common = consoleOptions(values);
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
  return { ...spec, ...common };
}

/**
 * `request <account> --saved NAME`: a saved request of the account's provider, run as the
 * account; `--allow-origin`, `--location-trusted` and `--timeout` still apply on top.
 */
export async function savedSpec(
  service: TokendeckService,
  args: string[],
  values: Values,
): Promise<RequestSpec> {
  if (args.length !== 1) {
    throw usageError('Usage: tokendeck request <account> --saved NAME');
  }
  if (values.save !== undefined || values.data !== undefined || values.header !== undefined) {
    throw usageError('--saved sends the request as saved; it takes no --save, --data or --header.');
  }
  const account = await service.findAccount(args[0]!);
  const name = values.saved as string;
  const items = await service.listSavedRequests({ providerId: account.providerId });
  const item = items.find((saved) => saved.name === name);
  if (!item) {
    throw new TokendeckError(
      'not_found',
      `Provider "${account.providerId}" has no saved request "${name}". See: tokendeck saved list ${account.providerId}`,
      { details: { reason: 'no_saved_request', name } },
    );
  }
  return { ...item.request, accountId: account.id, ...consoleOptions(values) } as RequestSpec;
}

/** `--allow-origin`, `--location-trusted` and `--timeout`, which `request` and `graphql` share. */
function consoleOptions(values: Values): {
  allowForeignOrigin?: true;
  locationTrusted?: true;
  timeoutMs?: number;
} {
  const timeoutMs = seconds(values, 'request', 'timeout');
  return {
    ...(values['allow-origin'] ? { allowForeignOrigin: true } : {}),
    ...(values['location-trusted'] ? { locationTrusted: true } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

function looksLikeJson(text: string): boolean {
  return /^\s*[[{]/.test(text) && tryParseJson(text) !== undefined;
}

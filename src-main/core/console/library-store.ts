import { TokendeckError } from '../errors';
import { forgetSecretsOf, keepSecret } from '../log';
import type { Clock } from '../ports';
import { readProvider } from '../records';
import type { HistoryVault } from './history-store';
import { fileName } from './history-store';
import {
  MAX_SAVED_BYTES,
  MAX_SAVED_REQUESTS,
  MAX_VARIABLES,
  checkSavedRequestName,
  checkVariableName,
  checkVariableValue,
} from '../console-names';
import type { EnvVariable, SaveRequestArgs, SavedRequest, SetEnvVariableArgs } from './types';

/** A variable as stored: its value is kept, secret or not, in the sealed file. */
export interface StoredVariable {
  name: string;
  value: string;
  secret: boolean;
  updatedAt: number;
}

/**
 * A provider's saved requests and environment, each sealed in its own file beside the vault.
 *
 * `requests/<provider>.json` holds the saved requests and `environments/<provider>.json` the
 * variables, sealed like the request history (AES-256-GCM under the vault's data key, bound to the
 * vault and the record id, so a file cannot be moved to another provider or vault). Each file is
 * changed only under its own named lock, re-read inside the lock and written before the call
 * returns, so the app and the CLI saving at once lose nothing. Nothing is replaced on a guess: a
 * taken name is `conflict` unless the caller says `overwrite`.
 */
export class ConsoleLibrary {
  constructor(
    private readonly vault: HistoryVault,
    private readonly clock: Clock,
  ) {}

  // ------------------------------------------------------------------ saved requests

  async listSaved(providerId: string): Promise<SavedRequest[]> {
    await this.assertProvider(providerId);
    return this.lockedSaved(providerId, () => this.loadSaved(providerId));
  }

  async save(args: SaveRequestArgs): Promise<SavedRequest> {
    const name = checkSavedRequestName(args.name);
    await this.assertProvider(args.providerId);
    return this.lockedSaved(args.providerId, async () => {
      const items = await this.loadSaved(args.providerId);
      const at = items.findIndex((item) => sameName(item.name, name));
      const now = this.clock.now();
      if (at >= 0 && args.overwrite !== true) {
        throw new TokendeckError(
          'conflict',
          `A saved request named "${items[at]!.name}" exists already. Save it with another name, or overwrite it (--overwrite).`,
          { details: { name: items[at]!.name, reason: 'name_taken' } },
        );
      }
      // The opt-ins to send the token elsewhere are given at each send, never kept.
      const { allowForeignOrigin: _foreign, locationTrusted: _trusted, ...request } = args.request;
      const item: SavedRequest = {
        name,
        request: structuredClone(request),
        createdAt: at >= 0 ? items[at]!.createdAt : now,
        updatedAt: now,
      };
      if (at >= 0) items[at] = item;
      else items.push(item);
      await this.writeSaved(args.providerId, items);
      return item;
    });
  }

  async rename(providerId: string, name: string, newName: string): Promise<SavedRequest> {
    checkSavedRequestName(newName);
    await this.assertProvider(providerId);
    return this.lockedSaved(providerId, async () => {
      const items = await this.loadSaved(providerId);
      const at = findSaved(items, name, providerId);
      const taken = items.findIndex((item) => sameName(item.name, newName));
      if (taken >= 0 && taken !== at) {
        throw new TokendeckError(
          'conflict',
          `A saved request named "${items[taken]!.name}" exists already; choose another name.`,
          { details: { name: items[taken]!.name, reason: 'name_taken' } },
        );
      }
      const item = { ...items[at]!, name: newName, updatedAt: this.clock.now() };
      items[at] = item;
      await this.writeSaved(providerId, items);
      return item;
    });
  }

  async remove(providerId: string, name: string): Promise<void> {
    await this.lockedSaved(providerId, async () => {
      const items = await this.loadSaved(providerId);
      items.splice(findSaved(items, name, providerId), 1);
      await this.writeSaved(providerId, items);
    });
  }

  // ------------------------------------------------------------------ environment

  /** The variables without secret values, for callers outside main. */
  async listVariables(providerId: string): Promise<EnvVariable[]> {
    await this.assertProvider(providerId);
    return (await this.variables(providerId)).map(publicVariable);
  }

  /** Every variable with its value, secret ones included: only for resolving in main. */
  async variables(providerId: string): Promise<StoredVariable[]> {
    return this.lockedEnv(providerId, () => this.loadEnv(providerId));
  }

  async setVariable(args: SetEnvVariableArgs): Promise<EnvVariable> {
    const name = checkVariableName(args.name);
    const value = checkVariableValue(args.value);
    await this.assertProvider(args.providerId);
    return this.lockedEnv(args.providerId, async () => {
      const variables = await this.loadEnv(args.providerId);
      const at = variables.findIndex((variable) => variable.name === name);
      if (at < 0 && variables.length >= MAX_VARIABLES) {
        throw new TokendeckError(
          'invalid_input',
          `A provider keeps at most ${MAX_VARIABLES} variables; unset one first (tokendeck env unset).`,
          { details: { reason: 'too_many' } },
        );
      }
      const secret = args.secret ?? (at >= 0 ? variables[at]!.secret : false);
      const variable: StoredVariable = { name, value, secret, updatedAt: this.clock.now() };
      if (at >= 0) variables[at] = variable;
      else variables.push(variable);
      // A value that stops being secret is no longer scrubbed from the logs.
      forgetSecretsOf(variableOwner(args.providerId, name));
      if (secret) keepSecret(variableOwner(args.providerId, name), value);
      await this.writeEnv(args.providerId, variables);
      return publicVariable(variable);
    });
  }

  async unsetVariable(providerId: string, name: string): Promise<void> {
    await this.lockedEnv(providerId, async () => {
      const variables = await this.loadEnv(providerId);
      const at = variables.findIndex((variable) => variable.name === name);
      if (at < 0) {
        throw new TokendeckError(
          'not_found',
          `Provider "${providerId}" has no variable "${name}" (tokendeck env list ${providerId}).`,
          { details: { reason: 'no_variable', name } },
        );
      }
      variables.splice(at, 1);
      await this.writeEnv(providerId, variables);
      forgetSecretsOf(variableOwner(providerId, name));
    });
  }

  /** The provider was removed: its saved requests and environment go with it. */
  async forgetProvider(providerId: string): Promise<void> {
    await this.lockedSaved(providerId, () => this.vault.removeSealed(savedFile(providerId)));
    await this.lockedEnv(providerId, async () => {
      for (const variable of await this.loadEnv(providerId).catch(() => [])) {
        forgetSecretsOf(variableOwner(providerId, variable.name));
      }
      await this.vault.removeSealed(envFile(providerId));
    });
  }

  // ------------------------------------------------------------------ files

  private async assertProvider(providerId: string): Promise<void> {
    readProvider(await this.vault.read(), providerId);
  }

  private lockedSaved<T>(providerId: string, fn: () => Promise<T>): Promise<T> {
    return this.vault.withLock(`saved-${fileName(providerId)}`, fn);
  }

  private lockedEnv<T>(providerId: string, fn: () => Promise<T>): Promise<T> {
    return this.vault.withLock(`env-${fileName(providerId)}`, fn);
  }

  private async loadSaved(providerId: string): Promise<SavedRequest[]> {
    const text = await this.vault.readSealed(savedFile(providerId), savedRecord(providerId));
    const items = parseList(text, providerId, 'saved requests');
    if (!items.every(isSavedRequest)) throw corrupt(providerId, 'saved requests');
    return items.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async writeSaved(providerId: string, items: SavedRequest[]): Promise<void> {
    if (items.length > MAX_SAVED_REQUESTS) {
      throw new TokendeckError(
        'invalid_input',
        `A provider keeps at most ${MAX_SAVED_REQUESTS} saved requests; delete one first.`,
        { details: { reason: 'too_many' } },
      );
    }
    const text = JSON.stringify(items);
    if (Buffer.byteLength(text, 'utf8') > MAX_SAVED_BYTES) {
      throw new TokendeckError(
        'invalid_input',
        `The saved requests of a provider may take at most ${MAX_SAVED_BYTES / 1024 / 1024} MiB; ` +
          'this one would pass it. Delete a large saved request first.',
        { details: { reason: 'too_large' } },
      );
    }
    if (items.length === 0) await this.vault.removeSealed(savedFile(providerId));
    else await this.vault.writeSealed(savedFile(providerId), savedRecord(providerId), text);
  }

  private async loadEnv(providerId: string): Promise<StoredVariable[]> {
    const text = await this.vault.readSealed(envFile(providerId), envRecord(providerId));
    const variables = parseList(text, providerId, 'environment');
    if (!variables.every(isStoredVariable)) throw corrupt(providerId, 'environment');
    for (const variable of variables) {
      if (variable.secret) keepSecret(variableOwner(providerId, variable.name), variable.value);
    }
    return variables.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async writeEnv(providerId: string, variables: StoredVariable[]): Promise<void> {
    if (variables.length === 0) await this.vault.removeSealed(envFile(providerId));
    else
      await this.vault.writeSealed(
        envFile(providerId),
        envRecord(providerId),
        JSON.stringify(variables),
      );
  }
}

const savedRecord = (providerId: string) => `saved-requests:${providerId}`;
const envRecord = (providerId: string) => `environment:${providerId}`;
const savedFile = (providerId: string) => `requests/${fileName(providerId)}.json`;
const envFile = (providerId: string) => `environments/${fileName(providerId)}.json`;
const variableOwner = (providerId: string, name: string) => `env:${providerId}:${name}`;

/** Names differ by more than case: "Get me" and "get me" would be one file name elsewhere. */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function findSaved(items: SavedRequest[], name: string, providerId: string): number {
  const at = items.findIndex((item) => item.name === name);
  if (at < 0) {
    throw new TokendeckError(
      'not_found',
      `Provider "${providerId}" has no saved request "${name}" (see: tokendeck saved list ${providerId}).`,
      { details: { reason: 'no_saved_request', name } },
    );
  }
  return at;
}

function publicVariable(variable: StoredVariable): EnvVariable {
  const { name, secret, updatedAt } = variable;
  return secret ? { name, secret, updatedAt } : { name, secret, value: variable.value, updatedAt };
}

function isSavedRequest(value: unknown): value is SavedRequest {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  const request = item.request as Record<string, unknown> | null;
  return (
    typeof item.name === 'string' &&
    typeof item.createdAt === 'number' &&
    typeof item.updatedAt === 'number' &&
    typeof request === 'object' &&
    request !== null &&
    (request.kind === 'rest' || request.kind === 'graphql')
  );
}

function isStoredVariable(value: unknown): value is StoredVariable {
  if (typeof value !== 'object' || value === null) return false;
  const variable = value as Record<string, unknown>;
  return (
    typeof variable.name === 'string' &&
    typeof variable.value === 'string' &&
    typeof variable.secret === 'boolean' &&
    typeof variable.updatedAt === 'number'
  );
}

function parseList(text: string | undefined, providerId: string, what: string): unknown[] {
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(providerId, what, error);
  }
  if (!Array.isArray(value)) throw corrupt(providerId, what);
  return value;
}

function corrupt(providerId: string, what: string, cause?: unknown): TokendeckError {
  return new TokendeckError(
    'vault_corrupt',
    `The ${what} of provider "${providerId}" cannot be read.`,
    { cause, details: { providerId } },
  );
}

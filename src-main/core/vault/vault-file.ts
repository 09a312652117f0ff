import { lstat, readFile } from 'node:fs/promises';
import { TokendeckError } from '../errors';
import { nullLogger, type Logger } from '../log';
import { errnoOf } from './atomic-file';
import { BUILTIN_MIGRATIONS, runMigrations, type Migration } from './migrations';
import { SLOT_KINDS, type KeySlot, type SlotKind } from './types';
import { CURRENT_VERSION, decodeDocument, parseHeader, type VaultDocument } from './vault-document';
import type { LockSettings } from './vault-lock';

/**
 * Reading a vault file: its bytes, its parsed and (in memory) migrated document, and the
 * settings a vault is opened with. Nothing here writes.
 */

/** How a vault is opened (see `Vault`). */
export interface VaultOptions {
  logger?: Logger;
  /** How long to wait for a lock before `vault_lock_timeout`. Default 10 s. */
  lockTimeoutMs?: number;
  /**
   * A lock from another host not refreshed for this long is taken over. Default 30 s. A lock
   * held by a running process on this host is never taken over.
   */
  staleLockMs?: number;
  /**
   * The host name written in this process's locks; default the machine's. Tests set it to play
   * a second machine sharing the data folder (a network share), whose liveness cannot be checked.
   */
  lockHost?: string;
  /** Extra migration steps, tried before the built-in ones. */
  migrations?: Migration[];
  /** The format version this code writes. For tests of migrations only. */
  currentVersion?: number;
}

export interface Settings extends LockSettings {
  migrations: Migration[];
  currentVersion: number;
}

export interface Loaded {
  doc: VaultDocument;
  /** The file's version when it was older and has been migrated in memory, else null. */
  migratedFrom: number | null;
}

export function settingsFrom(options: VaultOptions): Settings {
  const currentVersion = options.currentVersion ?? CURRENT_VERSION;
  if (!Number.isInteger(currentVersion) || currentVersion < 1) {
    throw new TokendeckError('invalid_input', 'currentVersion must be a positive integer.');
  }
  return {
    logger: options.logger ?? nullLogger,
    lockTimeoutMs: options.lockTimeoutMs ?? 10_000,
    staleLockMs: options.staleLockMs ?? 30_000,
    ...(options.lockHost !== undefined ? { lockHost: options.lockHost } : {}),
    migrations: [...(options.migrations ?? []), ...BUILTIN_MIGRATIONS],
    currentVersion,
  };
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
}

/** Reads the vault file: `vault_missing` when absent, `vault_corrupt` when unreadable. */
export async function readVaultFile(path: string, logger: Logger): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') {
      throw new TokendeckError('vault_missing', `No vault at ${path}.`, {
        cause: error,
        details: { path },
      });
    }
    logger.error('vault: the vault file cannot be read', { path, errno: errnoOf(error) });
    throw new TokendeckError('vault_corrupt', `The vault file ${path} cannot be read.`, {
      cause: error,
      details: { path, reason: 'unreadable', errno: errnoOf(error) ?? null },
    });
  }
}

export function conflict(path: string): TokendeckError {
  return new TokendeckError(
    'conflict',
    `A file already exists at ${path}; it is never overwritten. Open it or move it away.`,
    { details: { path } },
  );
}

/** The kind of a slot the vault stores; a session's key is never stored in the vault. */
export function storedKind(slot: KeySlot): SlotKind {
  if (!(SLOT_KINDS as readonly string[]).includes(slot.kind)) {
    throw new TokendeckError('invalid_input', 'Only a passphrase or OS keychain slot is stored.');
  }
  return slot.kind as SlotKind;
}

/**
 * Parses, version-checks and (in memory) migrates the bytes of a vault file.
 *
 * Corrupt files are logged and reported; nothing is written here.
 */
export function loadDocument(raw: Buffer, path: string, settings: Settings): Loaded {
  try {
    const header = parseHeader(raw, path);
    if (header.version > settings.currentVersion) {
      throw new TokendeckError(
        'vault_unsupported_version',
        `The vault ${path} was written by a newer Tokendeck (format ${header.version}); ` +
          `this one reads up to format ${settings.currentVersion}. It has been left untouched.`,
        { details: { path, version: header.version, supported: settings.currentVersion } },
      );
    }
    if (header.version === settings.currentVersion) {
      return { doc: decodeDocument(header.doc, path), migratedFrom: null };
    }
    const migrated = runMigrations(
      header.doc,
      header.version,
      settings.currentVersion,
      settings.migrations,
      path,
    );
    return { doc: decodeDocument(migrated, path), migratedFrom: header.version };
  } catch (error) {
    if (error instanceof TokendeckError) {
      settings.logger.error('vault: the vault file cannot be loaded', {
        path,
        code: error.code,
        reason: error.details.reason ?? null,
      });
    }
    throw error;
  }
}

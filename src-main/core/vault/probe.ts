import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fsProblem } from '../data-dir';
import { TokendeckError } from '../errors';
import { errnoOf } from './atomic-file';
import { BUILTIN_MIGRATIONS, runMigrations } from './migrations';
import type { VaultProbe } from './types';
import {
  CURRENT_VERSION,
  VAULT_FILE,
  decodeDocument,
  parseHeader,
  peekSlots,
  slotInfos,
} from './vault-document';

/** What a corrupt file's parse failure means, said of the file. */
const PROBLEMS: Record<string, string> = {
  'empty file': 'is empty',
  'not valid JSON': 'is not valid JSON',
  'not a Tokendeck vault': 'is not a Tokendeck vault',
};

/**
 * Says what is in a data folder without unlocking it: whether a vault exists, whether it can be
 * parsed, its format version and its key slots.
 *
 * Never throws for a corrupt or unreadable file, and never writes: the app uses this to choose
 * between first run, unlock, and recovery (naming the file).
 */
export async function probeVault(dir: string): Promise<VaultProbe> {
  const path = join(resolve(dir), VAULT_FILE);
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { path, exists: false, corrupt: false, version: null, slots: [] };
    }
    const problem = `cannot be read: ${fsProblem(error)}`;
    return { path, exists: true, corrupt: true, problem, version: null, slots: [] };
  }
  /** The header's version once it parsed: a file that then fails validation still reports it. */
  let version: number | null = null;
  try {
    const header = parseHeader(raw, path);
    version = header.version;
    // A file this code can open is decoded, as opening it would (after its migrations).
    const slots =
      version <= CURRENT_VERSION
        ? slotInfos(decodeDocument(migrated(header.doc, version, path), path).slots)
        : peekSlots(header.doc);
    return { path, exists: true, corrupt: false, version, slots };
  } catch (error) {
    if (!(error instanceof TokendeckError)) throw error;
    const reason = String(error.details.reason ?? 'damaged');
    const problem =
      PROBLEMS[reason] ??
      (reason.startsWith('unknown') ? `has an ${reason}` : `is damaged (${reason})`);
    return { path, exists: true, corrupt: true, problem, version, slots: [] };
  }
}

function migrated(doc: Record<string, unknown>, version: number, path: string) {
  return version === CURRENT_VERSION
    ? doc
    : runMigrations(doc, version, CURRENT_VERSION, BUILTIN_MIGRATIONS, path);
}

/**
 * The ids in one collection of the vault's readable metadata, without unlocking: for shell
 * completion. Empty when there is no vault or it cannot be read; never writes.
 */
export async function readableIds(dir: string, collection: string): Promise<string[]> {
  try {
    const path = join(resolve(dir), VAULT_FILE);
    const header = parseHeader(await readFile(path), path);
    if (header.version !== CURRENT_VERSION) return [];
    return [...(decodeDocument(header.doc, path).collections.get(collection)?.keys() ?? [])];
  } catch {
    return [];
  }
}

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TokendeckError } from '../errors';
import type { VaultProbe } from './types';
import {
  CURRENT_VERSION,
  VAULT_FILE,
  decodeDocument,
  parseHeader,
  peekSlots,
  slotInfos,
} from './vault-document';

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
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { path, exists: false, corrupt: false, version: null, slots: [] };
    }
    return { path, exists: true, corrupt: true, version: null, slots: [] };
  }
  try {
    const header = parseHeader(raw, path);
    if (header.version === CURRENT_VERSION) {
      const doc = decodeDocument(header.doc, path);
      return {
        path,
        exists: true,
        corrupt: false,
        version: doc.version,
        slots: slotInfos(doc.slots),
      };
    }
    return {
      path,
      exists: true,
      corrupt: false,
      version: header.version,
      slots: peekSlots(header.doc),
    };
  } catch (error) {
    if (!(error instanceof TokendeckError)) throw error;
    return { path, exists: true, corrupt: true, version: versionOf(raw), slots: [] };
  }
}

/** The version field of a file that parses as JSON but fails validation, else null. */
function versionOf(raw: Buffer): number | null {
  try {
    return parseHeader(raw, '').version;
  } catch (error) {
    if (error instanceof TokendeckError) return null;
    throw error;
  }
}

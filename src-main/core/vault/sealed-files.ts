import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TokendeckError } from '../errors';
import { ensurePrivateDir, errnoOf, removeQuietly, writeFileAtomic } from './atomic-file';
import { openRecord, sealRecord } from './record-cipher';
import { assertHeldLocks } from './vault-lock';

/**
 * Sealed files beside the vault: data that is secret but must stay off the vault file's path,
 * such as the request history, which grows with every request while `tokendeck token` must
 * stay fast (it parses `vault.json` each time).
 *
 * A sealed file is `{ "format": "tokendeck-sealed", "version": 1, "sealed": { … } }`, its text
 * sealed with AES-256-GCM under the vault's data key and bound to the vault id and a record id,
 * so that it cannot be moved to another record or another vault. Writes are atomic, durable and
 * fenced by the caller's locks.
 */
const FORMAT = 'tokendeck-sealed';
const VERSION = 1;

/** Writes `plaintext` sealed for `recordId` to `path`. */
export async function writeSealedFile(
  path: string,
  key: { dataKey: Buffer; vaultId: string },
  recordId: string,
  plaintext: string,
): Promise<void> {
  const sealed = sealRecord(key.dataKey, key.vaultId, recordId, plaintext);
  await ensurePrivateDir(dirname(path));
  await writeFileAtomic(
    path,
    Buffer.from(JSON.stringify({ format: FORMAT, version: VERSION, sealed }) + '\n', 'utf8'),
    // Fencing (SECURITY 44): the caller's named lock must still be its own when the file lands.
    { beforeRename: assertHeldLocks },
  );
}

/**
 * The text sealed in `path` for `recordId`; undefined when there is no such file.
 *
 * A file that does not parse is `vault_corrupt`; one whose tag fails is `vault_record_tampered`.
 * Neither is ever deleted here.
 */
export async function readSealedFile(
  path: string,
  key: { dataKey: Buffer; vaultId: string },
  recordId: string,
): Promise<string | undefined> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw new TokendeckError('vault_corrupt', `The file ${path} cannot be read.`, {
      cause: error,
      details: { path, errno: errnoOf(error) ?? null },
    });
  }
  let file: { format?: unknown; version?: unknown; sealed?: unknown };
  try {
    file = JSON.parse(raw) as typeof file;
  } catch (error) {
    throw malformed(path, error);
  }
  if (file?.format !== FORMAT || file.version !== VERSION) throw malformed(path);
  const plaintext = openRecord(key.dataKey, key.vaultId, recordId, file.sealed);
  if (plaintext === null) {
    throw new TokendeckError(
      'vault_record_tampered',
      `The file ${path} failed its integrity check. It has been kept as it is.`,
      { details: { path } },
    );
  }
  return plaintext;
}

/** Removes a sealed file; a missing one is fine. */
export async function removeSealedFile(path: string): Promise<void> {
  await removeQuietly(path);
}

function malformed(path: string, cause?: unknown): TokendeckError {
  return new TokendeckError('vault_corrupt', `The file ${path} is not a sealed Tokendeck file.`, {
    cause,
    details: { path },
  });
}

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log';
import { errnoOf, isTempFileOf, removeQuietly } from './atomic-file';
import { isProcessAlive, lockSideFileWriter } from './lock-holder';
import { LOCKS_DIR } from './vault-lock';

/**
 * Deletes the files that writers killed mid-step leave beside the vault.
 *
 * Call it under the vault file's lock: vault temp files are only ever written under that lock,
 * so any found then are leftovers. A lock's side files (in the data folder and in `locks/`: the
 * temp file a lock is linked from, and the `*.stale` and `*.released` names a lock is moved to
 * while it is recovered or released) are removed only when the pid that wrote them is gone.
 */
export async function sweepLeftovers(
  dir: string,
  vaultPath: string,
  logger: Logger,
): Promise<void> {
  const leftovers: string[] = [];
  for (const name of await readdir(dir)) {
    if (isTempFileOf(vaultPath, name) || isDeadLockSideFile(name)) leftovers.push(join(dir, name));
  }
  const locksDir = join(dir, LOCKS_DIR);
  for (const name of await readdirIfPresent(locksDir)) {
    if (isDeadLockSideFile(name)) leftovers.push(join(locksDir, name));
  }
  for (const path of leftovers) {
    await removeQuietly(path);
    logger.info('vault: removed a temp file left by an interrupted write', { file: path });
  }
}

async function readdirIfPresent(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return [];
    throw error;
  }
}

function isDeadLockSideFile(name: string): boolean {
  const pid = lockSideFileWriter(name);
  return pid !== null && pid !== process.pid && !isProcessAlive(pid);
}

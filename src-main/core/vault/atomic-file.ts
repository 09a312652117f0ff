import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { TokendeckError } from '../errors';

/**
 * Atomic, durable file writes with owner-only permissions.
 *
 * A write goes to `<path>.<pid>.<random>.tmp` (mode 0600), is fsynced, renamed over the target,
 * and then the folder is fsynced so that the rename itself survives a power cut. A reader, or a
 * process killed at any instant, sees either the old file or the new one, never a mix.
 */
const isWindows = process.platform === 'win32';

/** Errors some file systems give for fsync on a folder, which then has nothing to flush. */
const DIR_FSYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'EPERM', 'EBADF', 'ENOTSUP']);

/** Errors `link` gives where the file system has no hard links; callers fall back to O_EXCL. */
export const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** The `code` of a failed file-system call (`ENOENT`, …), if any. */
export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Creates a folder (and its parents) and makes it owner-only (0700) where the OS has modes. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!isWindows) await chmod(dir, 0o700);
}

/** Flushes a folder's entries (a rename or a new file) to disk. A no-op on Windows. */
async function fsyncDir(dir: string): Promise<void> {
  if (isWindows) return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    if (!DIR_FSYNC_UNSUPPORTED.has(errnoOf(error) ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/** A unique name beside `path` for this process: `<path>.<pid>.<12 hex>.<suffix>`. */
export function tempPathFor(path: string, suffix = 'tmp'): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.${suffix}`;
}

/** True for a temp file left by {@link tempPathFor} for this target, by any process. */
export function isTempFileOf(target: string, name: string): boolean {
  const base = basename(target);
  return name.startsWith(`${base}.`) && /\.\d+\.[0-9a-f]{12}\.tmp$/.test(name);
}

/** Writes a new file, fsyncs it, and leaves it at mode 0600. Fails if the file exists. */
export async function writeNewFile(path: string, data: Buffer): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    if (!isWindows) await handle.chmod(0o600);
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
}

function alreadyExists(path: string, error: unknown): TokendeckError {
  return new TokendeckError('conflict', `A file already exists at ${path}.`, {
    cause: error,
    details: { path },
  });
}

function writeFailed(path: string, error: unknown): TokendeckError {
  return new TokendeckError('vault_write_failed', `Could not write ${path}.`, {
    cause: error,
    details: { path, errno: errnoOf(error) ?? null },
  });
}

/**
 * Replaces `path` with `data`, atomically and durably.
 *
 * `beforeRename` runs once the new bytes are on disk, right before they replace the old file:
 * the last moment a write can still be called off (the vault's fencing check). If it throws, its
 * error propagates and nothing is replaced. Otherwise throws `vault_write_failed`; the old file
 * is then untouched and the temp file removed.
 */
export async function writeFileAtomic(
  path: string,
  data: Buffer,
  options: { beforeRename?: () => Promise<void> } = {},
): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeNewFile(temp, data);
  } catch (error) {
    await removeQuietly(temp);
    throw writeFailed(path, error);
  }
  try {
    await options.beforeRename?.();
  } catch (error) {
    await removeQuietly(temp);
    throw error;
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await removeQuietly(temp);
    throw writeFailed(path, error);
  }
  try {
    await fsyncDir(dirname(path));
  } catch (error) {
    throw writeFailed(path, error);
  }
}

/**
 * Places `data` at `path` only if nothing is there, atomically and durably.
 *
 * Uses a hard link from a complete temp file, so the target appears whole or not at all and an
 * existing file is never replaced. Throws `conflict` if `path` exists; falls back to an exclusive
 * create where the file system has no hard links.
 */
export async function writeFileExclusive(path: string, data: Buffer): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeNewFile(temp, data);
  } catch (error) {
    await removeQuietly(temp);
    throw writeFailed(path, error);
  }
  try {
    await linkOrCreate(temp, path, data);
  } finally {
    await removeQuietly(temp);
  }
  try {
    await fsyncDir(dirname(path));
  } catch (error) {
    throw writeFailed(path, error);
  }
}

async function linkOrCreate(temp: string, path: string, data: Buffer): Promise<void> {
  try {
    await link(temp, path);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') throw alreadyExists(path, error);
    if (!NO_HARD_LINKS.has(code ?? '')) throw writeFailed(path, error);
    try {
      await writeNewFile(path, data);
    } catch (fallbackError) {
      if (errnoOf(fallbackError) === 'EEXIST') throw alreadyExists(path, fallbackError);
      throw writeFailed(path, fallbackError);
    }
  }
}

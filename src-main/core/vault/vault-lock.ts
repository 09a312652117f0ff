import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fsProblem } from '../data-dir';
import { TokendeckError } from '../errors';
import type { Logger } from '../log';
import { acquireFileLock, type HeldLock } from './file-lock';
import { processLocks } from './keyed-mutex';

/**
 * The vault's locks: an in-process queue, then a lock file, per lock path.
 *
 * The vault file has its own lock (`vault.json.lock`); named locks (`locks/<name>.lock`) let
 * callers hold a lock across slow work such as a network refresh. A caller that already holds a
 * lock and asks for it again is refused instead of deadlocking. The locks an async call chain
 * holds are known to it, so a write can check, right before it lands, that every one of them is
 * still its own (SECURITY 44).
 */

/** The folder of the named locks, inside the data folder. */
export const LOCKS_DIR = 'locks';
const SAFE_LOCK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The locks held by the current async call chain, by path. */
const lockScope = new AsyncLocalStorage<ReadonlyMap<string, HeldLock>>();

export interface LockSettings {
  logger: Logger;
  /** How long to wait for a lock file when the caller set no deadline. */
  lockTimeoutMs: number;
  /** A lock from another host not refreshed for this long is taken over. */
  staleLockMs: number;
  /** The host name written in this process's locks; default the machine's. */
  lockHost?: string;
}

/** True when the current async call chain holds the lock at `lockPath`. */
export function holdsLock(lockPath: string): boolean {
  return lockScope.getStore()?.has(lockPath) ?? false;
}

/**
 * Throws `vault_lock_lost` unless every lock the current async call chain holds is still its
 * own: the fencing check before a write or a refresh-token spend (SECURITY 44).
 */
export async function assertHeldLocks(): Promise<void> {
  for (const lock of lockScope.getStore()?.values() ?? []) await lock.assertHeld();
}

/** The path of the named lock in `dir`; a name that is not a safe file name is hashed. */
export function namedLockPath(dir: string, name: string): string {
  return join(dir, LOCKS_DIR, lockFileName(name));
}

/** Holds the in-process queue, then the lock file, for `fn`; refuses same-lock re-entry. */
export async function withCrossProcessLock<T>(
  lockPath: string,
  settings: LockSettings,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  const held = lockScope.getStore();
  if (held?.has(lockPath)) {
    throw new TokendeckError('invalid_input', 'This lock is already held by the caller.', {
      details: { lock: lockPath },
    });
  }
  const deadline = Date.now() + timeoutMs;
  const timeout = () =>
    new TokendeckError('vault_lock_timeout', `Timed out waiting for the lock ${lockPath}.`, {
      details: { lock: lockPath },
    });
  const release = await processLocks.acquire(lockPath, timeoutMs, timeout);
  try {
    const lock = await acquireFileLock(lockPath, {
      timeoutMs: Number.isFinite(timeoutMs)
        ? Math.max(0, deadline - Date.now())
        : settings.lockTimeoutMs,
      staleMs: settings.staleLockMs,
      logger: settings.logger,
      ...(settings.lockHost !== undefined ? { host: settings.lockHost } : {}),
    }).catch((error: unknown) => {
      if (error instanceof TokendeckError) throw error;
      throw new TokendeckError(
        'vault_write_failed',
        `The lock file ${lockPath} cannot be used: ${fsProblem(error)}. Move it away if no Tokendeck is running.`,
        { cause: error, details: { path: lockPath } },
      );
    });
    try {
      return await lockScope.run(new Map([...(held ?? []), [lockPath, lock]]), fn);
    } finally {
      await lock.release();
    }
  } finally {
    release();
  }
}

function lockFileName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TokendeckError('invalid_input', 'A lock name must be a non-empty string.');
  }
  if (SAFE_LOCK_NAME.test(name)) return `${name}.lock`;
  return `h-${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 40)}.lock`;
}

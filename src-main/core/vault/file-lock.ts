import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import { TokendeckError } from '../errors';
import type { Logger } from '../log';
import {
  NO_HARD_LINKS,
  ensurePrivateDir,
  errnoOf,
  removeQuietly,
  tempPathFor,
  writeNewFile,
} from './atomic-file';
import {
  HOST,
  OWN_START,
  heldTokens,
  parseInfo,
  staleReason,
  type LockInfo,
  type ObservedLock,
} from './lock-holder';

/**
 * A cross-process lock file, with stale-lock recovery and generation fencing.
 *
 * Taking the lock creates the file exclusively (a hard link from a complete temp file, or O_EXCL
 * where links are missing) holding who holds it (see lock-holder.ts) and the lock's generation.
 * The generation is a hybrid logical clock: the wall clock in milliseconds, but always above the
 * generation of any lock this acquirer saw at the path, so a holder that takes over a stale lock
 * always has a higher generation than the one it displaced, whatever the clocks say. A busy lock
 * is retried with a small randomized backoff until the wait limit, then `vault_lock_timeout`.
 * While held, a heartbeat refreshes the file's mtime every third of the stale limit.
 *
 * A holder on this host is never judged stale while its process runs; see `staleReason`.
 * Recovery of a stale lock is race-safe: recoverers take turns through a guard file, and the lock
 * is deleted only if it is still the very file judged stale (see `recover`). The caller then
 * retries the exclusive create, which only one process can win.
 *
 * Fencing (SECURITY 44): a holder that stalled (a holder on another host, judged by its
 * heartbeat) may find its lock taken over. {@link HeldLock.assertHeld} reads the lock file and
 * throws `vault_lock_lost` unless it still holds this holder's generation; the vault calls it
 * right before each write's rename, and before a renewal spends a refresh token.
 */
export interface FileLockOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** A lock from another host not refreshed for this long is stale. */
  staleMs: number;
  logger: Logger;
  /** The host name this process writes in its locks; default the machine's. */
  host?: string;
}

export interface HeldLock {
  readonly path: string;
  readonly generation: number;
  /** Throws `vault_lock_lost` unless the lock file still holds this acquisition. */
  assertHeld(): Promise<void>;
  /** Stops the heartbeat and deletes the lock file if it is still ours. */
  release(): Promise<void>;
}

async function observe(path: string): Promise<ObservedLock | null> {
  try {
    const [raw, stats] = await Promise.all([readFile(path), stat(path)]);
    return { raw, info: parseInfo(raw), ino: stats.ino, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}

async function readBytes(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Removes a lock judged stale, unless another process got there first.
 *
 * Recoverers take turns through a guard file next to the lock (`<lock>.recovering`, created
 * exclusively). Under the guard the lock is read again and deleted only if it is still the very
 * file judged stale: only a recoverer ever deletes another process's lock, so nothing can put a
 * live lock at the path between that check and the delete. Moving the lock aside first, then
 * checking, would leave the path empty for a moment, and a live holder looking at it then would
 * wrongly find itself fenced off.
 *
 * Returns without error in every race; the caller simply tries to create the lock again.
 */
async function recover(
  path: string,
  observed: ObservedLock,
  reason: string,
  guardContent: Buffer,
  options: { staleMs: number; host: string; logger: Logger },
): Promise<void> {
  const { logger } = options;
  const guard = `${path}.recovering`;
  const guardToken = parseInfo(guardContent)?.token;
  if (!(await tryCreate(guard, guardContent))) {
    // Another process is recovering; a guard left by a recoverer that died is removed here.
    const other = await observe(guard);
    const guardReason = other && staleReason(other, options.staleMs, Date.now(), options.host);
    if (other && guardReason) await displace(guard, other, guardReason, logger);
    return;
  }
  // Another acquirer in this thread must not take this guard for an orphan.
  if (guardToken) heldTokens.add(guardToken);
  try {
    const again = await observe(path);
    if (!again || again.ino !== observed.ino || !again.raw.equals(observed.raw)) return;
    await removeQuietly(path);
    logger.warn('vault: recovered a stale lock', {
      lock: path,
      reason,
      holderPid: observed.info?.pid ?? null,
      holderHost: observed.info?.hostname ?? null,
      generation: observed.info?.generation ?? null,
    });
  } finally {
    await removeQuietly(guard);
    if (guardToken) heldTokens.delete(guardToken);
  }
}

/**
 * Removes a stale recovery guard: moved to a unique name first, deleted only if it is the one
 * judged stale, otherwise put back.
 */
async function displace(
  path: string,
  observed: ObservedLock,
  reason: string,
  logger: Logger,
): Promise<void> {
  const grave = tempPathFor(path, 'stale');
  try {
    await rename(path, grave);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await observe(grave);
  if (moved && moved.ino === observed.ino && moved.raw.equals(observed.raw)) {
    await removeQuietly(grave);
    logger.warn('vault: removed a stale lock recovery guard', { lock: path, reason });
    return;
  }
  await restore(grave, path, moved?.raw ?? null, logger);
}

/** Puts back a live lock that was moved aside by mistake, never replacing a newer one. */
async function restore(
  grave: string,
  path: string,
  raw: Buffer | null,
  logger: Logger,
): Promise<void> {
  try {
    await link(grave, path);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') {
      logger.error('vault: a live lock was displaced; its holder is fenced off', { lock: path });
    } else if (raw) {
      await writeNewFile(path, raw);
    } else {
      throw error;
    }
  } finally {
    await removeQuietly(grave);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Creates the lock file with its content in one step, or returns false if it exists.
 *
 * The content goes to a temp file first, which is then hard-linked to the lock name: the link
 * fails if the lock exists, and a process killed at any instant leaves either no lock or a
 * complete one, never an empty lock that nobody could judge. Where the file system has no hard
 * links, falls back to O_EXCL create and write.
 */
async function tryCreate(path: string, content: Buffer): Promise<boolean> {
  const temp = tempPathFor(path, 'locktmp');
  try {
    await writeNewFile(temp, content);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
    await ensurePrivateDir(dirname(path));
    await writeNewFile(temp, content);
  }
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code ?? '')) throw error;
    return createExclusive(path, content);
  } finally {
    await removeQuietly(temp);
  }
}

async function createExclusive(path: string, content: Buffer): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } catch (error) {
    await handle.close();
    await removeQuietly(path);
    throw error;
  }
  await handle.close();
  return true;
}

function holderText(holder: LockInfo | null, host: string): string {
  if (!holder) return '';
  const where = holder.hostname === host ? 'this machine' : `host ${holder.hostname}`;
  return ` It is held by process ${holder.pid} on ${where}.`;
}

/**
 * Takes the lock file at `path`, waiting up to `timeoutMs`.
 *
 * Throws `vault_lock_timeout` naming the lock and its holder (pid and host only).
 */
export async function acquireFileLock(path: string, options: FileLockOptions): Promise<HeldLock> {
  const { timeoutMs, staleMs, logger } = options;
  const host = options.host ?? HOST;
  const deadline = Date.now() + timeoutMs;
  const token = randomBytes(16).toString('hex');
  let attempt = 0;
  let holder: LockInfo | null = null;
  let seenGeneration = 0;
  for (;;) {
    const generation = Math.max(Date.now(), seenGeneration + 1);
    const info: LockInfo = {
      pid: process.pid,
      hostname: host,
      threadId,
      token,
      createdAt: Date.now(),
      generation,
      ...(OWN_START !== null ? { started: OWN_START } : {}),
    };
    const content = Buffer.from(JSON.stringify(info), 'utf8');
    let created: boolean;
    try {
      created = await tryCreate(path, content);
    } catch (error) {
      throw new TokendeckError('vault_write_failed', `Could not create the lock ${path}.`, {
        cause: error,
        details: { lock: path, errno: errnoOf(error) ?? null },
      });
    }
    if (created) {
      heldTokens.add(token);
      return holdLock(path, content, info, staleMs, logger);
    }
    const observed = await observe(path);
    if (observed) {
      holder = observed.info;
      seenGeneration = Math.max(seenGeneration, observed.info?.generation ?? 0);
      const reason = staleReason(observed, staleMs, Date.now(), host);
      if (reason) {
        await recover(path, observed, reason, content, { staleMs, host, logger });
        continue;
      }
    }
    const now = Date.now();
    if (now >= deadline) {
      throw new TokendeckError(
        'vault_lock_timeout',
        `Timed out waiting for the lock ${path}.${holderText(holder, host)}`,
        {
          details: {
            lock: path,
            holderPid: holder?.pid ?? null,
            holderHost: holder?.hostname ?? null,
          },
        },
      );
    }
    attempt += 1;
    const base = Math.min(100, 2 * 2 ** Math.min(attempt, 6));
    const delay = Math.min(deadline - now, Math.max(1, Math.round(base * (0.5 + Math.random()))));
    await sleep(delay);
  }
}

function holdLock(
  path: string,
  content: Buffer,
  info: LockInfo,
  staleMs: number,
  logger: Logger,
): HeldLock {
  let lost = false;
  let released = false;
  const lostError = (current: LockInfo | null) =>
    new TokendeckError(
      'vault_lock_lost',
      `Another process took over the lock ${path} while this one was stalled; this one stopped before changing anything. Try again.`,
      {
        details: {
          lock: path,
          generation: info.generation,
          currentGeneration: current?.generation ?? null,
        },
      },
    );
  const refresh = async (): Promise<void> => {
    const current = await readBytes(path);
    if (!current || !current.equals(content)) {
      if (!lost) logger.warn('vault: a held lock was taken over', { lock: path });
      lost = true;
      return;
    }
    const now = new Date();
    await utimes(path, now, now);
  };
  const timer = setInterval(
    () => {
      if (lost) return;
      refresh().catch((error: unknown) => {
        logger.warn('vault: could not refresh a held lock', { lock: path, error });
      });
    },
    Math.max(50, Math.floor(staleMs / 3)),
  );
  timer.unref();
  return {
    path,
    generation: info.generation,
    async assertHeld(): Promise<void> {
      const current = released ? null : await readBytes(path);
      if (current && current.equals(content)) return;
      lost = true;
      const error = lostError(current ? parseInfo(current) : null);
      logger.error('vault: a write was fenced off: the lock was taken over', {
        lock: path,
        generation: info.generation,
        currentGeneration: error.details.currentGeneration ?? null,
      });
      throw error;
    },
    async release(): Promise<void> {
      if (released) return;
      released = true;
      clearInterval(timer);
      heldTokens.delete(info.token);
      await releaseFile(path, content, logger);
    },
  };
}

/**
 * Deletes the lock file only if it is still this holder's.
 *
 * The file is renamed to a unique name first, which is atomic, and only then compared: so the
 * delete can never hit a lock another process created after a check. If the moved file is not
 * ours (our lock had been taken over), it is linked back at once.
 */
async function releaseFile(path: string, content: Buffer, logger: Logger): Promise<void> {
  const grave = tempPathFor(path, 'released');
  try {
    await rename(path, grave);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
    logger.warn('vault: a held lock was taken over before release', { lock: path });
    return;
  }
  const moved = await readBytes(grave);
  if (moved && moved.equals(content)) {
    await removeQuietly(grave);
    return;
  }
  logger.warn('vault: a held lock was taken over before release', { lock: path });
  await restore(grave, path, moved, logger);
}

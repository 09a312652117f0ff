import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TokendeckError } from '../errors';
import {
  Vault,
  ensurePrivateDir,
  writeFileAtomic,
  type KeySlot,
  type VaultOpener,
  type WrappedKey,
} from '../vault';

/**
 * CLI sessions, the way `bw unlock` and `BW_SESSION` work: unlock once, then every command opens
 * the vault with the session's key instead of the passphrase.
 *
 * The session key is random and lives only in `TOKENDECK_SESSION`; the data key is wrapped under
 * it (AES-256-GCM) in `sessions/<id>.json`, a 0600 file in a 0700 folder. Neither key is ever
 * written in plaintext or logged (SECURITY 46). A session ends after 30 minutes unused or 12 hours
 * in all, whichever comes first, and `tokendeck lock` ends them all.
 */

export const SESSIONS_FOLDER = 'sessions';
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_TTL_MS = 12 * 60 * 60_000;

const PREFIX = 'tds1';
const KEY_BYTES = 32;
const ID_PATTERN = /^[0-9a-f]{32}$/;

interface SessionFile {
  version: 1;
  id: string;
  vaultId: string;
  createdAt: number;
  expiresAt: number;
  idleMs: number;
  lastUsedAt: number;
  wrapped: WrappedKey;
}

export interface SessionInfo {
  id: string;
  createdAt: number;
  expiresAt: number;
  /** When the session ends if it stays unused. */
  idleUntil: number;
}

/** The session key as a key slot: AES-256-GCM, bound to the session's id. */
function sessionSlot(id: string, key: Buffer): KeySlot {
  const aad = Buffer.from(`tokendeck-session\u0000${id}`, 'utf8');
  return {
    kind: 'session',
    async wrap(dataKey) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(aad);
      const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return {
        kind: 'session',
        nonce: nonce.toString('base64'),
        ct: ct.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      };
    },
    async unwrap(wrapped) {
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          key,
          Buffer.from(String(wrapped.nonce), 'base64'),
        ).setAAD(aad);
        decipher.setAuthTag(Buffer.from(String(wrapped.tag), 'base64'));
        return Buffer.concat([
          decipher.update(Buffer.from(String(wrapped.ct), 'base64')),
          decipher.final(),
        ]);
      } catch (error) {
        throw sessionError('The session key does not match its session. Unlock again.', error);
      }
    },
  };
}

function sessionError(message: string, cause?: unknown): TokendeckError {
  return new TokendeckError(
    'vault_locked',
    `${message} Run: eval "$(tokendeck unlock)"`,
    cause === undefined ? {} : { cause },
  );
}

const sessionPath = (dataDir: string, id: string) => join(dataDir, SESSIONS_FOLDER, `${id}.json`);

/**
 * Starts a session for an unlocked vault and returns its `TOKENDECK_SESSION` value.
 *
 * `ttlMs` is the absolute lifetime (at most 12 hours); the idle limit is 30 minutes, or the
 * lifetime when that is shorter.
 */
export async function createSession(
  vault: Vault,
  options: { ttlMs?: number; now?: number } = {},
): Promise<string> {
  const ttlMs = options.ttlMs ?? SESSION_MAX_TTL_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0 || ttlMs > SESSION_MAX_TTL_MS) {
    throw new TokendeckError('invalid_input', 'A session lasts at most 12 hours.');
  }
  const now = options.now ?? Date.now();
  const id = randomBytes(16).toString('hex');
  const key = randomBytes(KEY_BYTES);
  const file: SessionFile = {
    version: 1,
    id,
    vaultId: vault.vaultId,
    createdAt: now,
    expiresAt: now + ttlMs,
    idleMs: Math.min(SESSION_IDLE_MS, ttlMs),
    lastUsedAt: now,
    wrapped: await vault.wrapKey(sessionSlot(id, key)),
  };
  await ensurePrivateDir(join(vault.dir, SESSIONS_FOLDER));
  await writeFileAtomic(sessionPath(vault.dir, id), Buffer.from(JSON.stringify(file)));
  return `${PREFIX}.${id}.${key.toString('base64url')}`;
}

/** Splits a `TOKENDECK_SESSION` value; `vault_locked` when it is not one. */
function parseToken(token: string): { id: string; key: Buffer } {
  const [prefix, id, encoded] = token.trim().split('.');
  const key = Buffer.from(encoded ?? '', 'base64url');
  if (prefix !== PREFIX || !id || !ID_PATTERN.test(id) || key.length !== KEY_BYTES) {
    throw sessionError('TOKENDECK_SESSION does not hold a Tokendeck session.');
  }
  return { id, key };
}

async function readSession(dataDir: string, id: string): Promise<SessionFile | null> {
  try {
    const value = JSON.parse(await readFile(sessionPath(dataDir, id), 'utf8')) as SessionFile;
    return value?.version === 1 && value.id === id ? value : null;
  } catch {
    return null;
  }
}

const isLive = (file: SessionFile, now: number) =>
  now < file.expiresAt && now < file.lastUsedAt + file.idleMs;

/**
 * Opens the vault with a session: the opener for the vault session.
 *
 * An unknown, expired or idle session is `vault_locked` (its file is removed), and so is a key
 * that does not open it. Each use moves the idle limit on.
 */
export function sessionOpener(token: string, now: () => number = Date.now): VaultOpener {
  return async (dataDir, options) => {
    const { id, key } = parseToken(token);
    const file = await readSession(dataDir, id);
    if (!file) throw sessionError('The session has ended or belongs to another data folder.');
    const at = now();
    if (!isLive(file, at)) {
      await rm(sessionPath(dataDir, id), { force: true });
      throw sessionError('The session has expired.');
    }
    const vault = await Vault.openWrapped(dataDir, sessionSlot(id, key), file.wrapped, options);
    if (!timingSafeEqual(Buffer.from(vault.vaultId), Buffer.from(file.vaultId))) {
      throw sessionError('The session belongs to another vault.');
    }
    await touch(sessionPath(dataDir, id), { ...file, lastUsedAt: at });
    return vault;
  };
}

/**
 * Moves a session's idle limit on: a whole-file replace, but not flushed to disk, since a lost
 * touch only ends the session sooner and every command pays for a flush.
 */
async function touch(path: string, file: SessionFile): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, JSON.stringify(file), { mode: 0o600, flag: 'wx' });
    await rename(temp, path);
  } catch {
    await rm(temp, { force: true });
  }
}

/** The live sessions of a data folder; expired ones are removed on the way. */
export async function listSessions(dataDir: string, now = Date.now()): Promise<SessionInfo[]> {
  const live: SessionInfo[] = [];
  for (const id of await sessionIds(dataDir)) {
    const file = await readSession(dataDir, id);
    if (file && isLive(file, now)) {
      const { createdAt, expiresAt } = file;
      live.push({ id, createdAt, expiresAt, idleUntil: file.lastUsedAt + file.idleMs });
    } else {
      await rm(sessionPath(dataDir, id), { force: true });
    }
  }
  return live;
}

/** Ends every session of a data folder; returns how many there were. */
export async function endSessions(dataDir: string): Promise<number> {
  const ids = await sessionIds(dataDir);
  for (const id of ids) await rm(sessionPath(dataDir, id), { force: true });
  return ids.length;
}

async function sessionIds(dataDir: string): Promise<string[]> {
  try {
    return (await readdir(join(dataDir, SESSIONS_FOLDER)))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((id) => ID_PATTERN.test(id));
  } catch {
    return [];
  }
}

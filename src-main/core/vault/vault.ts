import { join, resolve } from 'node:path';
import { TokendeckError } from '../errors';
import { ensurePrivateDir, writeFileAtomic, writeFileExclusive } from './atomic-file';
import { sweepLeftovers } from './leftovers';
import { writeBackup } from './migrations';
import { generateDataKey, generateVaultId, keyCheckValue } from './record-cipher';
import { checkMetadata, sealMetadata } from './metadata-mac';
import { readSealedFile, removeSealedFile, writeSealedFile } from './sealed-files';
import { unwrapChecked, wrapChecked } from './slot-check';
import { VAULT_FILE, encodeDocument, slotInfos, type VaultDocument } from './vault-document';
import {
  conflict,
  loadDocument,
  pathExists,
  readVaultFile,
  settingsFrom,
  storedKind,
  type Loaded,
  type Settings,
  type VaultOptions,
} from './vault-file';
import { assertHeldLocks, holdsLock, namedLockPath, withCrossProcessLock } from './vault-lock';
import { VaultSnapshot, VaultTx } from './vault-view';
import {
  SLOT_KINDS,
  type KeySlot,
  type SlotKind,
  type VaultReader,
  type VaultSlotInfo,
  type VaultTransaction,
  type WrappedKey,
} from './types';

export type { VaultOptions } from './vault-file';

/**
 * The vault: one envelope-encrypted, durably written file per data folder.
 *
 * A random 256-bit data key seals every secret record (AES-256-GCM); key slots wrap that data key
 * (a passphrase here, the OS keychain in the app). Every write is a read-modify-write under an
 * in-process queue and a cross-process lock file (`vault.json.lock`), re-reading the file first,
 * so the app and the CLI never lose each other's changes. Named locks (`locks/<name>.lock`) let
 * callers hold a lock across slow work such as a network refresh.
 *
 * Nothing here deletes or replaces a file it cannot read: a corrupt file is reported as
 * `vault_corrupt` and kept byte for byte, and a migration keeps the old bytes as a backup.
 */
export class Vault {
  readonly dir: string;
  readonly path: string;
  private readonly lockPath: string;
  private readonly settings: Settings;
  private readonly dataKey: Buffer;
  private unlockSlot: KeySlot;
  private current: { raw: Buffer; doc: VaultDocument; snapshot: VaultSnapshot };
  private swept = false;
  /** True while `open` migrates an older file: the one time an unsealed file is read. */
  private migrating = false;

  private constructor(
    dir: string,
    settings: Settings,
    dataKey: Buffer,
    slot: KeySlot,
    raw: Buffer,
    doc: VaultDocument,
  ) {
    this.dir = dir;
    this.path = join(dir, VAULT_FILE);
    this.lockPath = `${this.path}.lock`;
    this.settings = settings;
    this.dataKey = dataKey;
    this.unlockSlot = slot;
    this.current = { raw, doc, snapshot: new VaultSnapshot(doc, dataKey, settings.logger) };
  }

  /**
   * Creates a new vault in `dir` (made 0700), unlocked by `slot`.
   *
   * Throws `conflict` if any file at all exists at the vault path, even a corrupt one.
   */
  static async create(dir: string, slot: KeySlot, options: VaultOptions = {}): Promise<Vault> {
    const settings = settingsFrom(options);
    const kind = storedKind(slot);
    const absDir = resolve(dir);
    const path = join(absDir, VAULT_FILE);
    await ensurePrivateDir(absDir);
    if (await pathExists(path)) throw conflict(path);
    const dataKey = generateDataKey();
    const wrapped = await wrapChecked(slot, dataKey);
    const vaultId = generateVaultId();
    const doc: VaultDocument = {
      version: settings.currentVersion,
      vaultId,
      revision: 1,
      keyCheck: keyCheckValue(dataKey, vaultId, settings.currentVersion),
      slots: [{ kind, createdAt: Date.now(), wrapped }],
      collections: new Map(),
      secrets: new Map(),
      extra: new Map(),
    };
    sealWrite(dataKey, doc);
    const raw = encodeDocument(doc);
    await withCrossProcessLock(`${path}.lock`, settings, settings.lockTimeoutMs, async () => {
      if (await pathExists(path)) throw conflict(path);
      await writeFileExclusive(path, raw);
    });
    settings.logger.info('vault: created', { path, slot: slot.kind });
    return new Vault(absDir, settings, dataKey, slot, raw, doc);
  }

  /**
   * Opens and unlocks the vault in `dir` with the stored slot of `slot.kind`.
   *
   * An older file is migrated (its bytes kept as `vault.v<N>.bak`) once it has been unlocked; a
   * file newer than this code is refused with `vault_unsupported_version` and left untouched.
   * Its readable metadata is checked against its seal (SECURITY 49); a version 1 file, written
   * before the seal existed, is trusted this once and sealed by the migration.
   * Errors: `vault_missing`, `vault_corrupt` (details.path), `vault_slot_unavailable`,
   * `vault_wrong_passphrase`, `vault_slot_failed`, `vault_unsupported_version`, `vault_tampered`.
   */
  static async open(dir: string, slot: KeySlot, options: VaultOptions = {}): Promise<Vault> {
    const settings = settingsFrom(options);
    const absDir = resolve(dir);
    const path = join(absDir, VAULT_FILE);
    const raw = await readVaultFile(path, settings.logger);
    const loaded = loadDocument(raw, path, settings);
    const stored = loaded.doc.slots.find((entry) => entry.kind === slot.kind);
    if (!stored) {
      throw new TokendeckError(
        'vault_slot_unavailable',
        `This vault has no ${slot.kind} key slot.`,
        {
          details: {
            path,
            kind: slot.kind,
            available: loaded.doc.slots.map((entry) => entry.kind).join(','),
          },
        },
      );
    }
    const vault = await Vault.unlockWith(absDir, settings, slot, stored.wrapped, raw, loaded);
    settings.logger.info('vault: opened', { path, slot: slot.kind });
    return vault;
  }

  /**
   * The one way a loaded file becomes an open vault, by a stored slot or a session: the key is
   * proved by the key check of the file's own format, the sealed metadata is checked before
   * anything reads it (SECURITY 49), and an older format is migrated and sealed at once.
   */
  private static async unlockWith(
    absDir: string,
    settings: Settings,
    slot: KeySlot,
    wrapped: WrappedKey,
    raw: Buffer,
    loaded: Loaded,
  ): Promise<Vault> {
    const path = join(absDir, VAULT_FILE);
    const dataKey = await unwrapChecked(
      slot,
      wrapped,
      loaded.doc,
      path,
      settings.logger,
      loaded.migratedFrom ?? loaded.doc.version,
    );
    if (loaded.migratedFrom === null && sealed(loaded.doc.version)) {
      checkMetadata(dataKey, loaded.doc, path);
    }
    const vault = new Vault(absDir, settings, dataKey, slot, raw, loaded.doc);
    if (loaded.migratedFrom !== null) {
      vault.migrating = true;
      try {
        await vault.mutate(() => undefined);
      } finally {
        vault.migrating = false;
      }
    }
    return vault;
  }

  /**
   * Opens the vault with a data key that `slot` wrapped outside the vault (a CLI session).
   *
   * The key is proved to be this vault's by the stored key check, as for a stored slot.
   */
  static async openWrapped(
    dir: string,
    slot: KeySlot,
    wrapped: WrappedKey,
    options: VaultOptions = {},
  ): Promise<Vault> {
    const settings = settingsFrom(options);
    const absDir = resolve(dir);
    const path = join(absDir, VAULT_FILE);
    const raw = await readVaultFile(path, settings.logger);
    return Vault.unlockWith(
      absDir,
      settings,
      slot,
      wrapped,
      raw,
      loadDocument(raw, path, settings),
    );
  }

  /** This vault's id: a session made for it names it. */
  get vaultId(): string {
    return this.current.doc.vaultId;
  }

  /** Wraps the data key with `slot` without storing it (a CLI session keeps it in its own file). */
  wrapKey(slot: KeySlot): Promise<WrappedKey> {
    return wrapChecked(slot, this.dataKey);
  }

  /**
   * A consistent snapshot of the vault as it is on disk now.
   *
   * Cheap: the file is re-parsed only when its bytes changed since the last read or write (for
   * example, another process wrote).
   */
  async read(): Promise<VaultReader> {
    const raw = await readVaultFile(this.path, this.settings.logger);
    if (raw.equals(this.current.raw)) return this.current.snapshot;
    const loaded = loadDocument(raw, this.path, this.settings);
    this.verify(loaded);
    return this.remember(raw, loaded.doc);
  }

  /**
   * Runs `fn` as one read-modify-write of the vault.
   *
   * Queues behind other updates of this vault in this process, takes the cross-process lock,
   * re-reads the file, runs `fn`, and writes atomically and durably only if something changed.
   * If `fn` throws, nothing is written and the error propagates. Calling `update` from inside
   * `fn` is refused with `invalid_input` rather than deadlocking.
   */
  update<T>(fn: (tx: VaultTransaction) => T | Promise<T>): Promise<T> {
    return this.mutate((tx) => fn(tx));
  }

  /**
   * Runs `fn` while holding the named cross-process lock `<dir>/locks/<name>.lock`.
   *
   * Separate from the vault file's own lock, so `update` may be called inside. Waits up to
   * `timeoutMs` (default: the vault's lock timeout), then throws `vault_lock_timeout`. The lock
   * is refreshed while held, and recovered by others if this process dies. Nesting different
   * names is fine; nesting the same name is refused with `invalid_input`.
   */
  async withLock<T>(
    name: string,
    fn: () => Promise<T>,
    options: { timeoutMs?: number } = {},
  ): Promise<T> {
    return withCrossProcessLock(
      namedLockPath(this.dir, name),
      this.settings,
      options.timeoutMs ?? this.settings.lockTimeoutMs,
      fn,
    );
  }

  /**
   * Secret text kept in a sealed file beside the vault, off the vault file's path (see
   * sealed-files.ts). `name` is a path inside the data folder, such as `history/<id>.json`.
   */
  async writeSealed(name: string, recordId: string, plaintext: string): Promise<void> {
    await writeSealedFile(this.sidePath(name), this.sealKey(), recordId, plaintext);
  }

  /** The text of a sealed file beside the vault; undefined when there is none. */
  async readSealed(name: string, recordId: string): Promise<string | undefined> {
    return readSealedFile(this.sidePath(name), this.sealKey(), recordId);
  }

  async removeSealed(name: string): Promise<void> {
    await removeSealedFile(this.sidePath(name));
  }

  private sealKey(): { dataKey: Buffer; vaultId: string } {
    return { dataKey: this.dataKey, vaultId: this.current.doc.vaultId };
  }

  private sidePath(name: string): string {
    if (!SIDE_FILE.test(name)) {
      throw new TokendeckError('invalid_input', 'A sealed file name must stay in the data folder.');
    }
    return join(this.dir, name);
  }

  /** The key slots stored in the vault, as last read or written. */
  slots(): VaultSlotInfo[] {
    return slotInfos(this.current.doc.slots);
  }

  /**
   * Wraps the same data key with `slot` and stores it, replacing any slot of that kind.
   *
   * The new wrap is checked by unwrapping it before anything is written.
   */
  async addSlot(slot: KeySlot): Promise<void> {
    const kind = storedKind(slot);
    const wrapped = await wrapChecked(slot, this.dataKey);
    await this.mutate((tx, doc) => {
      const entry = { kind, createdAt: Date.now(), wrapped };
      const index = doc.slots.findIndex((stored) => stored.kind === slot.kind);
      if (index >= 0) doc.slots[index] = entry;
      else doc.slots.push(entry);
      tx.markDirty();
    });
    if (slot.kind === this.unlockSlot.kind) this.unlockSlot = slot;
    this.settings.logger.info('vault: key slot added', { path: this.path, kind: slot.kind });
  }

  /** Removes the slot of `kind`. Refuses to remove the last one (`invalid_input`). */
  async removeSlot(kind: SlotKind): Promise<void> {
    if (!(SLOT_KINDS as readonly string[]).includes(kind)) {
      throw new TokendeckError('invalid_input', 'Unknown key slot kind.', { details: { kind } });
    }
    await this.mutate((tx, doc) => {
      const index = doc.slots.findIndex((stored) => stored.kind === kind);
      if (index < 0) {
        throw new TokendeckError('not_found', `This vault has no ${kind} key slot.`, {
          details: { kind },
        });
      }
      if (doc.slots.length === 1) {
        throw new TokendeckError(
          'invalid_input',
          'The last key slot cannot be removed; the vault could never be opened again.',
          { details: { kind } },
        );
      }
      doc.slots.splice(index, 1);
      tx.markDirty();
    });
    this.settings.logger.info('vault: key slot removed', { path: this.path, kind });
  }

  /**
   * Wraps the data key again if the unlocking slot asks for it (safeStorage `shouldReEncrypt`).
   *
   * Returns true when a new wrap was persisted.
   */
  async rewrapIfNeeded(): Promise<boolean> {
    const slot = this.unlockSlot;
    const wants = slot.shouldRewrap?.bind(slot);
    if (!wants) return false;
    await this.read();
    const stored = this.current.doc.slots.find((entry) => entry.kind === slot.kind);
    if (!stored || !wants(stored.wrapped)) return false;
    const wrapped = await wrapChecked(slot, this.dataKey);
    const replaced = await this.mutate((tx, doc) => {
      const index = doc.slots.findIndex((entry) => entry.kind === slot.kind);
      if (index < 0 || !wants(doc.slots[index].wrapped)) return false;
      doc.slots[index] = { ...doc.slots[index], wrapped };
      tx.markDirty();
      return true;
    });
    if (replaced) {
      this.settings.logger.info('vault: key slot re-wrapped', { path: this.path, kind: slot.kind });
    }
    return replaced;
  }

  /** The one read-modify-write path: updates, slot changes and migrations all go through here. */
  private async mutate<T>(fn: (tx: VaultTx, doc: VaultDocument) => T | Promise<T>): Promise<T> {
    if (holdsLock(this.lockPath)) {
      throw new TokendeckError(
        'invalid_input',
        'vault.update() cannot be called inside another update of the same vault.',
      );
    }
    return withCrossProcessLock(this.lockPath, this.settings, Infinity, async () => {
      await this.sweepTempFiles();
      const raw = await readVaultFile(this.path, this.settings.logger);
      const loaded = loadDocument(raw, this.path, this.settings);
      this.verify(loaded);
      const { doc, migratedFrom } = loaded;
      const tx = new VaultTx(doc, this.dataKey, this.settings.logger);
      let result: T;
      try {
        result = await fn(tx, doc);
      } finally {
        tx.close();
      }
      if (!tx.dirty && migratedFrom === null) {
        this.remember(raw, doc);
        return result;
      }
      if (migratedFrom !== null) {
        const backup = await writeBackup(this.path, migratedFrom, raw, this.settings.logger);
        this.settings.logger.info('vault: migrated', {
          path: this.path,
          from: migratedFrom,
          to: doc.version,
          backup,
        });
      }
      doc.revision += 1;
      sealWrite(this.dataKey, doc);
      const next = encodeDocument(doc);
      // Fencing (SECURITY 44): the file lock, and any named lock the caller holds (a renewal's),
      // must still be ours when the new file takes the old one's place.
      await writeFileAtomic(this.path, next, { beforeRename: assertHeldLocks });
      this.remember(next, doc);
      return result;
    });
  }

  private remember(raw: Buffer, doc: VaultDocument): VaultSnapshot {
    const snapshot = new VaultSnapshot(doc, this.dataKey, this.settings.logger);
    this.current = { raw, doc, snapshot };
    return snapshot;
  }

  /**
   * Checks a file this process did not write: the same vault, and metadata as it was sealed
   * (SECURITY 49). A file of an older format appearing after the vault was opened is refused:
   * only the opening migration may read one.
   */
  private verify(loaded: Loaded): void {
    const { doc, migratedFrom } = loaded;
    this.checkSameVault(doc, migratedFrom ?? doc.version);
    if (migratedFrom !== null) {
      if (this.migrating || !sealed(this.settings.currentVersion)) return;
      throw new TokendeckError(
        'vault_tampered',
        `The vault file ${this.path} was replaced by a file of an older format (${migratedFrom}) while it was open. Nothing was sent anywhere. Undo the change or restore a backup of the file.`,
        { details: { path: this.path, changed: 'its format version was lowered' } },
      );
    }
    if (sealed(doc.version)) checkMetadata(this.dataKey, doc, this.path);
  }

  /** Refuses to go on when the file at our path is now a different vault. */
  private checkSameVault(doc: VaultDocument, fileVersion: number): void {
    const ours = this.current.doc;
    const check = keyCheckValue(this.dataKey, doc.vaultId, fileVersion);
    if (doc.vaultId !== ours.vaultId || doc.keyCheck !== check) {
      this.settings.logger.error('vault: the vault file was replaced by another vault', {
        path: this.path,
      });
      throw new TokendeckError(
        'conflict',
        `The vault file ${this.path} was replaced by a different vault. Open it again.`,
        { details: { path: this.path } },
      );
    }
  }

  /** Once per Vault, under the file lock: removes what writers killed mid-step left behind. */
  private async sweepTempFiles(): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    await sweepLeftovers(this.dir, this.path, this.settings.logger);
  }
}

/** A file, or a file in one folder, inside the data folder: no `..`, no absolute path. */
const SIDE_FILE =
  /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*(\/[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*)?$/;

/** True for the formats whose metadata is sealed (2 on). */
function sealed(version: number): boolean {
  return version >= 2;
}

/** Before a write: the key check for the document's format, and the seal over its metadata. */
function sealWrite(dataKey: Buffer, doc: VaultDocument): void {
  doc.keyCheck = keyCheckValue(dataKey, doc.vaultId, doc.version);
  if (sealed(doc.version)) doc.integrity = sealMetadata(dataKey, doc);
}

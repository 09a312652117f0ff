import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { VaultStatus } from '../api';
import { TokendeckError, isTokendeckError } from '../errors';
import type { Logger } from '../log';
import type { Clock, KeychainPort } from '../ports';
import { watchDataFolder } from './data-folder-watcher';
import { assertNewPassphrase, createPassphraseSlot, isShortPassphrase } from './passphrase-slot';
import { probeVault } from './probe';
import type { KeySlot } from './types';
import { Vault, type VaultOptions } from './vault';
import { VAULT_FILE } from './vault-document';

/** Opens the vault by other means than a stored slot: a CLI session's key. */
export type VaultOpener = (dataDir: string, options: VaultOptions) => Promise<Vault>;

export interface VaultSessionOptions {
  dataDir: string;
  /** Opens the vault with this instead of a slot (a CLI session); its errors propagate. */
  opener?: VaultOpener;
  /** Unlocks (or creates) the vault with the passphrase slot: the CLI and headless machines. */
  passphrase?: string;
  /** The desktop app's OS keychain. */
  keychain?: KeychainPort;
  logger: Logger;
  clock: Clock;
  /** scrypt cost for new passphrase slots; tests lower it. */
  scryptN?: number;
  /** Follow the vault file for changes made by other processes (the app). */
  watch: boolean;
  /** Builds what runs on an open vault; called before the status says `unlocked`. */
  onUnlock(vault: Vault): Promise<void>;
  /** Another process changed the vault file (only when watching). */
  onDiskChange(): void;
  /** The status changed. */
  onStatus(status: VaultStatus): void;
}

/**
 * The vault as this process holds it: locked, unlocked, in recovery, or waiting for setup.
 *
 * It unlocks with whatever this process can unlock with (a passphrase, the OS keychain), says in
 * plain words why it cannot, manages the key slots, starts over on request without ever deleting
 * the old file, and follows changes other processes make to the data folder.
 */
export class VaultSession {
  private readonly options: VaultSessionOptions;
  private vault: Vault | null = null;
  private current: VaultStatus;
  private stopWatching: (() => void) | null = null;

  constructor(options: VaultSessionOptions) {
    this.options = options;
    this.current = { state: 'locked', path: join(options.dataDir, VAULT_FILE), slots: [] };
  }

  status(): VaultStatus {
    return this.current;
  }

  /** The open vault, or `vault_locked` with what to do about it. */
  require(): Vault {
    if (this.vault) return this.vault;
    throw this.lockedError();
  }

  lockedError(): TokendeckError {
    const message =
      this.current.state === 'recovery'
        ? (this.current.problem ?? 'The vault needs recovery.')
        : this.current.state === 'needs-setup'
          ? 'Set up the vault first: choose a passphrase, or allow the insecure OS keychain.'
          : 'The vault is locked. Unlock it with your passphrase.';
    return new TokendeckError('vault_locked', message, { details: { state: this.current.state } });
  }

  /** Opens the vault with whatever this process can unlock it with, or records why not. */
  async init(): Promise<void> {
    const { dataDir, keychain: port, passphrase } = this.options;
    const probe = await probeVault(dataDir);
    const keychain = port?.status();
    const keychainWarning = keychain && !keychain.secure ? keychain.warning : undefined;
    this.current = {
      state: 'locked',
      path: probe.path,
      slots: probe.slots.map((slot) => slot.kind),
      ...(keychainWarning ? { keychainWarning } : {}),
      ...(keychain ? { keychainAvailable: keychain.available } : {}),
    };
    if (probe.corrupt) {
      const unreadable = probe.problem?.startsWith('cannot be read') ?? false;
      this.setRecovery(
        unreadable ? 'unreadable' : 'corrupt',
        `The vault file ${probe.path} ${probe.problem ?? 'cannot be read'}. It has been kept unchanged; ${
          unreadable ? 'fix its permissions, or move it aside' : 'restore a backup or move it aside'
        }.`,
      );
      return;
    }
    if (this.options.opener) {
      await this.unlock(await this.options.opener(dataDir, { logger: this.options.logger }));
      return;
    }
    try {
      if (passphrase !== undefined) {
        if (!probe.exists) {
          assertNewPassphrase(passphrase);
          await this.unlock(await this.create(this.passphraseSlot(passphrase)));
        } else {
          await this.unlockByPassphrase(
            await this.open(this.passphraseSlot(passphrase)),
            passphrase,
          );
        }
        return;
      }
      if (!port) return;
      if (!probe.exists) {
        if (keychain?.secure)
          await this.unlock(await this.create(port.slot({ allowInsecure: false })));
        else this.current = { ...this.current, state: 'needs-setup' };
        return;
      }
      if (!probe.slots.some((slot) => slot.kind === 'os-keychain')) return;
      const vault = await this.open(port.slot({ allowInsecure: !keychain?.secure }));
      await vault.rewrapIfNeeded();
      await this.unlock(vault);
    } catch (error) {
      if (passphrase !== undefined) throw error;
      this.options.logger.warn('vault could not be unlocked', { error });
      if (isTokendeckError(error) && error.code === 'vault_slot_failed') {
        this.setRecovery(
          'keychain-changed',
          'The OS keychain could not unlock the vault (its key may have changed). Your data is kept: unlock with your command-line passphrase, or start over with a new vault.',
        );
      } else {
        const code = isTokendeckError(error) ? error.code : 'internal';
        this.setRecovery(
          code === 'vault_corrupt'
            ? 'corrupt'
            : code === 'vault_tampered'
              ? 'tampered'
              : 'unreadable',
          isTokendeckError(error)
            ? error.message
            : 'The vault could not be opened. Your data is kept.',
        );
      }
    }
  }

  /** Sets or changes the passphrase slot; a new passphrase needs at least 8 characters. */
  async setPassphrase(passphrase: string): Promise<VaultStatus> {
    assertNewPassphrase(passphrase);
    const slot = this.passphraseSlot(passphrase);
    if (this.current.state === 'needs-setup') {
      await this.unlock(await this.create(slot));
      return this.current;
    }
    await this.require().addSlot(slot);
    const { passphraseTooShort: _short, ...rest } = this.current;
    this.current = rest;
    this.slotsChanged(true);
    return this.current;
  }

  async removePassphrase(): Promise<VaultStatus> {
    await this.require().removeSlot('passphrase');
    this.slotsChanged(true);
    return this.current;
  }

  async unlockWithPassphrase(passphrase: string): Promise<VaultStatus> {
    if (this.vault) return this.current;
    const vault = await this.open(this.passphraseSlot(passphrase));
    await this.unlockByPassphrase(vault, passphrase);
    // A keychain whose key changed is repaired by wrapping the data key for it again.
    const keychain = this.options.keychain;
    if (keychain?.status().secure) {
      await vault.addSlot(keychain.slot({ allowInsecure: false }));
      this.slotsChanged(false);
    }
    return this.current;
  }

  async allowInsecureKeychain(): Promise<VaultStatus> {
    const keychain = this.options.keychain;
    if (!keychain) throw new TokendeckError('unsupported', 'There is no OS keychain here.');
    const slot = keychain.slot({ allowInsecure: true });
    this.options.logger.warn('user opted in to the insecure OS keychain backend');
    if (this.current.state === 'needs-setup') {
      await this.unlock(await this.create(slot));
    } else {
      await this.require().addSlot(slot);
      this.slotsChanged(false);
    }
    return this.current;
  }

  /**
   * Starts over when the keychain key changed or the passphrase is lost: the old file is moved
   * aside, never deleted. A corrupt or unreadable file is never reset (SECURITY 27).
   *
   * The moved file keeps every ciphertext, so a passphrase or keychain found later can still
   * open it (move it back, or point `--data-dir` at a copy).
   */
  async reset(): Promise<VaultStatus> {
    if (this.vault) {
      throw new TokendeckError('conflict', 'The vault is unlocked; there is nothing to reset.');
    }
    const { path } = this.current;
    if (this.current.state === 'recovery' && this.current.recovery !== 'keychain-changed') {
      throw new TokendeckError(
        'conflict',
        `A damaged vault is never reset. It is kept at ${path}; move it aside by hand to start over.`,
      );
    }
    let setAside: string | undefined;
    if (existsSync(path)) {
      const stamp = new Date(this.options.clock.now()).toISOString().replace(/[:.]/g, '-');
      setAside = `${path}.set-aside-${stamp}`;
      for (let n = 2; existsSync(setAside); n++) setAside = `${path}.set-aside-${stamp}-${n}`;
      renameSync(path, setAside);
      this.options.logger.warn('vault reset by the user; the previous file was moved aside', {
        setAside,
      });
    }
    await this.init();
    this.setStatus({ ...this.current, ...(setAside ? { setAside } : {}) });
    return this.current;
  }

  close(): void {
    this.stopWatching?.();
    this.stopWatching = null;
  }

  /**
   * Unlocks with a vault the passphrase opened: a slot stored at a lower scrypt cost is wrapped
   * again at today's, and a passphrase shorter than the minimum is flagged so that the user is
   * asked to change it (it still unlocks).
   */
  private async unlockByPassphrase(vault: Vault, passphrase: string): Promise<void> {
    if (await vault.rewrapIfNeeded()) {
      this.options.logger.info('vault: passphrase slot re-wrapped at the current scrypt cost');
    }
    if (isShortPassphrase(passphrase)) this.current = { ...this.current, passphraseTooShort: true };
    await this.unlock(vault);
  }

  private async unlock(vault: Vault): Promise<void> {
    this.vault = vault;
    await this.options.onUnlock(vault);
    if (this.options.watch) {
      this.stopWatching = watchDataFolder(
        this.options.dataDir,
        () => this.options.onDiskChange(),
        this.options.logger,
      );
    }
    const { problem: _problem, recovery: _recovery, ...rest } = this.current;
    this.setStatus({ ...rest, state: 'unlocked', slots: vault.slots().map((slot) => slot.kind) });
  }

  private slotsChanged(announce: boolean): void {
    const slots = this.require()
      .slots()
      .map((slot) => slot.kind);
    if (announce) this.setStatus({ ...this.current, slots });
    else this.current = { ...this.current, slots };
  }

  private setRecovery(recovery: NonNullable<VaultStatus['recovery']>, problem: string): void {
    this.setStatus({ ...this.current, state: 'recovery', recovery, problem });
  }

  private setStatus(status: VaultStatus): void {
    this.current = status;
    this.options.onStatus(status);
  }

  private passphraseSlot(passphrase: string): KeySlot {
    const { scryptN } = this.options;
    return createPassphraseSlot(passphrase, scryptN ? { N: scryptN } : {});
  }

  private open(slot: KeySlot): Promise<Vault> {
    return Vault.open(this.options.dataDir, slot, { logger: this.options.logger });
  }

  private create(slot: KeySlot): Promise<Vault> {
    return Vault.create(this.options.dataDir, slot, { logger: this.options.logger });
  }
}

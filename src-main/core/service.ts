import { existsSync, mkdirSync, renameSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type {
  AppInfo,
  ContractEvent,
  CopyResult,
  CopyTokenArgs,
  ContractEvents,
  FlowProgress,
  PresetSummary,
  ProviderSummary,
  SaveProviderArgs,
  VaultStatus,
} from '../../src-preload/contract';
import {
  RequestRunner,
  createVaultHistoryStore,
  toCurl,
  type ConsoleContext,
  type RequestSpec,
} from './console';
import { createClipboardGuard, type ClipboardGuard } from './clipboard-guard';
import { copiesSecret, copyText } from './copy-formats';
import { TokendeckError, assertNever, isTokendeckError } from './errors';
import {
  apiKeyTokens,
  authorizationCodeFlow,
  clientCredentialsFlow,
  identifyAccount,
  renewTokens,
  resolveProvider,
  revokeToken,
  type FlowResult,
  type ResolvedProvider,
} from './flows';
import { TokenManager, createVaultLifecycleStore, type FreshToken } from './lifecycle';
import { createLogger, registerSecret, type Logger } from './log';
import type { AccountSummary, StoredAccount, TokenInspection } from './model';
import type { BrowserOpener, Clipboard, Clock, PowerEvents } from './ports';
import { systemClock } from './ports';
import {
  PRESETS,
  presetNeeds,
  discover,
  previewDiscovery,
  profileIssues,
  type DiscoveryPreview,
  type ProfileIssue,
  findPlaceholders,
  getPreset,
  profileFromPreset,
  registerClient,
  validateProfile,
  type ProviderProfile,
} from './providers';
import {
  ACCOUNTS,
  PROVIDERS,
  accountIdFor,
  clientSecretRecord,
  historyRecord,
  listAccounts,
  listProviders,
  putAccount,
  putProvider,
  readAccount,
  readProvider,
  readTokens,
  registrationTokenRecord,
  tokensRecord,
  writeTokens,
  type StoredProvider,
} from './records';
import type { ServiceCalls, ServiceEventSource } from './service-api';
import { SettingsFile, type Settings, type SettingsPatch } from './settings';
import { inspectToken } from './token-inspect';
import { Vault, createPassphraseSlot, probeVault, type JsonValue, type KeySlot } from './vault';

/**
 * The one object that the IPC handlers, the CLI and the end-to-end harness call.
 *
 * It owns the vault, the token lifecycle and the request console, and turns each contract call
 * into engine steps. It never hands a raw token out except through {@link revealToken},
 * {@link copyToken} (to the clipboard) and {@link getFreshToken} (the CLI's `token` command).
 */

/** What the desktop adapter says about the OS keychain (safeStorage). */
export interface KeychainStatus {
  available: boolean;
  /** False on Linux `basic_text` (a hard-coded password) or when unavailable. */
  secure: boolean;
  backend: string | null;
  warning?: string;
}

/** The OS keychain, as the Electron adapter provides it. */
export interface KeychainPort {
  status(): KeychainStatus;
  /** A slot over the keychain; `allowInsecure` is the user's explicit opt-in on basic_text. */
  slot(options: { allowInsecure: boolean }): KeySlot;
}

export interface ServiceOptions {
  dataDir: string;
  /** Unlocks (or creates) the vault with the passphrase slot: the CLI and headless machines. */
  passphrase?: string;
  /** The desktop app's OS keychain. */
  keychain?: KeychainPort;
  browser: BrowserOpener;
  clipboard: Clipboard;
  power?: PowerEvents;
  logger?: Logger;
  clock?: Clock;
  /** Background renewal timers (the app). The CLI renews on demand only. Default true. */
  schedule?: boolean;
  appVersion?: string;
  /** scrypt cost for new passphrase slots; tests lower it. */
  scryptN?: number;
  /** How long the browser step of a flow may take (default 5 minutes). */
  flowTimeoutMs?: number;
}

export type TokendeckService = ServiceCalls &
  ServiceEventSource & {
    readonly dataDir: string;
    /** The one way to get a token (DESIGN.md § Token lifecycle); for the CLI's `token`. */
    getFreshToken(accountId: string, options?: { minTtlMs?: number }): Promise<FreshToken>;
    /** Resolves an account by id, label, or a provider with exactly one account. */
    findAccount(reference: string): Promise<StoredAccount>;
    close(): Promise<void>;
  };

type Listener<E extends ContractEvent> = (payload: ContractEvents[E]) => void;

const CONSOLE_MIN_TTL_MS = 10_000;

export async function createService(options: ServiceOptions): Promise<TokendeckService> {
  const service = new Service(options);
  await service.init();
  return service;
}

class Service implements TokendeckService {
  readonly dataDir: string;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly listeners = new Map<ContractEvent, Set<Listener<ContractEvent>>>();
  private readonly pendingConnects = new Map<string, AbortController>();
  /** The authorization URL of each flow waiting for the browser, for "Copy link". */
  private readonly pendingLinks = new Map<string, string>();
  private vault: Vault | null = null;
  private manager: TokenManager | null = null;
  private runner: RequestRunner | null = null;
  private vaultStatus: VaultStatus;
  private stopStatus: (() => void) | null = null;
  private watcher: FSWatcher | null = null;
  private syncTimer: NodeJS.Timeout | null = null;
  /** The last summary pushed per account, so a disk change pushes only what changed. */
  private readonly pushed = new Map<string, string>();
  private readonly clipboard: ClipboardGuard;
  private readonly settings: SettingsFile;

  constructor(private readonly options: ServiceOptions) {
    this.dataDir = options.dataDir;
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    this.logger =
      options.logger ?? createLogger({ file: join(this.dataDir, 'logs', 'tokendeck.log') });
    this.clock = options.clock ?? systemClock;
    this.clipboard = createClipboardGuard(options.clipboard, {
      onError: (error) => this.logger.warn('could not clear the clipboard', { error }),
    });
    this.settings = new SettingsFile(this.dataDir, this.logger, () => this.clock.now());
    this.vaultStatus = { state: 'locked', path: join(this.dataDir, 'vault.json'), slots: [] };
  }

  // ---------------------------------------------------------------- vault and start-up

  /** Opens the vault with whatever this process can unlock it with, or records why not. */
  async init(): Promise<void> {
    const probe = await probeVault(this.dataDir);
    const keychain = this.options.keychain?.status();
    const keychainWarning = keychain && !keychain.secure ? keychain.warning : undefined;
    this.vaultStatus = {
      state: 'locked',
      path: probe.path,
      slots: probe.slots.map((slot) => slot.kind),
      ...(keychainWarning ? { keychainWarning } : {}),
      ...(keychain ? { keychainAvailable: keychain.available } : {}),
    };
    if (probe.corrupt) {
      this.setRecovery(
        'corrupt',
        `The vault file ${probe.path} cannot be read. It has been kept unchanged; restore a backup or move it aside.`,
      );
      return;
    }
    try {
      if (this.options.passphrase !== undefined) {
        const slot = createPassphraseSlot(this.options.passphrase, this.scryptOptions());
        await this.unlock(
          probe.exists
            ? await Vault.open(this.dataDir, slot, { logger: this.logger })
            : await Vault.create(this.dataDir, slot, { logger: this.logger }),
        );
        return;
      }
      if (!this.options.keychain) return;
      if (!probe.exists) {
        if (keychain?.secure) {
          const slot = this.options.keychain.slot({ allowInsecure: false });
          await this.unlock(await Vault.create(this.dataDir, slot, { logger: this.logger }));
        } else {
          this.vaultStatus = { ...this.vaultStatus, state: 'needs-setup' };
        }
        return;
      }
      if (!probe.slots.some((slot) => slot.kind === 'os-keychain')) return;
      const slot = this.options.keychain.slot({ allowInsecure: !keychain?.secure });
      const vault = await Vault.open(this.dataDir, slot, { logger: this.logger });
      await vault.rewrapIfNeeded();
      await this.unlock(vault);
    } catch (error) {
      if (this.options.passphrase !== undefined) throw error;
      this.logger.warn('vault could not be unlocked', { error });
      if (isTokendeckError(error) && error.code === 'vault_slot_failed') {
        this.setRecovery(
          'keychain-changed',
          'The OS keychain could not unlock the vault (its key may have changed). Your data is kept: unlock with your command-line passphrase, or start over with a new vault.',
        );
      } else {
        this.setRecovery(
          isTokendeckError(error) && error.code === 'vault_corrupt' ? 'corrupt' : 'unreadable',
          isTokendeckError(error)
            ? error.message
            : 'The vault could not be opened. Your data is kept.',
        );
      }
    }
  }

  private scryptOptions(): { N?: number } {
    return this.options.scryptN ? { N: this.options.scryptN } : {};
  }

  private setRecovery(recovery: NonNullable<VaultStatus['recovery']>, problem: string): void {
    this.vaultStatus = { ...this.vaultStatus, state: 'recovery', recovery, problem };
    this.emit('vaultStatusChanged', this.vaultStatus);
  }

  private async unlock(vault: Vault): Promise<void> {
    this.vault = vault;
    const manager = new TokenManager({
      store: createVaultLifecycleStore(vault),
      renew: (account, tokens, signal) => this.renew(account, tokens, signal),
      clock: this.clock,
      logger: this.logger,
      schedule: this.options.schedule ?? true,
      ...(this.options.power ? { power: this.options.power } : {}),
    });
    this.manager = manager;
    this.stopStatus = manager.onStatus((accountId) => {
      void this.emitAccount(accountId);
    });
    this.runner = new RequestRunner({
      tokens: manager,
      context: (accountId) => this.consoleContext(accountId),
      history: createVaultHistoryStore(vault),
      logger: this.logger,
      cacheDir: join(this.dataDir, 'cache'),
    });
    await manager.start();
    if (this.options.schedule ?? true) this.watchVault();
    const { problem: _problem, recovery: _recovery, ...rest } = this.vaultStatus;
    this.vaultStatus = {
      ...rest,
      state: 'unlocked',
      slots: vault.slots().map((slot) => slot.kind),
    };
    this.emit('vaultStatusChanged', this.vaultStatus);
  }

  private unlocked(): { vault: Vault; manager: TokenManager; runner: RequestRunner } {
    if (!this.vault || !this.manager || !this.runner) {
      const message =
        this.vaultStatus.state === 'recovery'
          ? (this.vaultStatus.problem ?? 'The vault needs recovery.')
          : this.vaultStatus.state === 'needs-setup'
            ? 'Set up the vault first: choose a passphrase, or allow the insecure OS keychain.'
            : 'The vault is locked. Unlock it with your passphrase.';
      throw new TokendeckError('vault_locked', message);
    }
    return { vault: this.vault, manager: this.manager, runner: this.runner };
  }

  async close(): Promise<void> {
    for (const controller of this.pendingConnects.values()) controller.abort();
    await this.clipboard.dispose();
    this.stopStatus?.();
    this.watcher?.close();
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.manager?.stop();
    this.listeners.clear();
  }

  /**
   * Follows changes that another process (the CLI) makes to the vault while the app runs.
   *
   * New accounts get their renewal timers, removed ones lose them, and the UI is told about
   * every account whose summary changed. Changes are coalesced over a short quiet period.
   */
  private watchVault(): void {
    try {
      this.watcher = watch(this.dataDir, (_event, filename) => {
        if (filename !== 'vault.json') return;
        if (this.syncTimer) clearTimeout(this.syncTimer);
        this.syncTimer = setTimeout(() => void this.syncFromDisk(), 250);
        this.syncTimer.unref();
      });
      this.watcher.on('error', (error) => this.logger.warn('vault watch stopped', { error }));
    } catch (error) {
      this.logger.warn('cannot watch the data folder; changes from the CLI show after restart', {
        error,
      });
    }
  }

  private async syncFromDisk(): Promise<void> {
    try {
      const { vault, manager } = this.unlocked();
      await manager.recheckAll();
      const view = await vault.read();
      const providers = listProviders(view);
      const present = new Set<string>();
      for (const account of listAccounts(view)) {
        present.add(account.id);
        this.pushSummary(this.summarize(account, providers));
      }
      for (const accountId of [...this.pushed.keys()]) {
        if (present.has(accountId)) continue;
        this.pushed.delete(accountId);
        this.emit('accountRemoved', { accountId });
      }
    } catch (error) {
      this.logger.warn('could not follow a vault change', { error });
    }
  }

  private pushSummary(summary: AccountSummary): void {
    const key = JSON.stringify(summary);
    if (this.pushed.get(summary.id) === key) return;
    this.pushed.set(summary.id, key);
    this.emit('accountChanged', summary);
  }

  // ---------------------------------------------------------------- events

  on<E extends ContractEvent>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<ContractEvent>);
    return () => set.delete(listener as Listener<ContractEvent>);
  }

  private emit<E extends ContractEvent>(event: E, payload: ContractEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        this.logger.error('event listener failed', { event, error });
      }
    }
  }

  private async emitAccount(accountId: string): Promise<void> {
    try {
      const view = await this.unlocked().vault.read();
      const account = view.get(ACCOUNTS, accountId) as StoredAccount | undefined;
      if (account) this.pushSummary(this.summarize(account, listProviders(view)));
    } catch (error) {
      this.logger.warn('could not publish an account change', { accountId, error });
    }
  }

  private progress(
    flowId: string,
    providerId: string,
    stage: FlowProgress['stage'],
    extra: { message?: string; authorizationUrl?: string } = {},
  ): void {
    if (extra.authorizationUrl) this.pendingLinks.set(providerId, extra.authorizationUrl);
    this.emit('flowProgress', { flowId, providerId, stage, ...extra });
  }

  /** Copies the sign-in link of a flow waiting for the browser, for another browser. */
  async copyFlowLink({ providerId }: { providerId: string }): Promise<void> {
    const link = this.pendingLinks.get(providerId);
    if (!link || !this.pendingConnects.has(providerId)) {
      throw new TokendeckError('not_found', 'No sign-in is waiting for the browser.');
    }
    await this.clipboard.write(link, null);
  }

  // ---------------------------------------------------------------- app and vault calls

  async getAppInfo(): Promise<AppInfo> {
    return {
      version: this.options.appVersion ?? '0.0.0',
      platform: process.platform,
      dataDir: this.dataDir,
    };
  }

  async getVaultStatus(): Promise<VaultStatus> {
    return this.vaultStatus;
  }

  async setPassphrase({ passphrase }: { passphrase: string }): Promise<VaultStatus> {
    const slot = createPassphraseSlot(passphrase, this.scryptOptions());
    if (this.vaultStatus.state === 'needs-setup') {
      await this.unlock(await Vault.create(this.dataDir, slot, { logger: this.logger }));
      return this.vaultStatus;
    }
    const { vault } = this.unlocked();
    await vault.addSlot(slot);
    this.vaultStatus = { ...this.vaultStatus, slots: vault.slots().map((s) => s.kind) };
    this.emit('vaultStatusChanged', this.vaultStatus);
    return this.vaultStatus;
  }

  async removePassphrase(): Promise<VaultStatus> {
    const { vault } = this.unlocked();
    await vault.removeSlot('passphrase');
    this.vaultStatus = { ...this.vaultStatus, slots: vault.slots().map((s) => s.kind) };
    this.emit('vaultStatusChanged', this.vaultStatus);
    return this.vaultStatus;
  }

  async unlockWithPassphrase({ passphrase }: { passphrase: string }): Promise<VaultStatus> {
    if (this.vault) return this.vaultStatus;
    const vault = await Vault.open(
      this.dataDir,
      createPassphraseSlot(passphrase, this.scryptOptions()),
      { logger: this.logger },
    );
    await this.unlock(vault);
    // A keychain whose key changed is repaired by wrapping the data key for it again.
    const keychain = this.options.keychain;
    if (keychain?.status().secure) {
      await vault.addSlot(keychain.slot({ allowInsecure: false }));
      this.vaultStatus = { ...this.vaultStatus, slots: vault.slots().map((s) => s.kind) };
    }
    return this.vaultStatus;
  }

  async allowInsecureKeychain(_arg: { confirm: true }): Promise<VaultStatus> {
    const keychain = this.options.keychain;
    if (!keychain) throw new TokendeckError('unsupported', 'There is no OS keychain here.');
    const slot = keychain.slot({ allowInsecure: true });
    this.logger.warn('user opted in to the insecure OS keychain backend');
    if (this.vaultStatus.state === 'needs-setup') {
      await this.unlock(await Vault.create(this.dataDir, slot, { logger: this.logger }));
    } else {
      const { vault } = this.unlocked();
      await vault.addSlot(slot);
      this.vaultStatus = { ...this.vaultStatus, slots: vault.slots().map((s) => s.kind) };
    }
    return this.vaultStatus;
  }

  /**
   * Starts over when the keychain key changed or the passphrase is lost: the old file is moved
   * aside, never deleted. A corrupt or unreadable file is never reset (SECURITY 27).
   *
   * The moved file keeps every ciphertext, so a passphrase or keychain found later can still
   * open it (move it back, or point `--data-dir` at a copy).
   */
  async resetVault(_arg: { confirm: true }): Promise<VaultStatus> {
    if (this.vault) {
      throw new TokendeckError('conflict', 'The vault is unlocked; there is nothing to reset.');
    }
    const status = this.vaultStatus;
    if (status.state === 'recovery' && status.recovery !== 'keychain-changed') {
      throw new TokendeckError(
        'conflict',
        `A damaged vault is never reset. It is kept at ${status.path}; move it aside by hand to start over.`,
      );
    }
    const path = this.vaultStatus.path;
    let setAside: string | undefined;
    if (existsSync(path)) {
      const stamp = new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-');
      setAside = `${path}.set-aside-${stamp}`;
      for (let n = 2; existsSync(setAside); n++) setAside = `${path}.set-aside-${stamp}-${n}`;
      renameSync(path, setAside);
      this.logger.warn('vault reset by the user; the previous file was moved aside', { setAside });
    }
    await this.init();
    this.vaultStatus = { ...this.vaultStatus, ...(setAside ? { setAside } : {}) };
    this.emit('vaultStatusChanged', this.vaultStatus);
    return this.vaultStatus;
  }

  // ---------------------------------------------------------------- presets and providers

  async listPresets(): Promise<PresetSummary[]> {
    return PRESETS.map((preset) => ({
      id: preset.id,
      name: preset.name,
      grant: preset.profile.grant,
      description: preset.description,
      needs: presetNeeds(preset),
    }));
  }

  async getPreset({ id }: { id: string }): Promise<ProviderProfile> {
    const preset = getPreset(id);
    return validateProfile({ ...profileFromPreset(preset.id), id: preset.id });
  }

  async listProviders(): Promise<ProviderSummary[]> {
    const view = await this.unlocked().vault.read();
    return listProviders(view).map((provider) => this.providerSummary(provider));
  }

  async getProvider({ id }: { id: string }): Promise<ProviderProfile> {
    const view = await this.unlocked().vault.read();
    return readProvider(view, id).profile;
  }

  async saveProvider({ profile: input, clientSecret }: SaveProviderArgs): Promise<ProviderSummary> {
    const profile = validateProfile(input);
    const unfilled = findPlaceholders(profile);
    if (unfilled.length > 0) {
      throw new TokendeckError(
        'profile_incomplete',
        `Fill in ${unfilled.join(', ')}: the preset only has a placeholder there.`,
        { details: { field: unfilled[0] ?? null } },
      );
    }
    const { vault } = this.unlocked();
    const saved = await vault.update((tx) => {
      const previous = tx.get(PROVIDERS, profile.id) as StoredProvider | undefined;
      if (clientSecret === null) tx.deleteSecret(clientSecretRecord(profile.id));
      else if (clientSecret !== undefined) {
        if (!clientSecret.trim()) {
          throw new TokendeckError('invalid_input', 'The client secret is empty.');
        }
        registerSecret(clientSecret);
        tx.putSecret(clientSecretRecord(profile.id), clientSecret);
      }
      const hasSecret = tx.hasSecret(clientSecretRecord(profile.id));
      const stored: StoredProvider = {
        profile: { ...profile, client: { ...profile.client, hasSecret } },
        updatedAt: this.clock.now(),
      };
      // A registration or discovery made for other endpoints must not be reused.
      if (previous && sameServer(previous.profile, profile)) {
        if (previous.registration) stored.registration = previous.registration;
        if (previous.discovered) stored.discovered = previous.discovered;
      } else if (previous) {
        tx.deleteSecret(registrationTokenRecord(profile.id));
      }
      putProvider(tx, stored);
      return stored;
    });
    this.logger.info('provider saved', { provider: profile.id, grant: profile.grant });
    return this.providerSummary(saved);
  }

  async removeProvider({ id }: { id: string }): Promise<void> {
    const { vault } = this.unlocked();
    const view = await vault.read();
    readProvider(view, id);
    const accounts = listAccounts(view).filter((account) => account.providerId === id);
    if (accounts.length > 0) {
      throw new TokendeckError(
        'conflict',
        `Provider "${id}" still has ${accounts.length} account(s). Remove them first.`,
      );
    }
    await vault.update((tx) => {
      tx.delete(PROVIDERS, id);
      tx.deleteSecret(clientSecretRecord(id));
      tx.deleteSecret(registrationTokenRecord(id));
    });
    this.logger.info('provider removed', { provider: id });
  }

  async validateProvider({
    profile,
    isNew,
  }: {
    profile: Record<string, unknown>;
    isNew?: boolean;
  }): Promise<{ issues: ProfileIssue[] }> {
    const issues = profileIssues(profile);
    if (isNew && typeof profile.id === 'string' && !issues.some((i) => i.field === 'id')) {
      const view = await this.unlocked().vault.read();
      if (listProviders(view).some((provider) => provider.profile.id === profile.id)) {
        issues.push({ field: 'id', message: `A provider "${profile.id}" already exists.` });
      }
    }
    return { issues };
  }

  async discoverProvider({ issuer }: { issuer: string }): Promise<DiscoveryPreview> {
    return previewDiscovery(await discover(issuer, { logger: this.logger }));
  }

  private providerSummary(provider: StoredProvider): ProviderSummary {
    const { profile } = provider;
    return {
      id: profile.id,
      name: profile.name,
      grant: profile.grant,
      ...(profile.presetId ? { presetId: profile.presetId } : {}),
      ...(profile.issuer ? { issuer: profile.issuer } : {}),
      hasClientSecret: profile.client.hasSecret,
      registered: Boolean(provider.registration),
      revokes:
        profile.grant !== 'api_key' &&
        Boolean(profile.endpoints.revocation ?? provider.discovered?.revocation_endpoint),
    };
  }

  /**
   * Turns a stored provider into endpoints and a client, discovering and registering as needed.
   *
   * Discovery runs at connect time (`refresh`) and its metadata is stored, so that background
   * renewals do not depend on the discovery document being reachable. Dynamic registration runs
   * once per provider; its client id is stored with the provider.
   */
  private async resolve(
    providerId: string,
    refresh: boolean,
    signal?: AbortSignal,
    onRegistering?: () => void,
  ): Promise<ResolvedProvider> {
    const { vault } = this.unlocked();
    const view = await vault.read();
    let provider = readProvider(view, providerId);
    const { profile } = provider;
    const clientSecret = view.getSecret(clientSecretRecord(providerId));
    let discovered = provider.discovered;
    if (profile.issuer && (refresh || !discovered)) {
      const metadata = await discover(profile.issuer, { signal, logger: this.logger });
      discovered = metadata as unknown as Record<string, JsonValue>;
    }
    if (profile.grant === 'authorization_code' && profile.client.registration === 'dynamic') {
      provider = await this.ensureRegistration(provider, discovered, signal, onRegistering);
    } else if (discovered !== provider.discovered) {
      const metadata = discovered;
      await vault.update((tx) => {
        const current = tx.get(PROVIDERS, providerId) as StoredProvider | undefined;
        if (current && metadata) putProvider(tx, { ...current, discovered: metadata });
      });
    }
    return resolveProvider(profile, {
      ...(clientSecret ? { clientSecret } : {}),
      ...(provider.registration ? { registeredClientId: provider.registration.clientId } : {}),
      ...(discovered ? { discovered: discovered as never } : {}),
    });
  }

  private async ensureRegistration(
    provider: StoredProvider,
    discovered: Record<string, JsonValue> | undefined,
    signal?: AbortSignal,
    onRegistering?: () => void,
  ): Promise<StoredProvider> {
    const { profile } = provider;
    const registrationEndpoint =
      profile.endpoints.registration ?? (discovered?.registration_endpoint as string | undefined);
    if (!registrationEndpoint) {
      throw new TokendeckError(
        'profile_incomplete',
        `Provider "${profile.id}" uses dynamic registration but has no registration endpoint.`,
      );
    }
    const redirectUris = registrationRedirects(profile);
    const existing = provider.registration;
    if (existing && existing.registeredAt === registrationEndpoint) {
      if (discovered === provider.discovered) return provider;
      const updated = { ...provider, ...(discovered ? { discovered } : {}) };
      await this.unlocked().vault.update((tx) => putProvider(tx, updated));
      return updated;
    }
    const as = {
      ...(discovered ?? {}),
      issuer: profile.issuer ?? new URL(registrationEndpoint).origin,
      registration_endpoint: registrationEndpoint,
    };
    onRegistering?.();
    const registered = await registerClient(
      as as never,
      {
        redirectUris,
        clientName: 'Tokendeck',
        ...(profile.scopes.length ? { scope: profile.scopes.join(' ') } : {}),
      },
      { signal, logger: this.logger },
    );
    const updated: StoredProvider = {
      ...provider,
      ...(discovered ? { discovered } : {}),
      registration: {
        clientId: registered.clientId,
        registeredAt: registrationEndpoint,
        redirectUris,
        createdAt: this.clock.now(),
      },
      updatedAt: this.clock.now(),
    };
    await this.unlocked().vault.update((tx) => {
      putProvider(tx, updated);
      if (registered.registrationAccessToken) {
        tx.putSecret(registrationTokenRecord(profile.id), registered.registrationAccessToken);
      }
      if (registered.clientSecret) {
        tx.putSecret(clientSecretRecord(profile.id), registered.clientSecret);
      }
    });
    this.logger.info('client registered', { provider: profile.id });
    return updated;
  }

  // ---------------------------------------------------------------- accounts

  async listAccounts(): Promise<AccountSummary[]> {
    const view = await this.unlocked().vault.read();
    const providers = listProviders(view);
    return listAccounts(view)
      .map((account) => this.summarize(account, providers))
      .sort(
        (a, b) => a.providerName.localeCompare(b.providerName) || a.label.localeCompare(b.label),
      );
  }

  private summarize(account: StoredAccount, providers: StoredProvider[]): AccountSummary {
    const provider = providers.find((p) => p.profile.id === account.providerId);
    return {
      id: account.id,
      providerId: account.providerId,
      providerName: provider?.profile.name ?? account.providerId,
      label: account.label,
      subject: account.subject,
      grant: account.grant,
      scopes: account.scopes,
      expiresAt: account.expiresAt,
      receivedAt: account.receivedAt,
      status: this.unlocked().manager.statusOf(account),
    };
  }

  async findAccount(reference: string): Promise<StoredAccount> {
    const view = await this.unlocked().vault.read();
    const accounts = listAccounts(view);
    const exact = accounts.find((account) => account.id === reference);
    if (exact) return exact;
    for (const matches of [
      accounts.filter((account) => account.label === reference),
      accounts.filter((account) => account.providerId === reference),
    ]) {
      if (matches.length === 1) return matches[0]!;
      if (matches.length > 1) {
        throw new TokendeckError(
          'conflict',
          `"${reference}" matches ${matches.length} accounts: ${matches.map((a) => a.id).join(', ')}. Use an account id.`,
        );
      }
    }
    throw new TokendeckError('not_found', `No account "${reference}". See: tokendeck accounts`);
  }

  async connectAccount({
    providerId,
    apiKey,
  }: {
    providerId: string;
    apiKey?: string;
  }): Promise<{ accountId: string }> {
    const { vault } = this.unlocked();
    const provider = readProvider(await vault.read(), providerId);
    if (this.pendingConnects.has(providerId)) {
      throw new TokendeckError(
        'conflict',
        `A connection to "${providerId}" is already waiting for the browser.`,
      );
    }
    const controller = new AbortController();
    this.pendingConnects.set(providerId, controller);
    const flowId = `${providerId}:${this.clock.now()}`;
    try {
      this.progress(flowId, providerId, 'discovering');
      const resolved = await this.resolve(providerId, true, controller.signal, () =>
        this.progress(flowId, providerId, 'registering'),
      );
      const result = await this.runGrant(
        resolved,
        provider.profile,
        flowId,
        controller.signal,
        apiKey,
      );
      this.progress(flowId, providerId, 'naming');
      const who = await identifyAccount(resolved, result, {
        signal: controller.signal,
        logger: this.logger,
      });
      const accountId = await this.storeAccount(provider.profile, result, who);
      this.progress(flowId, providerId, 'done');
      this.logger.info('account connected', { provider: providerId, account: accountId });
      await this.unlocked().manager.track(accountId);
      await this.emitAccount(accountId);
      return { accountId };
    } catch (error) {
      this.progress(
        flowId,
        providerId,
        'failed',
        isTokendeckError(error) ? { message: error.message } : {},
      );
      this.logger.warn('connect failed', { provider: providerId, error });
      throw error;
    } finally {
      this.pendingConnects.delete(providerId);
      this.pendingLinks.delete(providerId);
    }
  }

  private async runGrant(
    resolved: ResolvedProvider,
    profile: ProviderProfile,
    flowId: string,
    signal: AbortSignal,
    apiKey: string | undefined,
  ): Promise<FlowResult> {
    const grant = profile.grant;
    switch (grant) {
      case 'api_key': {
        if (apiKey === undefined) {
          throw new TokendeckError('invalid_input', `Provider "${profile.id}" needs an API key.`);
        }
        const tokens = apiKeyTokens(apiKey, this.clock.now());
        registerSecret(tokens.accessToken);
        return { tokens };
      }
      case 'client_credentials':
        this.progress(flowId, profile.id, 'exchanging');
        return clientCredentialsFlow(resolved, { signal, logger: this.logger, clock: this.clock });
      case 'authorization_code':
        return authorizationCodeFlow(resolved, this.options.browser, {
          signal,
          logger: this.logger,
          clock: this.clock,
          ...(this.options.flowTimeoutMs ? { timeoutMs: this.options.flowTimeoutMs } : {}),
          onProgress: (stage, info) => this.progress(flowId, profile.id, stage, info),
        });
      default:
        return assertNever(grant, 'grant');
    }
  }

  /** Saves a connected account: one per subject, so reconnecting updates it. */
  private async storeAccount(
    profile: ProviderProfile,
    result: FlowResult,
    who: { subject: string; label: string },
  ): Promise<string> {
    const id = accountIdFor(profile.id, who.subject);
    const now = this.clock.now();
    const { tokens } = result;
    await this.unlocked().vault.update((tx) => {
      const previous = tx.get(ACCOUNTS, id) as StoredAccount | undefined;
      const account: StoredAccount = {
        id,
        providerId: profile.id,
        subject: who.subject,
        label: who.label,
        grant: profile.grant,
        tokenType: tokens.tokenType,
        scopes: tokens.scopes,
        expiresAt: tokens.expiresAt,
        receivedAt: tokens.receivedAt,
        hasRefreshToken: Boolean(tokens.refreshToken),
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      };
      putAccount(tx, account);
      writeTokens(tx, id, tokens);
    });
    return id;
  }

  /** The lifecycle's renewer: the refresh grant, or client credentials run again. */
  private async renew(
    account: StoredAccount,
    tokens: { accessToken: string; refreshToken?: string },
    signal: AbortSignal,
  ) {
    const resolved = await this.resolve(account.providerId, false, signal);
    const renewed = await renewTokens(resolved, tokens, {
      signal,
      logger: this.logger,
      clock: this.clock,
    });
    registerSecret(renewed.accessToken);
    registerSecret(renewed.refreshToken);
    return renewed;
  }

  async cancelConnect({ providerId }: { providerId: string }): Promise<void> {
    this.pendingConnects.get(providerId)?.abort();
  }

  getFreshToken(accountId: string, options: { minTtlMs?: number } = {}): Promise<FreshToken> {
    return this.unlocked().manager.getFreshToken(accountId, options);
  }

  async renewAccount({ accountId }: { accountId: string }): Promise<AccountSummary> {
    const { vault, manager } = this.unlocked();
    const current = readTokens(await vault.read(), accountId);
    await manager.getFreshToken(accountId, { rejectToken: current.accessToken });
    const view = await vault.read();
    return this.summarize(readAccount(view, accountId), listProviders(view));
  }

  async removeAccount({ accountId }: { accountId: string }): Promise<{ revoked: boolean }> {
    const { vault, manager } = this.unlocked();
    const view = await vault.read();
    const account = readAccount(view, accountId);
    let revoked = false;
    try {
      const tokens = readTokens(view, accountId);
      const resolved = await this.resolve(account.providerId, false);
      // Revoking the refresh token ends the grant; the access token goes too where supported.
      if (tokens.refreshToken) {
        revoked = await revokeToken(resolved, tokens.refreshToken, 'refresh_token', {
          logger: this.logger,
        });
      }
      if (account.grant !== 'api_key') {
        revoked =
          (await revokeToken(resolved, tokens.accessToken, 'access_token', {
            logger: this.logger,
          })) || revoked;
      }
    } catch (error) {
      this.logger.warn('revocation failed; removing the account anyway', {
        account: accountId,
        error,
      });
    }
    manager.untrack(accountId);
    await vault.update((tx) => {
      tx.delete(ACCOUNTS, accountId);
      tx.deleteSecret(tokensRecord(accountId));
      tx.deleteSecret(historyRecord(accountId));
    });
    this.logger.info('account removed', { account: accountId, revoked });
    this.pushed.delete(accountId);
    this.emit('accountRemoved', { accountId });
    return { revoked };
  }

  /**
   * Copies a fresh token (or its header line, or a curl command that fetches it) in main.
   *
   * The token has at least the Settings' minimum TTL left, or half its lifetime when that is
   * shorter, and is cleared from the clipboard after the Settings' delay if still there.
   */
  async copyToken({ accountId, format = 'token' }: CopyTokenArgs): Promise<CopyResult> {
    const settings = await this.settings.read();
    const view = await this.unlocked().vault.read();
    const account = readAccount(view, accountId);
    const profile = readProvider(view, account.providerId).profile;
    if (!copiesSecret(format)) {
      await this.clipboard.write(copyText(format, profile, accountId), null);
      return { expiresAt: account.expiresAt, clearsAfterSeconds: null };
    }
    const lifetime = account.expiresAt === null ? Infinity : account.expiresAt - account.receivedAt;
    const minTtlMs = Math.min(settings.copyMinTtlSeconds * 1000, lifetime / 2);
    const fresh = await this.getFreshToken(accountId, { minTtlMs });
    const clearSeconds = settings.clipboardClearSeconds > 0 ? settings.clipboardClearSeconds : null;
    await this.clipboard.write(
      copyText(format, profile, accountId, fresh.accessToken),
      clearSeconds === null ? null : clearSeconds * 1000,
    );
    this.logger.info('token copied', { account: accountId, format });
    return { expiresAt: fresh.expiresAt, clearsAfterSeconds: clearSeconds };
  }

  async revealToken({
    accountId,
  }: {
    accountId: string;
  }): Promise<{ token: string; inspection: TokenInspection }> {
    const fresh = await this.getFreshToken(accountId);
    this.logger.info('token revealed by the user', { account: accountId });
    const view = await this.unlocked().vault.read();
    const provider = readProvider(view, readAccount(view, accountId).providerId);
    const jwksUri = provider.discovered?.jwks_uri;
    const inspection = await inspectToken(
      fresh.accessToken,
      typeof jwksUri === 'string' ? jwksUri : undefined,
    );
    return { token: fresh.accessToken, inspection };
  }

  // ---------------------------------------------------------------- settings

  getSettings(): Promise<Settings> {
    return this.settings.read();
  }

  saveSettings(patch: SettingsPatch): Promise<Settings> {
    return this.settings.save(patch);
  }

  // ---------------------------------------------------------------- request console

  private async consoleContext(accountId: string): Promise<ConsoleContext> {
    const view = await this.unlocked().vault.read();
    const account = readAccount(view, accountId);
    return { account, profile: readProvider(view, account.providerId).profile };
  }

  async sendRequest(arg: RequestSpec & { requestId: string }) {
    const { runner } = this.unlocked();
    const { requestId, ...spec } = arg;
    return runner.send(spec as RequestSpec, { requestId });
  }

  async cancelRequest({ requestId }: { requestId: string }): Promise<void> {
    this.unlocked().runner.cancel(requestId);
  }

  async listHistory({ accountId }: { accountId: string }) {
    return createVaultHistoryStore(this.unlocked().vault).list(accountId);
  }

  async clearHistory({ accountId }: { accountId: string }): Promise<void> {
    await createVaultHistoryStore(this.unlocked().vault).clear(accountId);
  }

  async introspectGraphql({ accountId, refresh }: { accountId: string; refresh?: boolean }) {
    return this.unlocked().runner.introspect(accountId, refresh ? { refresh } : {});
  }

  async exportCurl({
    spec,
    options,
  }: {
    spec: RequestSpec;
    options?: { inlineToken?: boolean };
  }): Promise<{ command: string }> {
    const ctx = await this.consoleContext(spec.accountId);
    if (options?.inlineToken) {
      const fresh = await this.getFreshToken(spec.accountId, { minTtlMs: CONSOLE_MIN_TTL_MS });
      return { command: toCurl(spec, ctx, { inlineToken: true, token: fresh.accessToken }) };
    }
    return { command: toCurl(spec, ctx) };
  }
}

/** True when two profiles talk to the same authorization server with the same client setup. */
function sameServer(a: ProviderProfile, b: ProviderProfile): boolean {
  return (
    a.issuer === b.issuer &&
    a.endpoints.registration === b.endpoints.registration &&
    a.client.registration === b.client.registration &&
    JSON.stringify(a.redirect) === JSON.stringify(b.redirect)
  );
}

/**
 * The redirect URIs a dynamically registered native client is registered with.
 *
 * RFC 8252 §7.3: the server must accept any port on a loopback redirect, so the ephemeral port is
 * left out; a fixed redirect is registered as it is.
 */
function registrationRedirects(profile: ProviderProfile): string[] {
  const redirect = profile.redirect;
  switch (redirect.mode) {
    case 'loopback':
      return [`http://127.0.0.1${redirect.path}`];
    case 'fixed':
      return [redirect.uri];
    default:
      return assertNever(redirect, 'redirect');
  }
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AppInfo,
  ConnectArgs,
  CopyResult,
  CopyTokenArgs,
  CurlOptions,
  DiscoveryPreview,
  PresetSummary,
  ProfileIssue,
  ProviderSummary,
  RequestSpec,
  SaveProviderArgs,
  ServiceCalls,
  ServiceEventSource,
  ValidateProviderArgs,
  VaultStatus,
} from './api';
import { createClipboardGuard, type ClipboardGuard } from './clipboard-guard';
import { exportCurl } from './console';
import { EventBus } from './event-bus';
import type { FreshToken } from './lifecycle';
import { createLogger, type Logger } from './log';
import type { AccountSummary, StoredAccount } from './model';
import {
  systemClock,
  type BrowserOpener,
  type Clipboard,
  type Clock,
  type KeychainPort,
  type PowerEvents,
} from './ports';
import { discoverPreview, type ProviderProfile } from './providers';
import { presetProfile, presetSummaries } from './saved-providers';
import { SettingsFile, type Settings, type SettingsPatch } from './settings';
import { assembleParts, type UnlockedParts } from './unlocked-parts';
import { VaultSession, type Vault } from './vault';

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
    /** The one way to get a token; for the CLI's `token`. */
    getFreshToken(accountId: string, options?: { minTtlMs?: number }): Promise<FreshToken>;
    /** Resolves an account by id, label, or a provider with exactly one account. */
    findAccount(reference: string): Promise<StoredAccount>;
    close(): Promise<void>;
  };

/**
 * The one object that the IPC handlers, the CLI and the end-to-end harness call.
 *
 * A facade: each call delegates to the part that owns it. The vault session unlocks; once it has,
 * the parts that need an open vault are built (the provider resolver, the token manager, the
 * request console, the saved providers, the accounts and their feed). A raw token leaves only
 * through `revealToken`, `copyToken` (to the clipboard) and `getFreshToken` (the CLI's `token`).
 */
export async function createService(options: ServiceOptions): Promise<TokendeckService> {
  const service = new Service(options);
  await service.session.init();
  return service;
}

class Service implements TokendeckService {
  readonly dataDir: string;
  readonly session: VaultSession;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly bus: EventBus;
  /** Puts secrets on the clipboard and takes them off again (after a delay, and on close). */
  private readonly clipboard: ClipboardGuard;
  private readonly settings: SettingsFile;
  private parts: UnlockedParts | null = null;

  constructor(private readonly options: ServiceOptions) {
    this.dataDir = options.dataDir;
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    this.logger =
      options.logger ?? createLogger({ file: join(this.dataDir, 'logs', 'tokendeck.log') });
    this.clock = options.clock ?? systemClock;
    this.bus = new EventBus(this.logger);
    this.clipboard = createClipboardGuard(options.clipboard, {
      onError: (error) => this.logger.warn('could not clear the clipboard', { error }),
    });
    this.settings = new SettingsFile(this.dataDir, this.logger, () => this.clock.now());
    this.session = new VaultSession({
      dataDir: this.dataDir,
      ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
      ...(options.keychain ? { keychain: options.keychain } : {}),
      ...(options.scryptN ? { scryptN: options.scryptN } : {}),
      logger: this.logger,
      clock: this.clock,
      watch: options.schedule ?? true,
      onUnlock: (vault) => this.assemble(vault),
      onDiskChange: () => void this.parts?.feed.follow(),
      onStatus: (status) => this.bus.emit('vaultStatusChanged', status),
    });
  }

  /** Builds the parts that run on an open vault, and starts the token manager. */
  private async assemble(vault: Vault): Promise<void> {
    this.parts = assembleParts(vault, {
      dataDir: this.dataDir,
      logger: this.logger,
      clock: this.clock,
      bus: this.bus,
      browser: this.options.browser,
      ...(this.options.power ? { power: this.options.power } : {}),
      schedule: this.options.schedule ?? true,
      ...(this.options.flowTimeoutMs ? { flowTimeoutMs: this.options.flowTimeoutMs } : {}),
      clipboard: this.clipboard,
      settings: () => this.settings.read(),
    });
    await this.parts.manager.start();
  }

  private unlocked(): UnlockedParts {
    if (!this.parts) throw this.session.lockedError();
    return this.parts;
  }

  on: ServiceEventSource['on'] = (event, listener) => this.bus.on(event, listener);

  async close(): Promise<void> {
    this.parts?.accounts.cancelAll();
    await this.clipboard.dispose();
    this.parts?.stopFeed();
    this.session.close();
    this.parts?.manager.stop();
    this.bus.clear();
  }

  // ---------------------------------------------------------------- app and vault

  async getAppInfo(): Promise<AppInfo> {
    const version = this.options.appVersion ?? '0.0.0';
    return { version, platform: process.platform, dataDir: this.dataDir };
  }

  async getVaultStatus(): Promise<VaultStatus> {
    return this.session.status();
  }

  setPassphrase({ passphrase }: { passphrase: string }): Promise<VaultStatus> {
    return this.session.setPassphrase(passphrase);
  }

  removePassphrase(): Promise<VaultStatus> {
    return this.session.removePassphrase();
  }

  unlockWithPassphrase({ passphrase }: { passphrase: string }): Promise<VaultStatus> {
    return this.session.unlockWithPassphrase(passphrase);
  }

  allowInsecureKeychain(_arg: { confirm: true }): Promise<VaultStatus> {
    return this.session.allowInsecureKeychain();
  }

  resetVault(_arg: { confirm: true }): Promise<VaultStatus> {
    return this.session.reset();
  }

  // ---------------------------------------------------------------- presets and providers

  async listPresets(): Promise<PresetSummary[]> {
    return presetSummaries();
  }

  async getPreset({ id }: { id: string }): Promise<ProviderProfile> {
    return presetProfile(id);
  }

  async listProviders(): Promise<ProviderSummary[]> {
    return this.unlocked().providers.list();
  }

  async getProvider({ id }: { id: string }): Promise<ProviderProfile> {
    return this.unlocked().providers.get(id);
  }

  async saveProvider(arg: SaveProviderArgs): Promise<ProviderSummary> {
    return this.unlocked().providers.save(arg);
  }

  async removeProvider({ id }: { id: string }): Promise<void> {
    return this.unlocked().providers.remove(id);
  }

  async validateProvider(arg: ValidateProviderArgs): Promise<{ issues: ProfileIssue[] }> {
    return this.unlocked().providers.validate(arg);
  }

  async discoverProvider({ issuer }: { issuer: string }): Promise<DiscoveryPreview> {
    return discoverPreview(issuer, { logger: this.logger });
  }

  // ---------------------------------------------------------------- accounts and tokens

  async listAccounts(): Promise<AccountSummary[]> {
    return this.unlocked().feed.list();
  }

  async findAccount(reference: string): Promise<StoredAccount> {
    return this.unlocked().accounts.find(reference);
  }

  async connectAccount(arg: ConnectArgs): Promise<{ accountId: string }> {
    return this.unlocked().accounts.connect(arg);
  }

  async cancelConnect({ providerId }: { providerId: string }): Promise<void> {
    this.parts?.accounts.cancel(providerId);
  }

  async copyFlowLink({ providerId }: { providerId: string }): Promise<void> {
    await this.clipboard.write(this.unlocked().accounts.flowLink(providerId), null);
  }

  async renewAccount({ accountId }: { accountId: string }): Promise<AccountSummary> {
    return this.unlocked().accounts.renew(accountId);
  }

  async removeAccount({ accountId }: { accountId: string }): Promise<{ revoked: boolean }> {
    return this.unlocked().accounts.remove(accountId);
  }

  getFreshToken(accountId: string, options: { minTtlMs?: number } = {}): Promise<FreshToken> {
    return this.unlocked().manager.getFreshToken(accountId, options);
  }

  async copyToken(arg: CopyTokenArgs): Promise<CopyResult> {
    return this.unlocked().handout.copy(arg);
  }

  async revealToken({ accountId }: { accountId: string }) {
    return this.unlocked().handout.reveal(accountId);
  }

  // ---------------------------------------------------------------- settings

  getSettings(): Promise<Settings> {
    return this.settings.read();
  }

  async saveSettings(patch: SettingsPatch): Promise<Settings> {
    const saved = await this.settings.save(patch);
    this.bus.emit('settingsChanged', saved);
    return saved;
  }

  // ---------------------------------------------------------------- request console

  async sendRequest({ requestId, ...spec }: RequestSpec & { requestId: string }) {
    return this.unlocked().runner.send(spec as RequestSpec, { requestId });
  }

  async cancelRequest({ requestId }: { requestId: string }): Promise<void> {
    this.unlocked().runner.cancel(requestId);
  }

  async listHistory({ accountId }: { accountId: string }) {
    return this.unlocked().history.list(accountId);
  }

  async clearHistory({ accountId }: { accountId: string }): Promise<void> {
    await this.unlocked().history.clear(accountId);
  }

  async introspectGraphql({ accountId, refresh }: { accountId: string; refresh?: boolean }) {
    return this.unlocked().runner.introspect(accountId, refresh ? { refresh } : {});
  }

  async exportCurl(arg: {
    spec: RequestSpec;
    options?: CurlOptions;
  }): Promise<{ command: string }> {
    const { context, manager } = this.unlocked();
    return { command: await exportCurl(arg.spec, arg.options, { context, tokens: manager }) };
  }
}

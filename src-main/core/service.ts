import { join } from 'node:path';
import type {
  AgentSettings,
  ApiDiscovery,
  AppInfo,
  ConnectArgs,
  CopyResult,
  CopyTokenArgs,
  ExchangeArgs,
  NetworkSettingsInput,
  NetworkView,
  DiscoveryPreview,
  PresetSummary,
  ProfileIssue,
  RemoveResult,
  ProviderEditPreview,
  ProviderFile,
  ProviderSummary,
  RequestSpec,
  SaveProviderArgs,
  ServiceCalls,
  ServiceEventSource,
  ValidateProviderArgs,
  VaultStatus,
} from './api';
import { libraryCalls, type LibraryMethod } from './console-calls';
import { createClipboardGuard, type ClipboardGuard } from './clipboard-guard';
import { ensureDataDir } from './data-dir';
import { EventBus } from './event-bus';
import type { FreshToken } from './lifecycle';
import { createLogger, type Logger } from './log';
import type { AccountSummary, StoredAccount } from './model';
import type { Transport } from './net';
import {
  systemClock,
  type BrowserOpener,
  type Clipboard,
  type Clock,
  type KeychainPort,
  type PowerEvents,
} from './ports';
import type { ProviderProfile, ProviderProfileInput } from './providers';
import { Preferences } from './preferences';
import { assembleParts, type ServiceParts } from './service-parts';
import { createSession } from './sessions';
import type { Settings, SettingsPatch } from './settings';
import { VaultSession, type Vault, type VaultOpener } from './vault';

export interface ServiceOptions {
  dataDir: string;
  /** Unlocks (or creates) the vault with the passphrase slot: the CLI and headless machines. */
  passphrase?: string;
  /** The desktop app's OS keychain. */
  keychain?: KeychainPort;
  /** Opens the vault another way: a CLI session (see `sessionOpener`). */
  opener?: VaultOpener;
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
  /**
   * How requests go out: Chromium's network stack in the app; the Node transport (settings, then
   * HTTPS_PROXY / NO_PROXY / NODE_EXTRA_CA_CERTS) when not given.
   */
  transport?: Transport;
  /** How long one token-endpoint request of a renewal may take (default 30 s). */
  requestTimeoutMs?: number;
}

export type TokendeckService = ServiceCalls &
  ServiceEventSource & {
    readonly dataDir: string;
    /** The one way to get a token; for the CLI's `token`. */
    getFreshToken(accountId: string, options?: { minTtlMs?: number }): Promise<FreshToken>;
    /** A fresh token that the provider's who-am-I call just accepted; for `token --verify`. */
    getVerifiedToken(accountId: string, options?: { minTtlMs?: number }): Promise<FreshToken>;
    /** Resolves an account by id, by provider (its default or only account), or unique label. */
    findAccount(reference: string): Promise<StoredAccount>;
    /** Starts a CLI session on the open vault; returns its `TOKENDECK_SESSION` value. */
    startSession(options?: { ttlMs?: number }): Promise<string>;
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
  return Object.assign(
    service,
    libraryCalls(
      () => service.unlocked(),
      (command, holdsToken, accountId) => service.copyCurlCommand(command, holdsToken, accountId),
    ),
  );
}

class Service implements Omit<TokendeckService, LibraryMethod> {
  readonly dataDir: string;
  readonly session: VaultSession;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly bus: EventBus;
  /** Puts secrets on the clipboard and takes them off again (after a delay, and on close). */
  private readonly clipboard: ClipboardGuard;
  private readonly preferences: Preferences;
  private parts: ServiceParts | null = null;

  constructor(private readonly options: ServiceOptions) {
    this.dataDir = options.dataDir;
    ensureDataDir(this.dataDir);
    this.logger =
      options.logger ?? createLogger({ file: join(this.dataDir, 'logs', 'tokendeck.log') });
    this.clock = options.clock ?? systemClock;
    this.bus = new EventBus(this.logger);
    this.clipboard = createClipboardGuard(options.clipboard, {
      onError: (error) => this.logger.warn('could not clear the clipboard', { error }),
    });
    this.preferences = new Preferences(this.dataDir, this.logger, this.clock, this.bus);
    this.session = new VaultSession({
      dataDir: this.dataDir,
      ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
      ...(options.keychain ? { keychain: options.keychain } : {}),
      ...(options.opener ? { opener: options.opener } : {}),
      ...(options.scryptN ? { scryptN: options.scryptN } : {}),
      logger: this.logger,
      clock: this.clock,
      watch: options.schedule ?? true,
      onUnlock: (vault) => this.assemble(vault),
      onDiskChange: () => {
        this.parts?.reapplyNetwork();
        void this.parts?.feed.follow();
      },
      onStatus: (status) => this.bus.emit('vaultStatusChanged', status),
    });
  }

  /** Builds the parts that run on an open vault, and starts the token manager. */
  private async assemble(vault: Vault): Promise<void> {
    this.parts = await assembleParts(vault, {
      dataDir: this.dataDir,
      bus: this.bus,
      logger: this.logger,
      clock: this.clock,
      browser: this.options.browser,
      schedule: this.options.schedule ?? true,
      ...(this.options.power ? { power: this.options.power } : {}),
      ...(this.options.requestTimeoutMs ? { requestTimeoutMs: this.options.requestTimeoutMs } : {}),
      ...(this.options.flowTimeoutMs ? { flowTimeoutMs: this.options.flowTimeoutMs } : {}),
      clipboard: this.clipboard,
      ...(this.options.transport ? { transport: this.options.transport } : {}),
      settings: () => this.preferences.read(),
    });
  }

  unlocked(): ServiceParts {
    if (!this.parts) throw this.session.lockedError();
    return this.parts;
  }

  on: ServiceEventSource['on'] = (event, listener) => this.bus.on(event, listener);

  async close(): Promise<void> {
    this.parts?.builtAccounts()?.cancelAll();
    await this.clipboard.dispose();
    this.parts?.stop();
    this.session.close();
    this.parts?.manager.stop();
    this.bus.clear();
  }

  // ---------------------------------------------------------------- app and vault

  async getAppInfo(): Promise<AppInfo> {
    const version = this.options.appVersion ?? '0.0.0';
    return { version, platform: process.platform, dataDir: this.dataDir };
  }

  startSession(options: { ttlMs?: number } = {}): Promise<string> {
    return createSession(this.session.require(), options);
  }

  // The vault session's own calls.
  getVaultStatus = async (): Promise<VaultStatus> => this.session.status();
  setPassphrase = (arg: { passphrase: string }) => this.session.setPassphrase(arg.passphrase);
  removePassphrase = (): Promise<VaultStatus> => this.session.removePassphrase();
  unlockWithPassphrase = (arg: { passphrase: string }): Promise<VaultStatus> =>
    this.session.unlockWithPassphrase(arg.passphrase);
  allowInsecureKeychain = (_arg: { confirm: true }) => this.session.allowInsecureKeychain();
  resetVault = (_arg: { confirm: true }): Promise<VaultStatus> => this.session.reset();

  getAgentSettings(): Promise<AgentSettings> {
    return this.preferences.readAgent();
  }

  setAgentSettings(settings: AgentSettings): Promise<AgentSettings> {
    return this.preferences.saveAgent(settings);
  }

  // ---------------------------------------------------------------- presets and providers

  async listPresets(): Promise<PresetSummary[]> {
    return (await import('./saved-providers')).presetSummaries();
  }

  async getPreset({ id }: { id: string }): Promise<ProviderProfile> {
    return (await import('./saved-providers')).presetProfile(id);
  }

  async listProviders(): Promise<ProviderSummary[]> {
    return (await this.unlocked().providers()).list();
  }

  async getProvider({ id }: { id: string }): Promise<ProviderProfile> {
    return (await this.unlocked().providers()).get(id);
  }

  async saveProvider(arg: SaveProviderArgs): Promise<ProviderSummary> {
    return (await this.unlocked().providers()).save(arg);
  }

  async removeProvider({ id }: { id: string }): Promise<void> {
    return (await this.unlocked().providers()).remove(id);
  }

  async validateProvider(arg: ValidateProviderArgs): Promise<{ issues: ProfileIssue[] }> {
    return (await this.unlocked().providers()).validate(arg);
  }

  async discoverProvider({ issuer }: { issuer: string }): Promise<DiscoveryPreview> {
    const { discoverPreview } = await import('./providers');
    const transport = this.parts ? await this.parts.transport() : undefined;
    return discoverPreview(issuer, {
      logger: this.logger,
      ...(transport ? { fetch: transport.fetch.bind(transport) } : {}),
    });
  }

  async previewProviderEdit(arg: {
    profile: ProviderProfileInput;
    withNewSecret?: boolean;
  }): Promise<ProviderEditPreview> {
    return (await this.unlocked().providers()).preview(arg.profile, arg.withNewSecret);
  }

  async exportProvider({ id }: { id: string }): Promise<ProviderFile> {
    return (await this.unlocked().providers()).exportFile(id);
  }

  async parseProviderFile({ text }: { text: string }): Promise<ProviderProfile> {
    return (await import('./provider-file')).parseProviderFile(text);
  }

  async discoverFromApi({ url, id }: { url: string; id: string }): Promise<ApiDiscovery> {
    return this.unlocked().discoverApi(url, id);
  }

  // ---------------------------------------------------------------- accounts and tokens

  async listAccounts(): Promise<AccountSummary[]> {
    return this.unlocked().feed.list();
  }

  async findAccount(reference: string): Promise<StoredAccount> {
    return this.unlocked().find(reference);
  }

  async connectAccount(arg: ConnectArgs): Promise<{ accountId: string }> {
    return (await this.unlocked().accounts()).connect(arg);
  }

  async cancelConnect({ providerId }: { providerId: string }): Promise<void> {
    this.parts?.builtAccounts()?.cancel(providerId);
  }

  async copyFlowLink({ providerId }: { providerId: string }): Promise<void> {
    await this.clipboard.write((await this.unlocked().accounts()).flowLink(providerId), null);
  }

  async renewAccount({ accountId }: { accountId: string }): Promise<AccountSummary> {
    return (await this.unlocked().accounts()).renew(accountId);
  }

  async removeAccount({ accountId }: { accountId: string }): Promise<RemoveResult> {
    return (await this.unlocked().accounts()).remove(accountId);
  }

  async exchangeToken(arg: ExchangeArgs): Promise<{ accountId: string }> {
    return (await this.unlocked().exchanges()).exchange(arg);
  }

  async renameAccount(arg: { accountId: string; label: string }): Promise<AccountSummary> {
    return (await this.unlocked().edits()).rename(arg.accountId, arg.label);
  }

  async mergeAccounts(arg: { keepId: string; otherId: string }): Promise<AccountSummary> {
    return (await this.unlocked().edits()).merge(arg.keepId, arg.otherId);
  }

  async setDefaultAccount({ accountId }: { accountId: string }): Promise<AccountSummary> {
    return (await this.unlocked().edits()).setDefault(accountId);
  }

  getFreshToken(accountId: string, options: { minTtlMs?: number } = {}): Promise<FreshToken> {
    return this.unlocked().freshToken(accountId, options);
  }

  async getVerifiedToken(
    accountId: string,
    options: { minTtlMs?: number } = {},
  ): Promise<FreshToken> {
    await (await this.unlocked().runner()).verify(accountId);
    return this.getFreshToken(accountId, options);
  }

  async copyToken(arg: CopyTokenArgs): Promise<CopyResult> {
    return (await this.unlocked().handout()).copy(arg);
  }

  async revealToken({ accountId }: { accountId: string }) {
    return (await this.unlocked().handout()).reveal(accountId);
  }

  // ---------------------------------------------------------------- settings

  getSettings(): Promise<Settings> {
    return this.preferences.read();
  }

  saveSettings(patch: SettingsPatch): Promise<Settings> {
    return this.preferences.save(patch);
  }

  // ---------------------------------------------------------------- request console

  async sendRequest({ requestId, ...spec }: RequestSpec & { requestId: string }) {
    return (await this.unlocked().runner()).send(spec as RequestSpec, { requestId });
  }

  async cancelRequest({ requestId }: { requestId: string }): Promise<void> {
    (await this.unlocked().runner()).cancel(requestId);
  }

  async listHistory({ accountId }: { accountId: string }) {
    return (await this.unlocked().history()).list(accountId);
  }

  async clearHistory({ accountId }: { accountId: string }): Promise<void> {
    await (await this.unlocked().history()).clear(accountId);
  }

  async introspectGraphql({ accountId, refresh }: { accountId: string; refresh?: boolean }) {
    return (await this.unlocked().runner()).introspect(accountId, refresh ? { refresh } : {});
  }

  // ---------------------------------------------------------------- network

  async getNetworkSettings(): Promise<NetworkView> {
    return (await this.unlocked().network()).view();
  }

  async setNetworkSettings(arg: NetworkSettingsInput): Promise<NetworkView> {
    return (await this.unlocked().network()).set(arg);
  }

  /**
   * Puts a curl command on the clipboard. One that holds the token is concealed and cleared
   * like a copied token, and logged like a reveal.
   */
  async copyCurlCommand(command: string, holdsToken: boolean, accountId: string): Promise<void> {
    if (!holdsToken) {
      await this.clipboard.write(command, null);
      return;
    }
    const { clipboardClearSeconds } = await this.preferences.read();
    await this.clipboard.write(
      command,
      clipboardClearSeconds > 0 ? clipboardClearSeconds * 1000 : null,
      { conceal: true },
    );
    this.logger.info('token copied inside a curl command by the user', { account: accountId });
  }
}

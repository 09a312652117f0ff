import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AccountEdits } from './account-edits';
import { AccountFeed } from './account-feed';
import { Accounts } from './accounts';
import type {
  ApiDiscovery,
  AppInfo,
  ConnectArgs,
  ExchangeArgs,
  NetworkSettingsInput,
  NetworkView,
  CurlOptions,
  PresetSummary,
  ProviderEditPreview,
  ProviderFile,
  ProviderSummary,
  RequestSpec,
  SaveProviderArgs,
  ServiceCalls,
  ServiceEventSource,
  VaultStatus,
} from './api';
import {
  RequestRunner,
  createVaultHistoryStore,
  exportCurl,
  type ConsoleContext,
  type HistoryStore,
} from './console';
import { INTROSPECTION_CACHE_FOLDER } from './data-dir';
import { EventBus } from './event-bus';
import { TokenExchanges } from './exchanges';
import { ProviderResolver } from './flows';
import { TokenManager, createVaultLifecycleStore, type FreshToken } from './lifecycle';
import { createLogger, type Logger } from './log';
import type { AccountSummary, StoredAccount } from './model';
import { createNodeTransport, type Transport } from './net';
import { NetworkSettingsStore } from './network';
import {
  systemClock,
  type BrowserOpener,
  type Clipboard,
  type Clock,
  type KeychainPort,
  type PowerEvents,
} from './ports';
import { parseProviderFile } from './provider-file';
import { discoverFromApi, type ProviderProfile, type ProviderProfileInput } from './providers';
import { createProviderRecords, readAccount, readProvider } from './records';
import { SavedProviders, presetProfile, presetSummaries } from './saved-providers';
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

/** What runs on an open vault. */
interface Unlocked {
  manager: TokenManager;
  runner: RequestRunner;
  history: HistoryStore;
  providers: SavedProviders;
  accounts: Accounts;
  edits: AccountEdits;
  feed: AccountFeed;
  exchanges: TokenExchanges;
  network: NetworkSettingsStore;
  discoverApi(url: string, id: string): Promise<ApiDiscovery>;
  context(accountId: string): Promise<ConsoleContext>;
  stopFeed(): void;
}

class Service implements TokendeckService {
  readonly dataDir: string;
  readonly session: VaultSession;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly bus: EventBus;
  private readonly transport: Transport;
  private parts: Unlocked | null = null;

  constructor(private readonly options: ServiceOptions) {
    this.dataDir = options.dataDir;
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    this.logger =
      options.logger ?? createLogger({ file: join(this.dataDir, 'logs', 'tokendeck.log') });
    this.clock = options.clock ?? systemClock;
    this.bus = new EventBus(this.logger);
    this.transport = options.transport ?? createNodeTransport();
    this.session = new VaultSession({
      dataDir: this.dataDir,
      ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
      ...(options.keychain ? { keychain: options.keychain } : {}),
      ...(options.scryptN ? { scryptN: options.scryptN } : {}),
      logger: this.logger,
      clock: this.clock,
      watch: options.schedule ?? true,
      onUnlock: (vault) => this.assemble(vault),
      onDiskChange: () => {
        void this.parts?.network.apply();
        void this.parts?.feed.follow();
      },
      onStatus: (status) => this.bus.emit('vaultStatusChanged', status),
    });
  }

  /** Builds the parts that run on an open vault, and starts the token manager. */
  private async assemble(vault: Vault): Promise<void> {
    const { logger, clock, transport } = this;
    const fetch = transport.fetch.bind(transport);
    const network = new NetworkSettingsStore(vault, transport, logger);
    await network.apply();
    const resolver = new ProviderResolver({
      records: createProviderRecords(vault),
      logger,
      clock,
      fetch,
      ...(this.options.requestTimeoutMs ? { requestTimeoutMs: this.options.requestTimeoutMs } : {}),
    });
    // Bound once the manager exists: a child's renewal gets its parent's token from it.
    const later: { manager?: TokenManager } = {};
    const feedRef: { feed?: AccountFeed } = {};
    const exchanges = new TokenExchanges({
      vault,
      resolver,
      freshToken: (accountId, options) => later.manager!.getFreshToken(accountId, options),
      track: (accountId) => later.manager!.track(accountId),
      feed: { publish: (accountId) => feedRef.feed!.publish(accountId) },
      logger,
      clock,
      fetch,
    });
    const manager = new TokenManager({
      store: createVaultLifecycleStore(vault),
      renew: exchanges.renewer(resolver.renew),
      clock,
      logger,
      schedule: this.options.schedule ?? true,
      ...(this.options.power ? { power: this.options.power } : {}),
    });
    later.manager = manager;
    const context = async (accountId: string): Promise<ConsoleContext> => {
      const view = await vault.read();
      const account = readAccount(view, accountId);
      const { profile, discovered } = readProvider(view, account.providerId);
      const userinfo = discovered?.userinfo_endpoint;
      return {
        account,
        profile,
        ...(typeof userinfo === 'string' ? { userinfoEndpoint: userinfo } : {}),
      };
    };
    const history = createVaultHistoryStore(vault);
    const runner = new RequestRunner({
      tokens: manager,
      context,
      history,
      logger,
      cacheDir: join(this.dataDir, INTROSPECTION_CACHE_FOLDER),
      transport,
    });
    const feed = new AccountFeed({
      vault,
      status: (account) => manager.statusOf(account),
      recheck: () => manager.recheckAll(),
      bus: this.bus,
      logger,
    });
    feedRef.feed = feed;
    const accounts = new Accounts({
      vault,
      resolver,
      manager,
      feed,
      bus: this.bus,
      browser: this.options.browser,
      logger,
      clock,
      ...(this.options.flowTimeoutMs ? { flowTimeoutMs: this.options.flowTimeoutMs } : {}),
      fetch,
    });
    const edits = new AccountEdits({ vault, history, manager, feed, logger, clock });
    const providers = new SavedProviders(vault, logger, clock);
    const stopFeed = manager.onStatus((accountId) => void feed.publish(accountId));
    const discoverApi = (url: string, id: string) => discoverFromApi(url, id, { logger, fetch });
    this.parts = {
      ...{ manager, runner, history, providers, accounts, edits, feed, exchanges, network },
      ...{ discoverApi, context, stopFeed },
    };
    await manager.start();
  }

  private unlocked(): Unlocked {
    if (!this.parts) throw this.session.lockedError();
    return this.parts;
  }

  on: ServiceEventSource['on'] = (event, listener) => this.bus.on(event, listener);

  async close(): Promise<void> {
    this.parts?.accounts.cancelAll();
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

  async previewProviderEdit(arg: {
    profile: ProviderProfileInput;
    withNewSecret?: boolean;
  }): Promise<ProviderEditPreview> {
    return this.unlocked().providers.preview(arg.profile, arg.withNewSecret);
  }

  async exportProvider({ id }: { id: string }): Promise<ProviderFile> {
    return this.unlocked().providers.exportFile(id);
  }

  async parseProviderFile({ text }: { text: string }): Promise<ProviderProfile> {
    return parseProviderFile(text);
  }

  async discoverFromApi({ url, id }: { url: string; id: string }): Promise<ApiDiscovery> {
    return this.unlocked().discoverApi(url, id);
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

  async renewAccount({ accountId }: { accountId: string }): Promise<AccountSummary> {
    return this.unlocked().accounts.renew(accountId);
  }

  async removeAccount({ accountId }: { accountId: string }): Promise<{ revoked: boolean }> {
    return this.unlocked().accounts.remove(accountId);
  }

  async exchangeToken(arg: ExchangeArgs): Promise<{ accountId: string }> {
    return this.unlocked().exchanges.exchange(arg);
  }

  async renameAccount(arg: { accountId: string; label: string }): Promise<AccountSummary> {
    return this.unlocked().edits.rename(arg.accountId, arg.label);
  }

  async mergeAccounts(arg: { keepId: string; otherId: string }): Promise<AccountSummary> {
    return this.unlocked().edits.merge(arg.keepId, arg.otherId);
  }

  async setDefaultAccount({ accountId }: { accountId: string }): Promise<AccountSummary> {
    return this.unlocked().edits.setDefault(accountId);
  }

  getFreshToken(accountId: string, options: { minTtlMs?: number } = {}): Promise<FreshToken> {
    return this.unlocked().accounts.freshToken(accountId, options);
  }

  async getVerifiedToken(
    accountId: string,
    options: { minTtlMs?: number } = {},
  ): Promise<FreshToken> {
    await this.unlocked().runner.verify(accountId);
    return this.getFreshToken(accountId, options);
  }

  async copyToken({ accountId }: { accountId: string }): Promise<{ expiresAt: number | null }> {
    const fresh = await this.getFreshToken(accountId);
    this.options.clipboard.writeText(fresh.accessToken);
    return { expiresAt: fresh.expiresAt };
  }

  async revealToken({ accountId }: { accountId: string }): Promise<{ token: string }> {
    const fresh = await this.getFreshToken(accountId);
    this.logger.info('token revealed by the user', { account: accountId });
    return { token: fresh.accessToken };
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

  // ---------------------------------------------------------------- network

  async getNetworkSettings(): Promise<NetworkView> {
    return this.unlocked().network.view();
  }

  async setNetworkSettings(arg: NetworkSettingsInput): Promise<NetworkView> {
    return this.unlocked().network.set(arg);
  }

  async exportCurl(arg: {
    spec: RequestSpec;
    options?: CurlOptions;
  }): Promise<{ command: string }> {
    const { context, manager } = this.unlocked();
    return { command: await exportCurl(arg.spec, arg.options, { context, tokens: manager }) };
  }
}

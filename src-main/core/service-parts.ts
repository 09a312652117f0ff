import { join } from 'node:path';
import type { AccountEdits } from './account-edits';
import { AccountFeed } from './account-feed';
import { resolveAccount } from './account-refs';
import type { Accounts } from './accounts';
import type { ConsoleContext, ConsoleLibrary, HistoryStore, RequestRunner } from './console';
import { INTROSPECTION_CACHE_FOLDER } from './data-dir';
import type { EventBus } from './event-bus';
import type { TokenExchanges } from './exchanges';
import type { ProviderResolver } from './flows';
import { TokenManager, createVaultLifecycleStore, type FreshToken } from './lifecycle';
import type { Logger } from './log';
import type { ApiDiscovery } from './api';
import type { StoredAccount } from './model';
import type { Transport } from './net';
import type { NetworkSettingsStore } from './network';
import type { BrowserOpener, Clock, PowerEvents } from './ports';
import type { ClipboardGuard } from './clipboard-guard';
import type { Settings } from './settings';
import type { TokenHandout } from './token-handout';
import {
  createProviderRecords,
  historyRecord,
  listAccounts,
  readAccount,
  readProvider,
} from './records';
import type { SavedProviders } from './saved-providers';
import type { Vault } from './vault';

/**
 * What runs on an open vault, built when it unlocks.
 *
 * The token manager and the account feed are built at once. The parts that carry the protocol
 * code (the provider resolver and its flows, the accounts' sign-ins and edits, the saved
 * providers with their presets, edits and profile files, the request console and its history,
 * token exchange, and the transport with the data folder's network settings) are loaded on first
 * use, so a command that only reads a fresh token, such as `tokendeck token`, does not load them.
 */
export interface ServiceParts {
  manager: TokenManager;
  history(): Promise<HistoryStore>;
  feed: AccountFeed;
  context(accountId: string): Promise<ConsoleContext>;
  /** An account by id, by provider (its default or only account), or by unique label. */
  find(reference: string): Promise<StoredAccount>;
  /**
   * The one way to get a token, through the lifecycle. An account still unnamed is named now,
   * when its "who am I" is due again (only then are the sign-in parts loaded).
   */
  freshToken(accountId: string, options?: { minTtlMs?: number }): Promise<FreshToken>;
  accounts(): Promise<Accounts>;
  edits(): Promise<AccountEdits>;
  providers(): Promise<SavedProviders>;
  runner(): Promise<RequestRunner>;
  /** The providers' saved requests and environments. */
  library(): Promise<ConsoleLibrary>;
  /** Copy and reveal: the token handed to the clipboard or shown once. */
  handout(): Promise<TokenHandout>;
  /** The accounts part, if it was ever built (for cancelling sign-ins). */
  builtAccounts(): Accounts | null;
  /** Token exchange (RFC 8693): children that renew by exchanging again. */
  exchanges(): Promise<TokenExchanges>;
  /** The data folder's proxy and extra CA, applied to the transport before its first request. */
  network(): Promise<NetworkSettingsStore>;
  /** The transport, with the network settings applied. */
  transport(): Promise<Transport>;
  /** Applies the network settings again (they changed on disk), if the transport is in use. */
  reapplyNetwork(): void;
  /** Finds how to connect to an API from its URL (RFC 9728). */
  discoverApi(url: string, id: string): Promise<ApiDiscovery>;
  stop(): void;
}

export interface PartsOptions {
  dataDir: string;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  browser: BrowserOpener;
  schedule: boolean;
  power?: PowerEvents;
  flowTimeoutMs?: number;
  /** How long one token-endpoint request of a renewal may take. */
  requestTimeoutMs?: number;
  clipboard: ClipboardGuard;
  settings(): Promise<Settings>;
  /** How requests go out; the Node transport when not given. */
  transport?: Transport;
}

/** Memoizes an async factory: built once, on the first call. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export async function assembleParts(vault: Vault, options: PartsOptions): Promise<ServiceParts> {
  const { logger, clock, bus } = options;
  let networkBuilt: NetworkSettingsStore | null = null;
  const network = once(async () => {
    const [{ createNodeTransport }, { NetworkSettingsStore }] = await Promise.all([
      import('./net'),
      import('./network'),
    ]);
    const store = new NetworkSettingsStore(
      vault,
      options.transport ?? createNodeTransport(),
      logger,
    );
    await store.apply();
    networkBuilt = store;
    return store;
  });
  const transport = async (): Promise<Transport> => (await network()).transport;
  const fetch = async (url: string, init: RequestInit): Promise<Response> =>
    (await transport()).fetch(url, init);
  const resolver = once(async (): Promise<ProviderResolver> => {
    const { ProviderResolver } = await import('./flows');
    return new ProviderResolver({
      records: createProviderRecords(vault),
      logger,
      clock,
      fetch,
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    });
  });
  // Bound once the manager exists: a child's renewal gets its parent's token from it.
  const late: { manager?: TokenManager; feed?: AccountFeed } = {};
  const exchanges = once(async () => {
    const { TokenExchanges } = await import('./exchanges');
    return new TokenExchanges({
      vault,
      resolver: await resolver(),
      freshToken: (accountId, ttl) => late.manager!.getFreshToken(accountId, ttl),
      track: (accountId) => late.manager!.track(accountId),
      feed: { publish: (accountId) => late.feed!.publish(accountId) },
      logger,
      clock,
      fetch,
    });
  });
  const manager = new TokenManager({
    store: createVaultLifecycleStore(vault),
    renew: async (account, tokens, signal) => {
      const flows = await resolver();
      if (!account.exchange) return flows.renew(account, tokens, signal);
      return (await exchanges()).renewer(flows.renew)(account, tokens, signal);
    },
    clock,
    logger,
    schedule: options.schedule,
    ...(options.power ? { power: options.power } : {}),
  });
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
  const history = once(async () => (await import('./console')).createHistoryStore(vault));
  // History an earlier version kept in the vault file leaves it at unlock, so commands that only
  // parse `vault.json` never parse it; the console code loads only when there is some to move.
  const view = await vault.read();
  const kept = listAccounts(view)
    .map((account) => account.id)
    .filter((id) => view.hasSecret(historyRecord(id)));
  if (kept.length > 0) await (await import('./console')).moveVaultHistory(vault, kept);
  const feed = new AccountFeed({
    vault,
    status: (account) => manager.statusOf(account),
    recheck: () => manager.recheckAll(),
    bus,
    logger,
  });
  late.manager = manager;
  late.feed = feed;
  let built: Accounts | null = null;
  const accounts = once(async () => {
    const [{ Accounts }, flows] = await Promise.all([import('./accounts'), resolver()]);
    built = new Accounts({
      vault,
      resolver: flows,
      manager,
      feed,
      history: await history(),
      bus,
      browser: options.browser,
      logger,
      clock,
      ...(options.flowTimeoutMs ? { flowTimeoutMs: options.flowTimeoutMs } : {}),
      fetch,
    });
    return built;
  });
  const edits = once(async () => {
    const { AccountEdits } = await import('./account-edits');
    return new AccountEdits({ vault, history: await history(), manager, feed, logger, clock });
  });
  const freshToken = async (accountId: string, ttl: { minTtlMs?: number } = {}) => {
    const fresh = await manager.getFreshToken(accountId, ttl);
    const naming = fresh.account.naming;
    if (naming && (naming.retryAt === null || naming.retryAt <= clock.now())) {
      await (await accounts()).nameNow(fresh);
    }
    return fresh;
  };
  const library = once(async () => new (await import('./console')).ConsoleLibrary(vault, clock));
  const providers = once(async () => {
    const { SavedProviders } = await import('./saved-providers');
    return new SavedProviders(vault, logger, clock, async (id) => {
      built?.cancel(id);
      await (await library()).forgetProvider(id);
    });
  });
  const runner = once(async () => {
    const { RequestRunner } = await import('./console');
    return new RequestRunner({
      tokens: manager,
      context,
      history: await history(),
      environment: async (providerId) => (await library()).variables(providerId),
      logger,
      cacheDir: join(options.dataDir, INTROSPECTION_CACHE_FOLDER),
      transport: await transport(),
    });
  });
  const handout = once(async () => {
    const { TokenHandout } = await import('./token-handout');
    return new TokenHandout({
      vault,
      tokens: { freshToken },
      settings: options.settings,
      clipboard: options.clipboard,
      logger,
    });
  });
  const stopFeed = manager.onStatus((accountId) => void feed.publish(accountId));
  await manager.start();
  return {
    manager,
    history,
    feed,
    context,
    find: async (reference) => resolveAccount(await vault.read(), reference),
    freshToken,
    accounts,
    edits,
    providers,
    runner,
    library,
    handout,
    builtAccounts: () => built,
    exchanges,
    network,
    transport,
    reapplyNetwork: () => void networkBuilt?.apply(),
    discoverApi: async (url, id) =>
      (await import('./providers')).discoverFromApi(url, id, { logger, fetch }),
    stop: stopFeed,
  };
}

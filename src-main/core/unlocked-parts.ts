import { join } from 'node:path';
import { AccountEdits } from './account-edits';
import { AccountFeed } from './account-feed';
import { Accounts } from './accounts';
import type { ClipboardGuard } from './clipboard-guard';
import {
  RequestRunner,
  createVaultHistoryStore,
  type ConsoleContext,
  type HistoryStore,
} from './console';
import { INTROSPECTION_CACHE_FOLDER } from './data-dir';
import type { EventBus } from './event-bus';
import { ProviderResolver } from './flows';
import { TokenManager, createVaultLifecycleStore } from './lifecycle';
import type { Logger } from './log';
import type { BrowserOpener, Clock, PowerEvents } from './ports';
import { createProviderRecords, readAccount, readProvider } from './records';
import { SavedProviders } from './saved-providers';
import type { Settings } from './settings';
import { TokenHandout } from './token-handout';
import type { Vault } from './vault';

/** What the parts on an open vault take from the service that builds them. */
export interface PartsOptions {
  dataDir: string;
  logger: Logger;
  clock: Clock;
  bus: EventBus;
  browser: BrowserOpener;
  power?: PowerEvents;
  /** Background renewal timers (the app); the CLI renews on demand only. */
  schedule: boolean;
  flowTimeoutMs?: number;
  /** How long one token-endpoint request of a renewal may take (default 30 s). */
  requestTimeoutMs?: number;
  clipboard: ClipboardGuard;
  settings(): Promise<Settings>;
}

/** What runs on an open vault. */
export interface UnlockedParts {
  manager: TokenManager;
  runner: RequestRunner;
  history: HistoryStore;
  providers: SavedProviders;
  accounts: Accounts;
  edits: AccountEdits;
  feed: AccountFeed;
  handout: TokenHandout;
  context(accountId: string): Promise<ConsoleContext>;
  stopFeed(): void;
}

/**
 * Builds the parts that need an open vault: the provider resolver, the token manager, the request
 * console, the saved providers, the accounts, their edits and their feed, and the token handout (copy and
 * reveal). The caller starts the token manager.
 */
export function assembleParts(vault: Vault, options: PartsOptions): UnlockedParts {
  const { logger, clock, bus } = options;
  const resolver = new ProviderResolver({
    records: createProviderRecords(vault),
    logger,
    clock,
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  const manager = new TokenManager({
    store: createVaultLifecycleStore(vault),
    renew: resolver.renew,
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
  const history = createVaultHistoryStore(vault);
  const runner = new RequestRunner({
    tokens: manager,
    context,
    history,
    logger,
    cacheDir: join(options.dataDir, INTROSPECTION_CACHE_FOLDER),
  });
  const feed = new AccountFeed({
    vault,
    status: (account) => manager.statusOf(account),
    recheck: () => manager.recheckAll(),
    bus,
    logger,
  });
  const accounts = new Accounts({
    vault,
    resolver,
    manager,
    feed,
    bus,
    browser: options.browser,
    logger,
    clock,
    ...(options.flowTimeoutMs ? { flowTimeoutMs: options.flowTimeoutMs } : {}),
  });
  const edits = new AccountEdits({ vault, history, manager, feed, logger, clock });
  const providers = new SavedProviders(vault, logger, clock);
  const handout = new TokenHandout({
    vault,
    tokens: accounts,
    settings: options.settings,
    clipboard: options.clipboard,
    logger,
  });
  const stopFeed = manager.onStatus((accountId) => void feed.publish(accountId));
  return {
    manager,
    runner,
    history,
    providers,
    accounts,
    edits,
    feed,
    handout,
    context,
    stopFeed,
  };
}

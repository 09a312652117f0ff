import type { AccountFeed } from './account-feed';
import type { ExchangeArgs } from './api';
import { CR_LF_NUL } from './providers';
import { TokendeckError, isTokendeckError } from './errors';
import { exchangeToken, type ProviderResolver } from './flows';
import type { FreshToken, Renewer } from './lifecycle';
import type { Logger } from './log';
import type { ExchangeOrigin, StoredAccount, StoredTokens, TokenSet } from './model';
import type { Clock } from './ports';
import type { FetchLike } from './providers';
import {
  findAccount,
  listAccounts,
  newAccountId,
  putAccount,
  readAccount,
  readTokens,
  writeTokens,
  type RecordsVault,
} from './records';
import { tokenFields } from './sign-ins';
import type { VaultReader } from './vault';

export interface TokenExchangesOptions {
  vault: RecordsVault;
  resolver: ProviderResolver;
  /** The lifecycle's `getFreshToken` (bound late: the manager is built with this renewer). */
  freshToken(accountId: string, options: { signal?: AbortSignal }): Promise<FreshToken>;
  /** The lifecycle's `track`, for a child made or refreshed. */
  track(accountId: string): Promise<void>;
  feed: Pick<AccountFeed, 'publish'>;
  logger: Logger;
  clock: Clock;
  fetch?: FetchLike;
}

/** Errors of a parent that only the user can fix; its children then need the user too. */
const PARENT_NEEDS_USER = new Set([
  'needs_reauth',
  'cannot_renew',
  'invalid_grant',
  'invalid_client',
]);

/**
 * Token exchange children (RFC 8693): accounts made by trading a parent account's token for one
 * meant for another audience.
 *
 * A child belongs to its parent's provider and keeps where it came from (`exchange`); it renews
 * by exchanging the parent's fresh token again, never with a refresh token of its own. When the
 * parent needs the user, the child's next renewal fails and the child needs the user too, with a
 * reason that names the parent. Removing the parent removes its children (see accounts.ts).
 */
export class TokenExchanges {
  constructor(private readonly options: TokenExchangesOptions) {}

  /**
   * Exchanges the account's token and stores the result as a child. An existing child of the
   * same parent, audience, scopes and resource is refreshed instead of duplicated, which is how a
   * child that needed the user is brought back.
   */
  async exchange(args: ExchangeArgs): Promise<{ accountId: string }> {
    const { vault, clock, logger } = this.options;
    const origin = checkOrigin(args);
    const view = await vault.read();
    const parent = readAccount(view, origin.parentId);
    const existing = sameChild(view, origin);
    const previous = existing ? optionalTokens(view, existing.id) : undefined;
    const tokens = await this.trade(parent, origin, previous);
    const accountId = await vault.update((tx) => {
      const now = clock.now();
      const current = existing ? findAccount(tx, existing.id) : undefined;
      const child: StoredAccount = current
        ? { ...current, ...tokenFields(tokens), updatedAt: now }
        : {
            id: newAccountId(parent.providerId, (id) => findAccount(tx, id) !== undefined),
            providerId: parent.providerId,
            subject: null,
            label: `${parent.label} → ${origin.audience}`,
            grant: parent.grant,
            ...tokenFields(tokens),
            hasRefreshToken: false,
            createdAt: now,
            updatedAt: now,
            exchange: origin,
          };
      delete child.reauthReason;
      putAccount(tx, child);
      writeTokens(tx, child.id, tokens);
      return child.id;
    });
    logger.info('token exchange child stored', { parent: parent.id, account: accountId });
    await this.options.track(accountId);
    await this.options.feed.publish(accountId);
    return { accountId };
  }

  /** The lifecycle's renewer: children exchange again, every other account renews as `base`. */
  renewer(base: Renewer): Renewer {
    return (account, tokens, signal) =>
      account.exchange
        ? this.renew(account, account.exchange, tokens, signal)
        : base(account, tokens, signal);
  }

  private async renew(
    child: StoredAccount,
    origin: ExchangeOrigin,
    tokens: StoredTokens,
    signal: AbortSignal,
  ): Promise<TokenSet> {
    const parent = findAccount(await this.options.vault.read(), origin.parentId);
    if (!parent) {
      throw new TokendeckError(
        'invalid_grant',
        `The account this token was exchanged from is gone; exchange a token for ${origin.audience} again.`,
        { details: { accountId: child.id, parentId: origin.parentId, transient: false } },
      );
    }
    return this.trade(parent, origin, tokens, signal);
  }

  /** Gets the parent's fresh token and exchanges it. */
  private async trade(
    parent: StoredAccount,
    origin: ExchangeOrigin,
    previous: StoredTokens | undefined,
    signal?: AbortSignal,
  ): Promise<TokenSet> {
    let subject: FreshToken;
    try {
      subject = await this.options.freshToken(parent.id, signal ? { signal } : {});
    } catch (error) {
      if (isTokendeckError(error) && PARENT_NEEDS_USER.has(error.code)) {
        throw new TokendeckError(
          'invalid_grant',
          `The account this token was exchanged from (${parent.label}) needs you to connect it again; then exchange again.`,
          { cause: error, details: { parentId: parent.id, transient: false } },
        );
      }
      throw error;
    }
    const resolved = await this.options.resolver.resolve(
      parent.providerId,
      signal ? { signal } : {},
    );
    const { logger, clock, fetch } = this.options;
    return exchangeToken(
      resolved,
      {
        subjectToken: subject.accessToken,
        audience: origin.audience,
        scopes: origin.scopes,
        resource: origin.resource,
        dpopKey: previous?.dpopKey,
      },
      { logger, clock, ...(fetch ? { fetch } : {}), ...(signal ? { signal } : {}) },
    );
  }
}

/** Every account exchanged from this one, directly or not, deepest first. */
export function descendantsOf(view: VaultReader, accountId: string): string[] {
  const accounts = listAccounts(view);
  const out: string[] = [];
  const visit = (id: string, depth: number) => {
    if (depth > 16) return;
    for (const child of accounts.filter((account) => account.exchange?.parentId === id)) {
      visit(child.id, depth + 1);
      out.push(child.id);
    }
  };
  visit(accountId, 0);
  return out;
}

/** Checks what the user asked for: an audience, scope tokens, an absolute resource URI. */
function checkOrigin(args: ExchangeArgs): ExchangeOrigin {
  const audience = args.audience.trim();
  if (!audience || audience.length > 2048 || CR_LF_NUL.test(audience)) {
    throw new TokendeckError('invalid_input', 'The audience must be a non-empty line of text.', {
      details: { field: 'audience' },
    });
  }
  const scopes = [...new Set(args.scopes ?? [])].sort();
  if (scopes.some((scope) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope))) {
    throw new TokendeckError('invalid_input', 'A scope holds a character scopes may not hold.', {
      details: { field: 'scope' },
    });
  }
  const resource = args.resource?.trim();
  if (resource !== undefined && (!URL.canParse(resource) || new URL(resource).hash)) {
    throw new TokendeckError(
      'invalid_input',
      'The resource must be an absolute URI without a fragment (RFC 8707 §2).',
      { details: { field: 'resource' } },
    );
  }
  return { parentId: args.accountId, audience, scopes, ...(resource ? { resource } : {}) };
}

function sameChild(view: VaultReader, origin: ExchangeOrigin): StoredAccount | undefined {
  return listAccounts(view).find(
    (account) =>
      account.exchange?.parentId === origin.parentId &&
      account.exchange.audience === origin.audience &&
      account.exchange.resource === origin.resource &&
      account.exchange.scopes.join(' ') === origin.scopes.join(' '),
  );
}

function optionalTokens(view: VaultReader, accountId: string): StoredTokens | undefined {
  try {
    return readTokens(view, accountId);
  } catch {
    return undefined;
  }
}

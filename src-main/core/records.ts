import { randomBytes } from 'node:crypto';
import { TokendeckError } from './errors';
import { tryParseJson } from './json';
import { forgetSecretsOf, keepSecret, registerSecret } from './log';
import { GRANT_TYPES, type PrivateJwk, type StoredAccount, type StoredTokens } from './model';
import type { ProviderProfile } from './providers';
import type { JsonValue, VaultReader, VaultTransaction } from './vault';

/**
 * The vault layout, and the one reader and writer of its records.
 *
 * Readable metadata: providers (profile, registration, discovered metadata) and accounts (label,
 * expiry, scopes). Sealed records: tokens, client secrets, registration access tokens, history.
 * Every other module reaches the vault's contents through these helpers, so the layout is written
 * down once and every fault has one error: a missing record is `not_found` (a provider or an
 * account) or `needs_reauth` (an account's tokens), and a malformed one is `vault_corrupt`.
 */
export const PROVIDERS = 'providers';
export const ACCOUNTS = 'accounts';

export const tokensRecord = (accountId: string): string => `tokens:${accountId}`;
export const clientSecretRecord = (providerId: string): string => `client-secret:${providerId}`;
/** The private key a provider's client signs `private_key_jwt` assertions with, as a JWK. */
export const clientKeyRecord = (providerId: string): string => `client-key:${providerId}`;
export const registrationTokenRecord = (providerId: string): string =>
  `registration-token:${providerId}`;
export const historyRecord = (accountId: string): string => `history:${accountId}`;

/** A client registered for us by RFC 7591 dynamic registration, kept so it happens once. */
export interface StoredRegistration {
  clientId: string;
  /** The issuer or registration endpoint it was registered at; a change invalidates it. */
  registeredAt: string;
  redirectUris: string[];
  createdAt: number;
}

export interface StoredProvider {
  profile: ProviderProfile;
  registration?: StoredRegistration;
  /** Authorization server metadata from the last discovery (RFC 8414 / OIDC), for renewals. */
  discovered?: Record<string, JsonValue>;
  /** The account a bare provider name means (`tokendeck token <provider>`), set by the user. */
  defaultAccount?: string;
  updatedAt: number;
}

/**
 * The checks on stored records: hand-written rather than a schema library, because they run on
 * every token read and `tokendeck token` should not pay for loading one.
 */
type Check = (value: unknown) => boolean;
const isString =
  (min = 0): Check =>
  (value) =>
    typeof value === 'string' && value.length >= min;
const isNumber: Check = (value) => typeof value === 'number' && !Number.isNaN(value);
const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined || check(value);

/** Checks each named field; other fields are left as they are. */
function hasShape(value: unknown, shape: Record<string, Check>): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(shape).every(([field, check]) => check(record[field]));
}

/** An object whose every value is a string: a JWK as stored. */
const isStringRecord: Check = (value) =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((field) => typeof field === 'string');

/** Loose: fields a later version adds survive a rewrite of the record. */
const STORED_ACCOUNT: Record<string, Check> = {
  id: isString(1),
  providerId: isString(1),
  subject: (value) => value === null || isString()(value),
  identifiedBy: optional(isString()),
  label: isString(),
  labelByUser: optional((value) => typeof value === 'boolean'),
  naming: optional((value) =>
    hasShape(value, { problem: isString(), retryAt: (at) => at === null || isNumber(at) }),
  ),
  grant: (value) => (GRANT_TYPES as readonly unknown[]).includes(value),
  tokenType: isString(),
  scopes: (value) => Array.isArray(value) && value.every(isString()),
  expiresAt: (value) => value === null || isNumber(value),
  receivedAt: isNumber,
  hasRefreshToken: (value) => typeof value === 'boolean',
  createdAt: isNumber,
  updatedAt: isNumber,
  reauthReason: optional(isString()),
  exchange: optional((value) =>
    hasShape(value, {
      parentId: isString(1),
      audience: isString(),
      scopes: (scopes) => Array.isArray(scopes) && scopes.every(isString()),
      resource: optional(isString()),
    }),
  ),
};

const STORED_TOKENS: Record<string, Check> = {
  accessToken: isString(1),
  refreshToken: optional(isString(1)),
  idToken: optional(isString(1)),
  dpopKey: optional(isStringRecord),
};

export function readProvider(view: VaultReader, id: string): StoredProvider {
  const provider = view.get(PROVIDERS, id) as StoredProvider | undefined;
  if (!provider) throw new TokendeckError('not_found', `No provider named "${id}".`);
  return provider;
}

export function listProviders(view: VaultReader): StoredProvider[] {
  return view.list(PROVIDERS).map(([, value]) => value as unknown as StoredProvider);
}

export function putProvider(tx: VaultTransaction, provider: StoredProvider): void {
  tx.put(PROVIDERS, provider.profile.id, provider as unknown as JsonValue);
}

/** The account, checked against its schema; `not_found` when absent. */
export function readAccount(view: VaultReader, id: string): StoredAccount {
  const value = view.get<JsonValue>(ACCOUNTS, id);
  if (value === undefined) {
    throw new TokendeckError('not_found', `No account "${id}".`, { details: { accountId: id } });
  }
  return parseAccount(id, value);
}

/** The account, or undefined when absent; a malformed record is still `vault_corrupt`. */
export function findAccount(view: VaultReader, id: string): StoredAccount | undefined {
  const value = view.get<JsonValue>(ACCOUNTS, id);
  return value === undefined ? undefined : parseAccount(id, value);
}

export function listAccounts(view: VaultReader): StoredAccount[] {
  return view.list<JsonValue>(ACCOUNTS).map(([id, value]) => parseAccount(id, value));
}

export function putAccount(tx: VaultTransaction, account: StoredAccount): void {
  tx.put(ACCOUNTS, account.id, account as unknown as JsonValue);
}

/** Deletes an account with its tokens and its request history. */
export function deleteAccount(tx: VaultTransaction, accountId: string): void {
  tx.delete(ACCOUNTS, accountId);
  tx.deleteSecret(tokensRecord(accountId));
  tx.deleteSecret(historyRecord(accountId));
}

/** The accounts of one provider. */
export function accountsOf(view: VaultReader, providerId: string): StoredAccount[] {
  return listAccounts(view).filter((account) => account.providerId === providerId);
}

/** The account's tokens: `needs_reauth` when there are none, `vault_corrupt` when malformed. */
export function readTokens(view: VaultReader, accountId: string): StoredTokens {
  const text = view.getSecret(tokensRecord(accountId));
  if (text === undefined) {
    throw new TokendeckError(
      'needs_reauth',
      'This account has no stored token. Connect it again.',
      { details: { accountId } },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw malformed("An account's token record is malformed.", accountId, error);
  }
  if (!hasShape(value, STORED_TOKENS)) {
    throw malformed("An account's token record is malformed.", accountId);
  }
  const tokens: StoredTokens = { accessToken: value.accessToken as string };
  if (value.refreshToken !== undefined) tokens.refreshToken = value.refreshToken as string;
  if (value.idToken !== undefined) tokens.idToken = value.idToken as string;
  if (value.dpopKey !== undefined) tokens.dpopKey = value.dpopKey as unknown as PrivateJwk;
  scrubTokens(view, accountId, tokens);
  return tokens;
}

export function writeTokens(tx: VaultTransaction, accountId: string, tokens: StoredTokens): void {
  const record: StoredTokens = { accessToken: tokens.accessToken };
  if (tokens.refreshToken) record.refreshToken = tokens.refreshToken;
  if (tokens.idToken) record.idToken = tokens.idToken;
  if (tokens.dpopKey) record.dpopKey = tokens.dpopKey;
  scrubTokens(tx, accountId, record);
  tx.putSecret(tokensRecord(accountId), JSON.stringify(record));
}

/** The provider's `private_key_jwt` key, or undefined; a malformed record is `vault_corrupt`. */
export function readClientKey(view: VaultReader, providerId: string): PrivateJwk | undefined {
  const text = view.getSecret(clientKeyRecord(providerId));
  if (text === undefined) return undefined;
  const parsed = tryParseJson(text);
  if (!isStringRecord(parsed)) {
    throw new TokendeckError('vault_corrupt', "A provider's client key record is malformed.", {
      details: { providerId },
    });
  }
  return parsed as PrivateJwk;
}

const accountOwner = (accountId: string) => `account:${accountId}`;

/**
 * Registers an account's tokens with the log scrubber (SECURITY 48).
 *
 * The refresh token, the DPoP private key, and an access token that never expires (an API key, a
 * token issued without an expiry), are kept for as long as the account exists; an expiring access
 * token and the ID token are forgettable, oldest first.
 */
function scrubTokens(view: VaultReader, accountId: string, tokens: StoredTokens): void {
  const owner = accountOwner(accountId);
  keepSecret(owner, tokens.refreshToken);
  keepSecret(owner, tokens.dpopKey?.d);
  const account = view.get<Record<string, JsonValue>>(ACCOUNTS, accountId);
  if (account?.grant === 'api_key' || account?.expiresAt === null) {
    keepSecret(owner, tokens.accessToken);
  } else {
    registerSecret(tokens.accessToken);
  }
  registerSecret(tokens.idToken);
}

/** The account was removed: the scrubber may forget its refresh token and API key. */
export function forgetAccountSecrets(accountId: string): void {
  forgetSecretsOf(accountOwner(accountId));
}

/** RFC 4648 base32, lower case: short, shell-safe, and never ambiguous with the separator. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const ACCOUNT_ID_CHARS = 20;

/**
 * A new account id, `<provider>-<20 base32 characters>` (100 random bits), unique by construction
 * (SECURITY 43): an id already taken is drawn again, so no account can overwrite another.
 *
 * Ids made by earlier versions (a hash of the subject) stay as they are.
 */
export function newAccountId(providerId: string, taken: (id: string) => boolean): string {
  for (;;) {
    const bytes = randomBytes(ACCOUNT_ID_CHARS);
    let suffix = '';
    for (const byte of bytes) suffix += BASE32[byte & 31];
    const id = `${providerId}-${suffix}`;
    if (!taken(id)) return id;
  }
}

function parseAccount(accountId: string, value: JsonValue): StoredAccount {
  if (!hasShape(value, STORED_ACCOUNT)) {
    throw malformed('An account record in the vault is malformed.', accountId);
  }
  return { ...value } as unknown as StoredAccount;
}

function malformed(message: string, accountId: string, cause?: unknown): TokendeckError {
  return new TokendeckError('vault_corrupt', message, { cause, details: { accountId } });
}

/** The two vault calls the record adapters need; the `Vault` class satisfies it. */
export interface RecordsVault {
  read(): Promise<VaultReader>;
  update<T>(fn: (tx: VaultTransaction) => T): Promise<T>;
}

/** The provider records a provider resolver reads and writes, over the vault. */
export function createProviderRecords(vault: RecordsVault) {
  return {
    async load(providerId: string) {
      const view = await vault.read();
      const provider = readProvider(view, providerId);
      const clientSecret = view.getSecret(clientSecretRecord(providerId));
      const clientKey = readClientKey(view, providerId);
      keepSecret(`provider:${providerId}`, clientSecret);
      keepSecret(`provider:${providerId}`, clientKey?.d);
      return {
        provider,
        ...(clientSecret ? { clientSecret } : {}),
        ...(clientKey ? { clientKey } : {}),
      };
    },

    async saveDiscovery(providerId: string, discovered: Record<string, JsonValue>) {
      await vault.update((tx) => {
        const current = tx.get(PROVIDERS, providerId) as StoredProvider | undefined;
        if (current) putProvider(tx, { ...current, discovered });
      });
    },

    async saveRegistration(
      provider: StoredProvider,
      secrets: { clientSecret?: string; registrationAccessToken?: string },
    ) {
      const id = provider.profile.id;
      await vault.update((tx) => {
        putProvider(tx, provider);
        if (secrets.registrationAccessToken) {
          tx.putSecret(registrationTokenRecord(id), secrets.registrationAccessToken);
        }
        if (secrets.clientSecret) tx.putSecret(clientSecretRecord(id), secrets.clientSecret);
      });
    },
  };
}

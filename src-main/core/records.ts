import { createHash, randomBytes } from 'node:crypto';
import { TokendeckError } from './errors';
import type { StoredAccount, StoredTokens } from './model';
import type { ProviderProfile } from './providers';
import type { JsonValue, VaultReader, VaultTransaction } from './vault';

/**
 * The vault layout: which collection and which sealed record holds what.
 *
 * Readable metadata: providers (profile, registration, discovered metadata) and accounts (label,
 * expiry, scopes). Sealed records: tokens, client secrets, registration access tokens, history.
 * Every other module reaches the vault's contents through these helpers, so the layout is
 * written down once.
 */
export const PROVIDERS = 'providers';
export const ACCOUNTS = 'accounts';

export const tokensRecord = (accountId: string): string => `tokens:${accountId}`;
export const clientSecretRecord = (providerId: string): string => `client-secret:${providerId}`;
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
  updatedAt: number;
}

export function readProvider(view: VaultReader, id: string): StoredProvider {
  const provider = view.get(PROVIDERS, id) as StoredProvider | undefined;
  if (!provider) throw new TokendeckError('not_found', `No provider named "${id}".`);
  return provider;
}

export function readAccount(view: VaultReader, id: string): StoredAccount {
  const account = view.get(ACCOUNTS, id) as StoredAccount | undefined;
  if (!account) throw new TokendeckError('not_found', `No account "${id}".`);
  return account;
}

export function listProviders(view: VaultReader): StoredProvider[] {
  return view.list(PROVIDERS).map(([, value]) => value as unknown as StoredProvider);
}

export function listAccounts(view: VaultReader): StoredAccount[] {
  return view.list(ACCOUNTS).map(([, value]) => value as unknown as StoredAccount);
}

export function readTokens(view: VaultReader, accountId: string): StoredTokens {
  const raw = view.getSecret(tokensRecord(accountId));
  if (raw === undefined) {
    throw new TokendeckError('needs_reauth', 'This account has no stored token. Connect it again.');
  }
  return JSON.parse(raw) as StoredTokens;
}

export function writeTokens(tx: VaultTransaction, accountId: string, tokens: StoredTokens): void {
  const record: StoredTokens = { accessToken: tokens.accessToken };
  if (tokens.refreshToken) record.refreshToken = tokens.refreshToken;
  if (tokens.idToken) record.idToken = tokens.idToken;
  tx.putSecret(tokensRecord(accountId), JSON.stringify(record));
}

export function putProvider(tx: VaultTransaction, provider: StoredProvider): void {
  tx.put(PROVIDERS, provider.profile.id, provider as unknown as JsonValue);
}

export function putAccount(tx: VaultTransaction, account: StoredAccount): void {
  tx.put(ACCOUNTS, account.id, account as unknown as JsonValue);
}

/**
 * A stable, readable account id: the provider id and a short hash of the subject.
 *
 * The same subject at the same provider always maps to the same id, so reconnecting updates the
 * account instead of duplicating it.
 */
export function accountIdFor(providerId: string, subject: string): string {
  const digest = createHash('sha256').update(`${providerId}\0${subject}`).digest('hex');
  return `${providerId}-${digest.slice(0, 8)}`;
}

export function newId(): string {
  return randomBytes(8).toString('hex');
}

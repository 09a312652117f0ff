import type { ProviderEditPreview } from './api';
import type { StoredAccount } from './model';
import { hasScheme, type ProviderProfile } from './providers';
import {
  clientKeyRecord,
  clientSecretRecord,
  findAccount,
  putAccount,
  registrationTokenRecord,
  tokensRecord,
  type StoredProvider,
} from './records';
import type { VaultTransaction } from './vault';

/**
 * What an edit of a saved provider keeps, and what it must drop (SECURITY 42).
 *
 * Credentials never follow an endpoint change silently. An edit that changes where secrets go
 * (the issuer, the token, revocation, registration, userinfo, device authorization or PAR
 * endpoint, an absolute "who am I" URL, the client id, how the client registers or
 * authenticates, or its `private_key_jwt` key) keeps none of the provider's
 * stored secrets: the client secret must be entered again, the dynamic registration and
 * discovered metadata are made afresh, and every account's tokens are dropped, so its accounts
 * connect again. No old secret is ever sent to a new endpoint. An edit of the API base, the
 * GraphQL URL, headers or labels keeps everything. A changed redirect keeps the secrets but
 * drops a dynamic registration, which was made for the old redirect.
 */

/** The reason an account shows after its tokens were dropped by a provider edit. */
export const ENDPOINTS_CHANGED_REASON =
  "The provider's endpoints or client changed, so its stored tokens were dropped. Connect the account again.";

/** Each field whose change sends secrets somewhere new, and how to read it. */
const SECRET_ROUTES: Array<[field: string, read: (profile: ProviderProfile) => unknown]> = [
  ['issuer', (p) => p.issuer],
  ['endpoints.token', (p) => p.endpoints.token],
  ['endpoints.revocation', (p) => p.endpoints.revocation],
  ['endpoints.registration', (p) => p.endpoints.registration],
  ['endpoints.userinfo', (p) => p.endpoints.userinfo],
  ['endpoints.device', (p) => p.endpoints.device],
  ['endpoints.par', (p) => p.endpoints.par],
  [
    'whoami.url',
    (p) => (p.whoami.kind === 'rest' && hasScheme(p.whoami.url) ? p.whoami.url : undefined),
  ],
  ['client.clientId', (p) => p.client.clientId],
  ['client.registration', (p) => p.client.registration],
  ['client.auth', (p) => p.client.auth],
  ['client.key', (p) => p.client.key?.thumbprint],
];

/**
 * What saving `next` over `previous` drops.
 *
 * `hasSecret` is true when the provider has a client secret or key stored; `newSecret` when the
 * same save brings a new one, which is then kept.
 */
export function previewEdit(
  previous: StoredProvider | undefined,
  next: ProviderProfile,
  accounts: StoredAccount[],
  hasSecret: boolean,
  newSecret: boolean,
): ProviderEditPreview {
  if (!previous) return nothingDropped(false);
  const before = previous.profile;
  const changed = SECRET_ROUTES.filter(([, read]) => read(before) !== read(next)).map(
    ([field]) => field,
  );
  const redirectChanged = JSON.stringify(before.redirect) !== JSON.stringify(next.redirect);
  const dropsRegistration =
    Boolean(previous.registration) && (changed.length > 0 || redirectChanged);
  if (changed.length === 0) return { ...nothingDropped(true), dropsRegistration };
  const accountsToReconnect = accounts
    .filter((account) => account.providerId === next.id)
    .map(({ id, label }) => ({ id, label }));
  const dropsClientSecret = hasSecret && !newSecret;
  return {
    exists: true,
    changed,
    accountsToReconnect,
    dropsClientSecret,
    dropsRegistration,
    message: describe(changed, accountsToReconnect.length, dropsClientSecret),
  };
}

/** True when the preview drops something the user should be told about before saving. */
export function dropsSecrets(preview: ProviderEditPreview): boolean {
  return preview.accountsToReconnect.length > 0 || preview.dropsClientSecret;
}

/** Carries out the drops of a preview inside the save's locked update. */
export function applyDrops(
  tx: VaultTransaction,
  preview: ProviderEditPreview,
  stored: StoredProvider,
  previous: StoredProvider,
  now: number,
): void {
  const id = stored.profile.id;
  if (preview.changed.length === 0) {
    if (previous.discovered) stored.discovered = previous.discovered;
    if (previous.registration && !preview.dropsRegistration) {
      stored.registration = previous.registration;
    } else {
      tx.deleteSecret(registrationTokenRecord(id));
    }
    return;
  }
  tx.deleteSecret(registrationTokenRecord(id));
  if (preview.dropsClientSecret) {
    tx.deleteSecret(clientSecretRecord(id));
    tx.deleteSecret(clientKeyRecord(id));
    delete stored.profile.client.key;
  }
  for (const { id: accountId } of preview.accountsToReconnect) {
    const account = findAccount(tx, accountId);
    if (!account) continue;
    tx.deleteSecret(tokensRecord(accountId));
    putAccount(tx, {
      ...account,
      hasRefreshToken: false,
      reauthReason: ENDPOINTS_CHANGED_REASON,
      updatedAt: now,
    });
  }
}

function nothingDropped(exists: boolean): ProviderEditPreview {
  return {
    exists,
    changed: [],
    accountsToReconnect: [],
    dropsClientSecret: false,
    dropsRegistration: false,
    message: '',
  };
}

/** "Changing endpoints.token drops 3 accounts' tokens (they connect again) and the client secret …". */
function describe(changed: string[], accounts: number, dropsSecret: boolean): string {
  const drops = [
    ...(accounts > 0
      ? [`${accounts} account${accounts === 1 ? '' : 's'} will need to connect again`]
      : []),
    ...(dropsSecret ? ['the client secret must be entered again'] : []),
  ];
  const what = drops.length > 0 ? drops.join('; ') : 'nothing stored is kept for the old endpoints';
  return `Changing ${changed.join(', ')} keeps no secret made for the old settings: ${what}.`;
}

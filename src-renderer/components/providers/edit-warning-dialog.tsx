import type { ProviderEditPreview } from '../../../src-preload/contract';
import { ConfirmDialog } from '../dialog';

/** The form's name for each field whose change sends secrets somewhere new. */
const FIELD_LABELS: Record<string, string> = {
  issuer: 'Issuer URL',
  'endpoints.token': 'Token URL',
  'endpoints.revocation': 'Revocation URL',
  'endpoints.registration': 'Registration URL',
  'endpoints.userinfo': 'Userinfo URL',
  'whoami.url': 'Who-am-I URL',
  'client.clientId': 'Client id',
  'client.registration': 'Client (registered or your own)',
  'client.auth': 'Client authentication',
};

/** True when saving would drop something stored, so the user must agree first. */
export function dropsStoredSecrets(preview: ProviderEditPreview): boolean {
  return preview.accountsToReconnect.length > 0 || preview.dropsClientSecret;
}

/**
 * Says what a provider edit drops before it is saved (main's `previewProviderEdit`): the accounts
 * that must connect again and the client secret that must be entered again. Credentials never
 * follow an endpoint change silently, so saving needs this confirmation.
 */
export function EditWarningDialog({
  providerName,
  preview,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  providerName: string;
  preview: ProviderEditPreview;
  busy: boolean;
  error: string | null;
  onConfirm(): void;
  onClose(): void;
}) {
  const accounts = preview.accountsToReconnect;
  const changed = preview.changed.map((field) => FIELD_LABELS[field] ?? field);
  return (
    <ConfirmDialog
      title={`Save ${providerName} and drop its stored secrets?`}
      confirm="Save and drop them"
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <p>
        You changed the {list(changed)}. Tokendeck never sends a secret made for the old settings to
        a new place, so saving keeps none of them:
      </p>
      <ul className="drop-list">
        {accounts.length > 0 ? (
          <li>
            <strong>
              {accounts.length === 1 ? '1 account' : `${accounts.length} accounts`} will need to
              connect again
            </strong>
            : {list(accounts.map((account) => account.label))}.
          </li>
        ) : null}
        {preview.dropsClientSecret ? (
          <li>
            <strong>The client secret must be entered again.</strong> Or press Cancel, then Replace
            under Client secret, enter it, and save again.
          </li>
        ) : null}
      </ul>
    </ConfirmDialog>
  );
}

/** "a, b and c". */
function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

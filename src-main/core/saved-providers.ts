import type {
  PresetSummary,
  ProviderEditPreview,
  ProviderFile,
  ProviderSummary,
  SaveProviderArgs,
  ValidateProviderArgs,
} from './api';
import { TokendeckError } from './errors';
import { registerSecret, type Logger } from './log';
import type { Clock } from './ports';
import {
  PRESETS,
  findPlaceholders,
  getPreset,
  presetNeeds,
  profileFromPreset,
  profileIssues,
  validateProfile,
  type ProfileIssue,
  type ProviderProfile,
  type ProviderProfileInput,
} from './providers';
import { parseClientKey, type ClientKey } from './flows';
import { applyDrops, dropsSecrets, previewEdit } from './provider-edits';
import { toProviderFile } from './provider-file';
import {
  PROVIDERS,
  accountsOf,
  clientKeyRecord,
  clientSecretRecord,
  listAccounts,
  listProviders,
  putProvider,
  readProvider,
  registrationTokenRecord,
  type RecordsVault,
  type StoredProvider,
} from './records';
import type { VaultReader } from './vault';

/** The built-in presets, as the UI lists them. */
export function presetSummaries(): PresetSummary[] {
  return PRESETS.map((preset) => ({
    id: preset.id,
    name: preset.name,
    grant: preset.profile.grant,
    description: preset.description,
    needs: presetNeeds(preset),
  }));
}

/** A preset's profile, validated, ready to edit. */
export function presetProfile(id: string): ProviderProfile {
  const preset = getPreset(id);
  return validateProfile({ ...profileFromPreset(preset.id), id: preset.id });
}

/**
 * The providers the user saved: listing, editing, sharing and removing them with their client
 * secrets.
 *
 * An edit that points the provider at another server keeps none of the secrets made for the old
 * one (see provider-edits.ts); every check runs in the same locked update as the write it guards.
 */
export class SavedProviders {
  constructor(
    private readonly vault: RecordsVault,
    private readonly logger: Logger,
    private readonly clock: Clock,
    /** Called once a provider is removed: a connect to it still in flight is cancelled. */
    private readonly onRemoved: (id: string) => void | Promise<void> = () => undefined,
  ) {}

  async list(): Promise<ProviderSummary[]> {
    return listProviders(await this.vault.read()).map(summarize);
  }

  async get(id: string): Promise<ProviderProfile> {
    return readProvider(await this.vault.read(), id).profile;
  }

  /**
   * Every problem with a profile being edited, per field; when adding, an id already taken is
   * one of them.
   */
  async validate({ profile, isNew }: ValidateProviderArgs): Promise<{ issues: ProfileIssue[] }> {
    const issues = profileIssues(profile);
    if (isNew && typeof profile.id === 'string' && !issues.some((i) => i.field === 'id')) {
      if (listProviders(await this.vault.read()).some((p) => p.profile.id === profile.id)) {
        issues.push({ field: 'id', message: `A provider "${profile.id}" already exists.` });
      }
    }
    return { issues };
  }

  async exportFile(id: string): Promise<ProviderFile> {
    return toProviderFile(await this.get(id));
  }

  async preview(input: ProviderProfileInput, withNewSecret = false): Promise<ProviderEditPreview> {
    const view = await this.vault.read();
    const previous = view.get(PROVIDERS, checkProfile(input).id) as StoredProvider | undefined;
    const profile = withStoredKey(checkProfile(input), previous, undefined);
    return previewEdit(
      previous,
      profile,
      listAccounts(view),
      storesSecret(view, profile.id),
      withNewSecret,
    );
  }

  async save(args: SaveProviderArgs): Promise<ProviderSummary> {
    const { profile: input, clientSecret, clientKey: keyText, create, confirmDrops } = args;
    const checked = checkProfile(input);
    if (typeof clientSecret === 'string' && !clientSecret.trim()) {
      throw new TokendeckError('invalid_input', 'The client secret is empty.', {
        details: { field: 'clientSecret' },
      });
    }
    const clientKey = typeof keyText === 'string' ? parseClientKey(keyText, 'given') : keyText;
    const { saved, preview } = await this.vault.update((tx) => {
      const previous = tx.get(PROVIDERS, checked.id) as StoredProvider | undefined;
      const profile = withStoredKey(checked, previous, clientKey);
      if (previous && create) {
        throw new TokendeckError('conflict', `Provider "${profile.id}" already exists.`, {
          details: { providerId: profile.id, reason: 'exists' },
        });
      }
      const secretId = clientSecretRecord(profile.id);
      const preview = previewEdit(
        previous,
        profile,
        listAccounts(tx),
        storesSecret(tx, profile.id),
        typeof clientSecret === 'string' || Boolean(clientKey),
      );
      if (dropsSecrets(preview) && !confirmDrops) {
        throw new TokendeckError('confirmation_required', preview.message, {
          details: {
            providerId: profile.id,
            accounts: preview.accountsToReconnect.length,
            clientSecret: preview.dropsClientSecret,
          },
        });
      }
      const stored: StoredProvider = {
        profile,
        ...(previous?.defaultAccount ? { defaultAccount: previous.defaultAccount } : {}),
        updatedAt: this.clock.now(),
      };
      if (previous) applyDrops(tx, preview, stored, previous, this.clock.now());
      if (clientSecret === null) tx.deleteSecret(secretId);
      else if (clientSecret !== undefined) {
        registerSecret(clientSecret);
        tx.putSecret(secretId, clientSecret);
      }
      if (clientKey === null) tx.deleteSecret(clientKeyRecord(profile.id));
      else if (clientKey) tx.putSecret(clientKeyRecord(profile.id), JSON.stringify(clientKey.jwk));
      const client = { ...stored.profile.client, hasSecret: tx.hasSecret(secretId) };
      if (!tx.hasSecret(clientKeyRecord(profile.id))) delete client.key;
      stored.profile = { ...stored.profile, client };
      putProvider(tx, stored);
      return { saved: stored, preview };
    });
    this.logger.info('provider saved', {
      provider: checked.id,
      grant: checked.grant,
      dropped: preview.changed.length > 0 ? preview.accountsToReconnect.length : 0,
    });
    return summarize(saved);
  }

  async remove(id: string): Promise<void> {
    await this.vault.update((tx) => {
      readProvider(tx, id);
      const accounts = accountsOf(tx, id);
      if (accounts.length > 0) {
        throw new TokendeckError(
          'conflict',
          `Provider "${id}" still has ${accounts.length} account(s). Remove them first.`,
          { details: { providerId: id, reason: 'has_accounts' } },
        );
      }
      tx.delete(PROVIDERS, id);
      tx.deleteSecret(clientSecretRecord(id));
      tx.deleteSecret(clientKeyRecord(id));
      tx.deleteSecret(registrationTokenRecord(id));
    });
    await this.onRemoved(id);
    this.logger.info('provider removed', { provider: id });
  }
}

/** Validates a profile, and refuses one whose preset placeholders are not filled in. */
export function checkProfile(input: unknown): ProviderProfile {
  const profile = validateProfile(input);
  const unfilled = findPlaceholders(profile);
  if (unfilled.length > 0) {
    throw new TokendeckError(
      'profile_incomplete',
      `Fill in ${unfilled.join(', ')}: the preset only has a placeholder there.`,
      { details: { field: unfilled[0] ?? null } },
    );
  }
  return profile;
}

/**
 * The profile with the key the save leaves stored: a new key's, none when it is removed, else the
 * stored one's (a profile from flags or a file does not carry it). A different key is then an
 * edit of `client.key`, which changes where secrets go.
 */
function withStoredKey(
  profile: ProviderProfile,
  previous: StoredProvider | undefined,
  clientKey: ClientKey | null | undefined,
): ProviderProfile {
  const key = clientKey === undefined ? previous?.profile.client.key : clientKey?.info;
  const client = { ...profile.client };
  if (key) client.key = key;
  else delete client.key;
  return { ...profile, client };
}

/** True when the provider has a client secret or a client key stored. */
function storesSecret(view: VaultReader, providerId: string): boolean {
  return (
    view.hasSecret(clientSecretRecord(providerId)) || view.hasSecret(clientKeyRecord(providerId))
  );
}

function summarize(provider: StoredProvider): ProviderSummary {
  const { profile } = provider;
  return {
    id: profile.id,
    name: profile.name,
    grant: profile.grant,
    ...(profile.presetId ? { presetId: profile.presetId } : {}),
    ...(profile.issuer ? { issuer: profile.issuer } : {}),
    hasClientSecret: profile.client.hasSecret,
    hasClientKey: Boolean(profile.client.key),
    registered: Boolean(provider.registration),
    revokes:
      profile.grant !== 'api_key' &&
      Boolean(profile.endpoints.revocation ?? provider.discovered?.revocation_endpoint),
  };
}

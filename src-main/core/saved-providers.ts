import type { PresetSummary, ProviderSummary, SaveProviderArgs, ValidateProviderArgs } from './api';
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
} from './providers';
import {
  PROVIDERS,
  clientSecretRecord,
  listAccounts,
  listProviders,
  putProvider,
  readProvider,
  registrationTokenRecord,
  type RecordsVault,
  type StoredProvider,
} from './records';

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
 * The providers the user saved: listing, editing and removing them with their client secrets.
 *
 * An edit that points the provider at another server drops what was made for the old one
 * (registration, discovery, registration token), so no credential follows an endpoint change.
 */
export class SavedProviders {
  constructor(
    private readonly vault: RecordsVault,
    private readonly logger: Logger,
    private readonly clock: Clock,
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

  async save({ profile: input, clientSecret }: SaveProviderArgs): Promise<ProviderSummary> {
    const profile = validateProfile(input);
    const unfilled = findPlaceholders(profile);
    if (unfilled.length > 0) {
      throw new TokendeckError(
        'profile_incomplete',
        `Fill in ${unfilled.join(', ')}: the preset only has a placeholder there.`,
        { details: { field: unfilled[0] ?? null } },
      );
    }
    const saved = await this.vault.update((tx) => {
      const previous = tx.get(PROVIDERS, profile.id) as StoredProvider | undefined;
      if (clientSecret === null) tx.deleteSecret(clientSecretRecord(profile.id));
      else if (clientSecret !== undefined) {
        if (!clientSecret.trim()) {
          throw new TokendeckError('invalid_input', 'The client secret is empty.');
        }
        registerSecret(clientSecret);
        tx.putSecret(clientSecretRecord(profile.id), clientSecret);
      }
      const hasSecret = tx.hasSecret(clientSecretRecord(profile.id));
      const stored: StoredProvider = {
        profile: { ...profile, client: { ...profile.client, hasSecret } },
        updatedAt: this.clock.now(),
      };
      // A registration or discovery made for other endpoints must not be reused.
      if (previous && sameServer(previous.profile, profile)) {
        if (previous.registration) stored.registration = previous.registration;
        if (previous.discovered) stored.discovered = previous.discovered;
      } else if (previous) {
        tx.deleteSecret(registrationTokenRecord(profile.id));
      }
      putProvider(tx, stored);
      return stored;
    });
    this.logger.info('provider saved', { provider: profile.id, grant: profile.grant });
    return summarize(saved);
  }

  async remove(id: string): Promise<void> {
    const view = await this.vault.read();
    readProvider(view, id);
    const accounts = listAccounts(view).filter((account) => account.providerId === id);
    if (accounts.length > 0) {
      throw new TokendeckError(
        'conflict',
        `Provider "${id}" still has ${accounts.length} account(s). Remove them first.`,
      );
    }
    await this.vault.update((tx) => {
      tx.delete(PROVIDERS, id);
      tx.deleteSecret(clientSecretRecord(id));
      tx.deleteSecret(registrationTokenRecord(id));
    });
    this.logger.info('provider removed', { provider: id });
  }
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
    registered: Boolean(provider.registration),
    revokes:
      profile.grant !== 'api_key' &&
      Boolean(profile.endpoints.revocation ?? provider.discovered?.revocation_endpoint),
  };
}

/** True when two profiles talk to the same authorization server with the same client setup. */
function sameServer(a: ProviderProfile, b: ProviderProfile): boolean {
  return (
    a.issuer === b.issuer &&
    a.endpoints.registration === b.endpoints.registration &&
    a.client.registration === b.client.registration &&
    JSON.stringify(a.redirect) === JSON.stringify(b.redirect)
  );
}

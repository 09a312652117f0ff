import type {
  PresetSummary,
  ProviderProfile,
  ProviderSummary,
  SaveProviderArgs,
} from '../../src-preload/contract';
import { errorMessage, unwrap, type ApiSource } from '../api';
import type { ActionResult, LoadStatus, SliceCreator } from './types';

/**
 * Providers and presets: profiles and summaries only. A client secret never comes back from main,
 * only whether one is stored.
 */
export interface ProvidersSlice {
  providers: ProviderSummary[];
  providersStatus: LoadStatus;
  providersError: string | null;
  presets: PresetSummary[];
  loadProviders(): Promise<void>;
  loadPresets(): Promise<void>;
  saveProvider(args: SaveProviderArgs): Promise<ActionResult & { provider?: ProviderSummary }>;
  /**
   * Removes a provider and, first, every account it has (each one revoked where the provider
   * allows). Stops at the first failure, so nothing is half-removed without a message.
   */
  removeProvider(providerId: string): Promise<ActionResult>;
  /** The profile as a file a team can share: no secret, and no `hasSecret` either. */
  exportProviderProfile(providerId: string): Promise<{ fileName: string; text: string } | null>;
}

/** Drops what is about this vault rather than about the provider, for a shared profile file. */
export function shareableProfile(profile: ProviderProfile): Record<string, unknown> {
  const { hasSecret: _hasSecret, ...client } = profile.client;
  return { ...profile, client };
}

export const createProvidersSlice =
  (api: ApiSource): SliceCreator<ProvidersSlice> =>
  (set, get) => ({
    providers: [],
    providersStatus: 'idle',
    providersError: null,
    presets: [],

    async loadProviders() {
      set({ providersStatus: 'loading', providersError: null });
      try {
        const providers = await unwrap(api().listProviders());
        providers.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
        set({ providers, providersStatus: 'ready' });
      } catch (error) {
        set({ providersStatus: 'error', providersError: errorMessage(error) });
      }
    },

    async loadPresets() {
      if (get().presets.length > 0) return;
      try {
        set({ presets: await unwrap(api().listPresets()) });
      } catch (error) {
        set({ providersError: errorMessage(error) });
      }
    },

    async saveProvider(args) {
      try {
        const provider = await unwrap(api().saveProvider(args));
        await get().loadProviders();
        get().showToast(`Saved ${provider.name}`);
        return { ok: true, provider };
      } catch (error) {
        return { ok: false, message: errorMessage(error) };
      }
    },

    async removeProvider(providerId) {
      const accounts = get()
        .accountOrder.map((id) => get().accountsById[id])
        .filter((account) => account?.providerId === providerId);
      for (const account of accounts) {
        if (account && (await get().removeAccount(account.id)) === null) {
          return {
            ok: false,
            message: get().accountErrors[account.id] ?? `Could not remove ${account.label}.`,
          };
        }
      }
      try {
        await unwrap(api().removeProvider({ id: providerId }));
        await get().loadProviders();
        get().showToast('Provider removed');
        return { ok: true };
      } catch (error) {
        return { ok: false, message: errorMessage(error) };
      }
    },

    async exportProviderProfile(providerId) {
      try {
        const profile = await unwrap(api().getProvider({ id: providerId }));
        return {
          fileName: `${profile.id}.tokendeck-provider.json`,
          text: `${JSON.stringify(shareableProfile(profile), null, 2)}\n`,
        };
      } catch (error) {
        set({ providersError: errorMessage(error) });
        return null;
      }
    },
  });

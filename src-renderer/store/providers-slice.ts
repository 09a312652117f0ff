import type {
  PresetSummary,
  ProviderEditPreview,
  ProviderProfile,
  ProviderProfileInput,
  ProviderSummary,
  SaveProviderArgs,
} from '../../src-preload/contract';
import { ApiError, errorMessage, unwrap, type ApiSource } from '../api';
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
  /**
   * What saving this profile would drop (accounts to connect again, the client secret), so the
   * form can ask first; nothing is saved.
   */
  previewProviderEdit(
    profile: ProviderProfileInput,
    withNewSecret: boolean,
  ): Promise<{ ok: true; preview: ProviderEditPreview } | { ok: false; message: string }>;
  /** Saves; an edit that drops stored secrets is refused (`confirmation_required`) without `confirmDrops`. */
  saveProvider(args: SaveProviderArgs): Promise<ActionResult & { provider?: ProviderSummary }>;
  /**
   * Removes a provider and, first, every account it has (each one revoked where the provider
   * allows). Stops at the first failure, so nothing is half-removed without a message.
   */
  removeProvider(providerId: string): Promise<ActionResult>;
  /** The provider as a file a team can share through git: main leaves every secret out. */
  exportProviderFile(providerId: string): Promise<{ fileName: string; text: string } | null>;
  /**
   * Reads a shared provider file (or a bare profile) with main's profile schema; nothing is
   * saved until the user checks it in the form and presses Save.
   */
  readProviderFile(
    text: string,
  ): Promise<{ ok: true; profile: ProviderProfile } | { ok: false; message: string }>;
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

    async previewProviderEdit(profile, withNewSecret) {
      try {
        return {
          ok: true,
          preview: await unwrap(api().previewProviderEdit({ profile, withNewSecret })),
        };
      } catch (error) {
        return { ok: false, message: errorMessage(error) };
      }
    },

    async saveProvider(args) {
      try {
        const provider = await unwrap(api().saveProvider(args));
        await get().loadProviders();
        // Accounts whose tokens the edit dropped now need the user; their rows say so.
        if (args.confirmDrops) await get().loadAccounts();
        get().showToast(`Saved ${provider.name}`);
        return { ok: true, provider };
      } catch (error) {
        return {
          ok: false,
          message: errorMessage(error),
          ...(error instanceof ApiError ? { code: error.code } : {}),
        };
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

    async exportProviderFile(providerId) {
      try {
        const file = await unwrap(api().exportProvider({ id: providerId }));
        return {
          fileName: `${providerId}.tokendeck-provider.json`,
          text: `${JSON.stringify(file, null, 2)}\n`,
        };
      } catch (error) {
        set({ providersError: errorMessage(error) });
        return null;
      }
    },

    async readProviderFile(text) {
      try {
        return { ok: true, profile: await unwrap(api().parseProviderFile({ text })) };
      } catch (error) {
        return { ok: false, message: errorMessage(error) };
      }
    },
  });

import type { ProviderSummary } from '../../src-preload/contract';
import { errorMessage, unwrap, type ApiSource } from '../api';
import type { LoadStatus, SliceCreator } from './types';

/** Providers: summaries only; a client secret is never sent, only whether one is set. */
export interface ProvidersSlice {
  providers: ProviderSummary[];
  providersStatus: LoadStatus;
  providersError: string | null;
  loadProviders(): Promise<void>;
}

export const createProvidersSlice =
  (api: ApiSource): SliceCreator<ProvidersSlice> =>
  (set) => ({
    providers: [],
    providersStatus: 'idle',
    providersError: null,

    async loadProviders() {
      set({ providersStatus: 'loading', providersError: null });
      try {
        const providers = await unwrap(api().listProviders());
        set({ providers, providersStatus: 'ready' });
      } catch (error) {
        set({ providersStatus: 'error', providersError: errorMessage(error) });
      }
    },
  });

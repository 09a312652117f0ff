import type { DeviceCodes, ErrorCode, FlowProgress } from '../../src-preload/contract';
import { ApiError, unwrap, type ApiSource } from '../api';
import type { SliceCreator } from './types';

/**
 * The connect sheet: one sign-in at a time, its live progress from main's `flowProgress`
 * events, and how it ended.
 */
export type FlowStage = FlowProgress['stage'] | 'ready';

export interface ConnectState {
  providerId: string;
  /** Set for Reconnect: the account the user chose to sign in again. */
  accountId?: string;
  stage: FlowStage;
  /** Stages seen so far, in order, for the progress list. */
  seen: FlowStage[];
  authorizationUrl?: string;
  /** The device grant's codes (RFC 8628) while the code waits to be entered. */
  device?: DeviceCodes;
  error?: { code: ErrorCode; message: string };
  connectedAccountId?: string;
}

export interface FlowsSlice {
  connect: ConnectState | null;
  /** Opens the sheet for a provider (Connect), or for an account (Reconnect). */
  openConnect(providerId: string, accountId?: string): void;
  closeConnect(): void;
  /** Starts the sign-in; `apiKey` for API-key providers. */
  startConnect(apiKey?: string): Promise<void>;
  cancelConnect(): Promise<void>;
  /** Copies the sign-in link, or the device grant's code. */
  copyFlowLink(): Promise<void>;
  applyFlowProgress(progress: FlowProgress): void;
}

export const createFlowsSlice =
  (api: ApiSource): SliceCreator<FlowsSlice> =>
  (set, get) => {
    const update = (providerId: string, change: Partial<ConnectState>) => {
      const current = get().connect;
      if (!current || current.providerId !== providerId) return;
      const seen =
        change.stage && !current.seen.includes(change.stage)
          ? [...current.seen, change.stage]
          : current.seen;
      set({ connect: { ...current, ...change, seen } });
    };

    return {
      connect: null,

      openConnect(providerId, accountId) {
        const running = get().connect;
        if (running && !['ready', 'done', 'failed'].includes(running.stage)) return;
        set({
          connect: { providerId, stage: 'ready', seen: [], ...(accountId ? { accountId } : {}) },
        });
      },

      closeConnect() {
        const running = get().connect;
        if (running && !['ready', 'done', 'failed'].includes(running.stage)) {
          void get().cancelConnect();
        }
        set({ connect: null });
      },

      async startConnect(apiKey) {
        const current = get().connect;
        if (!current) return;
        const { providerId, accountId: chosen } = current;
        set({
          connect: {
            providerId,
            ...(chosen ? { accountId: chosen } : {}),
            stage: 'discovering',
            seen: ['discovering'],
          },
        });
        try {
          const { accountId } = await unwrap(
            api().connectAccount({
              providerId,
              ...(apiKey !== undefined ? { apiKey } : {}),
              // Reconnect: a sign-in as anyone else is refused, and this account keeps its tokens.
              ...(chosen ? { accountId: chosen } : {}),
            }),
          );
          update(providerId, { stage: 'done', connectedAccountId: accountId });
          await get().loadAccounts();
          get().focusAccount(accountId);
        } catch (error) {
          const failure =
            error instanceof ApiError
              ? { code: error.code, message: error.message }
              : {
                  code: 'internal' as const,
                  message: 'Something went wrong talking to Tokendeck.',
                };
          update(providerId, { stage: 'failed', error: failure });
        }
      },

      async cancelConnect() {
        const current = get().connect;
        if (!current) return;
        await api().cancelConnect({ providerId: current.providerId });
      },

      async copyFlowLink() {
        const current = get().connect;
        if (!current) return;
        const result = await api().copyFlowLink({ providerId: current.providerId });
        const what = current.device ? 'Code copied' : 'Sign-in link copied';
        get().showToast(result.ok ? what : result.message);
      },

      applyFlowProgress(progress) {
        if (progress.stage === 'failed' || progress.stage === 'done') return;
        update(progress.providerId, {
          stage: progress.stage,
          ...(progress.authorizationUrl ? { authorizationUrl: progress.authorizationUrl } : {}),
          ...(progress.device ? { device: progress.device } : {}),
        });
      },
    };
  };

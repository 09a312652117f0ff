import { create } from 'zustand';
import type {
  HistoryEntry,
  ProviderProfile,
  RequestSpec,
  ResponseView,
} from '../../../src-preload/contract';
import { ApiError, errorMessage, unwrap, windowApi } from '../../api';
import { DraftError, emptyDraft, originOf, resolvedUrl, toSpec, type Draft } from './console-model';

/**
 * The request console's own state, kept while the app runs so that leaving the Console tab and
 * coming back keeps the request and its answer. Nothing here is a token: requests are plain
 * data, the engine adds the token in main, and a curl command with an inlined token goes
 * straight to the clipboard.
 */

/** What the console knows about a provider: where paths and GraphQL go, and the token header. */
export interface ProviderTargets {
  apiBase?: string;
  graphqlUrl?: string;
  headerName: string;
}

export interface SendFailure {
  code: string;
  message: string;
  /** For `origin_not_allowed`: the origin the user may allow. */
  origin?: string;
}

export interface SchemaState {
  schema?: unknown;
  fetchedAt?: number;
  loading: boolean;
  error?: string;
}

export interface ConsoleState {
  accountId: string | null;
  draft: Draft;
  /** The request in flight, by its id. */
  sending: string | null;
  response: ResponseView | null;
  failure: SendFailure | null;
  /** Origins the user allowed the token to go to this session (the engine's allowForeignOrigin). */
  allowedOrigins: string[];
  history: Record<string, HistoryEntry[]>;
  historyError: string | null;
  targets: Record<string, ProviderTargets>;
  schemas: Record<string, SchemaState>;
  setAccount(accountId: string | null, providerId?: string): void;
  setDraft(update: (draft: Draft) => Draft): void;
  restore(draft: Draft): void;
  send(): Promise<void>;
  cancel(): Promise<void>;
  allowOrigin(origin: string): void;
  loadHistory(accountId: string): Promise<void>;
  clearHistory(accountId: string): Promise<void>;
  loadTargets(providerId: string): Promise<void>;
  loadSchema(accountId: string, providerId: string, refresh?: boolean): Promise<void>;
  /** The spec for the current draft, with the per-origin opt-in applied. Throws DraftError. */
  currentSpec(): RequestSpec;
}

let counter = 0;
const newRequestId = () => `console-${Date.now().toString(36)}-${(counter += 1)}`;

/** The provider of an account, from the app store's summaries; set by the screen. */
let providerOf: (accountId: string) => string | undefined = () => undefined;
export function setProviderLookup(lookup: (accountId: string) => string | undefined): void {
  providerOf = lookup;
}

export const useConsole = create<ConsoleState>()((set, get) => ({
  accountId: null,
  draft: emptyDraft(),
  sending: null,
  response: null,
  failure: null,
  allowedOrigins: [],
  history: {},
  historyError: null,
  targets: {},
  schemas: {},

  setAccount(accountId) {
    // The request stays: only who sends it changes.
    set({ accountId, failure: null });
    if (accountId) void get().loadHistory(accountId);
  },

  setDraft(update) {
    set((state) => ({ draft: update(state.draft) }));
  },

  restore(draft) {
    set({ draft, failure: null });
  },

  currentSpec() {
    const { accountId, draft, allowedOrigins, targets } = get();
    if (!accountId) throw new DraftError('Choose an account first.');
    const spec = toSpec(draft, accountId);
    const providerId = providerOf(accountId);
    const target = providerId ? targets[providerId] : undefined;
    const url =
      spec.kind === 'rest'
        ? resolvedUrl(spec.url, target?.apiBase)
        : (spec.url ?? target?.graphqlUrl ?? null);
    const origin = originOf(url);
    if (origin && allowedOrigins.includes(origin)) spec.allowForeignOrigin = true;
    return spec;
  },

  async send() {
    if (get().sending) return;
    let spec: RequestSpec;
    try {
      spec = get().currentSpec();
    } catch (error) {
      set({
        failure: {
          code: 'invalid_input',
          message: error instanceof Error ? error.message : 'The request is incomplete.',
        },
      });
      return;
    }
    const requestId = newRequestId();
    set({ sending: requestId, failure: null });
    try {
      const response = await unwrap(windowApi().sendRequest({ ...spec, requestId }));
      if (get().sending === requestId) set({ response });
    } catch (error) {
      const failure: SendFailure = {
        code: error instanceof ApiError ? error.code : 'internal',
        message: errorMessage(error),
      };
      if (failure.code === 'origin_not_allowed') {
        const providerId = providerOf(spec.accountId);
        const target = providerId ? get().targets[providerId] : undefined;
        const url =
          spec.kind === 'rest'
            ? resolvedUrl(spec.url, target?.apiBase)
            : (spec.url ?? target?.graphqlUrl ?? null);
        failure.origin = originOf(url) ?? undefined;
      }
      if (get().sending === requestId) set({ failure, response: null });
    } finally {
      if (get().sending === requestId) set({ sending: null });
      void get().loadHistory(spec.accountId);
    }
  },

  async cancel() {
    const requestId = get().sending;
    if (!requestId) return;
    set({ sending: null, failure: { code: 'cancelled', message: 'The request was cancelled.' } });
    await windowApi().cancelRequest({ requestId });
  },

  allowOrigin(origin) {
    set((state) => ({
      allowedOrigins: state.allowedOrigins.includes(origin)
        ? state.allowedOrigins
        : [...state.allowedOrigins, origin],
      failure: null,
    }));
  },

  async loadHistory(accountId) {
    try {
      const entries = await unwrap(windowApi().listHistory({ accountId }));
      set((state) => ({ history: { ...state.history, [accountId]: entries }, historyError: null }));
    } catch (error) {
      set({ historyError: errorMessage(error) });
    }
  },

  async clearHistory(accountId) {
    try {
      await unwrap(windowApi().clearHistory({ accountId }));
      set((state) => ({ history: { ...state.history, [accountId]: [] }, historyError: null }));
    } catch (error) {
      set({ historyError: errorMessage(error) });
    }
  },

  async loadTargets(providerId) {
    if (get().targets[providerId]) return;
    try {
      const profile: ProviderProfile = await unwrap(windowApi().getProvider({ id: providerId }));
      set((state) => ({
        targets: {
          ...state.targets,
          [providerId]: {
            apiBase: profile.use.apiBase,
            graphqlUrl: profile.use.graphqlUrl,
            headerName: profile.use.headerName,
          },
        },
      }));
    } catch {
      // Without the profile the URL is not shown resolved; sending still works.
    }
  },

  async loadSchema(accountId, providerId, refresh = false) {
    const current = get().schemas[providerId];
    if (current?.loading || (current?.schema && !refresh)) return;
    const put = (value: SchemaState) =>
      set((state) => ({ schemas: { ...state.schemas, [providerId]: value } }));
    put({ ...current, loading: true, error: undefined });
    try {
      const result = await unwrap(windowApi().introspectGraphql({ accountId, refresh }));
      put({ schema: result.schema, fetchedAt: result.fetchedAt, loading: false });
    } catch (error) {
      put({ ...current, loading: false, error: errorMessage(error) });
    }
  },
}));

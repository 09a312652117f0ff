import { vi } from 'vitest';
import {
  CONTRACT_METHODS,
  type AccountSummary,
  type ContractEvent,
  type TokendeckApi,
} from '../../../src-preload/contract';

/**
 * A fake `window.tokendeck`: every method answers `{ ok: true }` unless overridden.
 *
 * Overrides are wrapped in spies too, so a test can both script an answer and assert the call.
 */
export function fakeApi(overrides: Partial<Record<keyof TokendeckApi, unknown>> = {}) {
  const listeners = new Map<ContractEvent, Set<(payload: unknown) => void>>();
  const api: Record<string, unknown> = {};
  for (const method of CONTRACT_METHODS) {
    api[method] = vi.fn(async () => ({ ok: true, value: undefined }));
  }
  api.listAccounts = vi.fn(async () => ({ ok: true, value: [] }));
  api.listProviders = vi.fn(async () => ({ ok: true, value: [] }));
  api.getVaultStatus = vi.fn(async () => ({
    ok: true,
    value: { state: 'unlocked', path: '/data/vault.json', slots: ['passphrase'] },
  }));
  api.copyToken = vi.fn(async () => ({
    ok: true,
    value: { expiresAt: null, clearsAfterSeconds: null },
  }));
  api.getSettings = vi.fn(async () => ({
    ok: true,
    value: {
      copyMinTtlSeconds: 300,
      clipboardClearSeconds: 45,
      theme: 'system',
      openAtLogin: false,
    },
  }));
  api.listPresets = vi.fn(async () => ({ ok: true, value: [] }));
  api.getNetworkSettings = vi.fn(async () => ({
    ok: true,
    value: {
      settings: { proxy: { mode: 'system' } },
      effective: { proxy: 'the OS settings, PAC included', bypass: 'none', extraCas: [] },
    },
  }));
  api.on = vi.fn((event: ContractEvent, listener: (payload: unknown) => void) => {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event)?.add(listener);
    return () => listeners.get(event)?.delete(listener);
  });
  for (const [method, override] of Object.entries(overrides)) {
    api[method] =
      typeof override === 'function' && !vi.isMockFunction(override)
        ? vi.fn(override as (...args: unknown[]) => unknown)
        : override;
  }
  return {
    api: api as unknown as TokendeckApi,
    mocks: api as Record<string, ReturnType<typeof vi.fn>>,
    emit(event: ContractEvent, payload: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}

export function account(overrides: Partial<AccountSummary> = {}): AccountSummary {
  return {
    id: 'acc-1',
    providerId: 'acme',
    providerName: 'Acme',
    label: 'dev@acme.test',
    subject: 'user-1',
    identifiedBy: 'sub',
    isDefault: false,
    possibleDuplicates: [],
    grant: 'authorization_code',
    scopes: ['read', 'write'],
    expiresAt: Date.now() + 52 * 60_000 + 30_000,
    receivedAt: Date.now() - 7 * 60_000,
    status: { state: 'fresh', reason: 'The token is fresh.' },
    ...overrides,
  };
}

/**
 * The token lifecycle: states, background renewal and single-flight `getFreshToken`.
 *
 * States, renewal ahead of expiry on timers (no polling loop), exponential backoff that honours
 * Retry-After, and single-flight renewal within and across processes. Plain Node: the Electron
 * adapter only supplies `PowerEvents`.
 */
export type { LifecycleStore } from './lifecycle-store';
export {
  createVaultLifecycleStore,
  type LifecycleVault,
  type VaultLifecycleStoreOptions,
} from './vault-lifecycle-store';
export { DEFAULT_MIN_TTL_MS, type FreshToken } from './account-entry';
export { TokenManager } from './token-manager';
export {
  DEFAULT_MAX_CONCURRENT_PER_PROVIDER,
  DEFAULT_SKEW_MS,
  type GetFreshTokenOptions,
  type Renewer,
  type TokenManagerOptions,
} from './manager-options';
export { globalTimers, type TimerApi } from './timer-api';
export {
  MAX_TIMER_MS,
  MIN_RENEWAL_LEAD_MS,
  RENEWAL_JITTER_FRACTION,
  RENEWAL_LEAD_FRACTION,
  renewalDueAt,
  renewalLead,
  usableExpiry,
} from './renewal-due';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffBounds } from './backoff';
export { computeStatus, isRenewable, STATUS_REASONS } from './account-status';
export {
  classifyRenewalFailure,
  saveFailure,
  type ClassifiedFailure,
  type FailureKind,
} from './renewal-failure';
export { KeyedSemaphore } from './keyed-semaphore';

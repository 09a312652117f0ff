import type { DeviceCodes } from '../api';
import type { Logger } from '../log';
import type { TokenSet } from '../model';
import type { Clock } from '../ports';
import type { FetchLike } from '../providers';

/** Options every flow takes. */
export interface FlowOptions {
  /** The caller's cancel. */
  signal?: AbortSignal;
  /** The whole browser wait for the authorization code flow (default 300 000 ms); per request otherwise (default 30 000 ms). */
  timeoutMs?: number;
  logger?: Logger;
  clock?: Clock;
  /** The transport's fetch (proxy, extra CAs); the global fetch when not given. */
  fetch?: FetchLike;
  onProgress?(stage: FlowStage, info?: { authorizationUrl?: string; device?: DeviceCodes }): void;
}

export type FlowStage = 'waiting-for-browser' | 'waiting-for-user' | 'exchanging';

/** What a flow obtained: the normalised tokens and, for OpenID Connect, the ID token's claims. */
export interface FlowResult {
  tokens: TokenSet;
  idTokenClaims?: Record<string, unknown>;
}

export const BROWSER_TIMEOUT_MS = 300_000;

import type { Logger } from '../log';
import type { TokenSet } from '../model';
import type { Clock } from '../ports';

/** Options every flow takes. */
export interface FlowOptions {
  /** The caller's cancel. */
  signal?: AbortSignal;
  /** The whole browser wait for the authorization code flow (default 300 000 ms); per request otherwise (default 30 000 ms). */
  timeoutMs?: number;
  logger?: Logger;
  clock?: Clock;
  onProgress?(
    stage: 'waiting-for-browser' | 'exchanging',
    info?: { authorizationUrl?: string },
  ): void;
}

/** What a flow obtained: the normalised tokens and, for OpenID Connect, the ID token's claims. */
export interface FlowResult {
  tokens: TokenSet;
  idTokenClaims?: Record<string, unknown>;
}

export const BROWSER_TIMEOUT_MS = 300_000;

/**
 * The slice of node-oidc-provider 9's API that the test harness uses.
 *
 * The package ships no TypeScript types; this declares only what `oidc-provider.ts` touches.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** Error objects the provider emits with its `*.error` events. */
  export interface ProviderError extends Error {
    error?: string;
    error_description?: string;
    error_detail?: string;
    status?: number;
  }

  /** A token model (AccessToken, Grant, …): found by value, built, saved, destroyed. */
  export interface TokenModel {
    new (payload: Record<string, unknown>): TokenInstance;
    find(value: string): Promise<TokenInstance | undefined>;
  }

  export interface TokenInstance {
    jti: string;
    accountId?: string;
    grantId?: string;
    scope?: string;
    isExpired: boolean;
    expiration: number;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }

  /** The context a grant handler gets (Koa's, with the provider's `oidc` part). */
  export interface GrantContext {
    oidc: { params: Record<string, string | undefined>; client: unknown };
    body: unknown;
  }

  /** What a Koa middleware sees of a request, and sets of its answer. */
  export interface MiddlewareContext {
    method: string;
    path: string;
    status: number;
    body: unknown;
    oidc?: { route?: string; params?: Record<string, string | undefined> };
  }

  /** A node-oidc-provider instance (a Koa application). */
  export default class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    readonly issuer: string;
    readonly AccessToken: TokenModel;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    use(middleware: (ctx: MiddlewareContext, next: () => Promise<void>) => Promise<void>): this;
    registerGrantType(
      name: string,
      handler: (ctx: GrantContext) => Promise<void>,
      parameters?: string[],
    ): void;
  }

  /** The library's OAuth error classes, thrown from grant handlers. */
  export const errors: Record<string, new (description?: string) => Error>;
}

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

  /** A node-oidc-provider instance (a Koa application). */
  export default class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}

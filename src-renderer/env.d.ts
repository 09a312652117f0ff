import type { TokendeckApi } from '../src-preload/contract';

/**
 * The one thing the preload adds to the page: the typed contract API.
 *
 * Optional, because a page opened outside the app (or a broken preload) has none; `api.ts`
 * turns that into a clear error.
 */
declare global {
  interface Window {
    tokendeck?: TokendeckApi;
  }
}

declare module '*.svg' {
  const url: string;
  export default url;
}

declare module '*.css';

export {};

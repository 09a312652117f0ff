import type { TokendeckApi } from '../../src-preload/contract';

/** `window.tokendeck`, as the harness's init script builds it, for `page.evaluate` callbacks. */
declare global {
  interface Window {
    tokendeck?: TokendeckApi;
  }
}

export {};

/**
 * Where the app's own UI lives, and the one test of whether a URL belongs to it.
 *
 * The packaged renderer is served from `app://tokendeck/`; in development it comes from the
 * electron-vite dev server named by `ELECTRON_RENDERER_URL`. Every check parses with `new URL()`
 * and compares scheme, host and port, never string prefixes, so `app://tokendeck.evil/` or
 * `http://127.0.0.1:5173.evil.test/` never pass.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tokendeck';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The URLs the app may load and trust: the app scheme, plus the dev server when one is set. */
export interface AppOrigins {
  /** The dev server's URL (`ELECTRON_RENDERER_URL`), only in development. */
  devServerUrl?: string;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when `url` is one of the app's own pages.
 *
 * Node's URL gives non-special schemes such as `app:` an opaque origin (`"null"`), so the app
 * scheme is matched on protocol and host; the dev server is matched on its full origin.
 */
export function isAppUrl(url: string, origins: AppOrigins = {}): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === `${APP_SCHEME}:`) {
    return parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  }
  if (!origins.devServerUrl) return false;
  const dev = parse(origins.devServerUrl);
  if (!dev || (dev.protocol !== 'http:' && dev.protocol !== 'https:')) return false;
  return parsed.origin === dev.origin;
}

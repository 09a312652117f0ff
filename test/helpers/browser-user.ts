/**
 * A Chromium "user" that plays the system browser in integration tests.
 *
 * `open(url)` implements the `BrowserOpener` port: it starts navigating a fresh page to the
 * authorization URL and returns at once, then drives the login in the background, as a person
 * would: on node-oidc-provider's devInteractions pages it fills any login and password and
 * presses "Sign-in", then "Continue" on consent; on a seed stand-in it presses "Approve". It stops
 * once the page reaches a loopback callback (`http://127.0.0.1`, `localhost` or `[::1]`, on a port
 * other than the authorization server's). Failures are stored in `errors` (the flow's own
 * timeout catches a hang); `settled()` waits for every background drive to end.
 *
 * `enterCode(url, code)` plays the person at a device verification page (RFC 8628 §3.3): types
 * the user code, confirms it, signs in and consents, and stops at the success page.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from './chromium';

/** Upper bound for any single wait on a page, in milliseconds. */
const STEP_TIMEOUT_MS = 15_000;

/** The most interaction pages one drive will go through before giving up. */
const MAX_STEPS = 8;

/** Options for `createBrowserUser`. */
export interface BrowserUserOptions {
  /** The login typed into devInteractions (default `alice`). */
  login?: string;
  /** Path to Chromium (default: CHROMIUM_EXECUTABLE). */
  executablePath?: string;
}

/** A Chromium-driven user. */
export interface BrowserUser {
  /** BrowserOpener: navigates a new page to `url` and logs in and approves in the background. */
  open(url: string): Promise<void>;
  /** Navigates a new page to `url` and presses "Deny" (or aborts the devInteractions login) in the background. */
  deny(url: string): Promise<void>;
  /** Opens a device verification page, enters `userCode`, and signs in, in the background. */
  enterCode(url: string, userCode: string): Promise<void>;
  /** Opens a device verification page, enters `userCode`, and aborts at the confirm page. */
  refuseCode(url: string, userCode: string): Promise<void>;
  /** Waits until every background drive has ended; rejects with the first error. */
  settled(): Promise<void>;
  /** URLs of the callback pages reached, in order. */
  readonly callbacks: string[];
  /** Errors from background drives, in order. */
  readonly errors: Error[];
  /** Changes the login typed into devInteractions. */
  setLogin(login: string): void;
  close(): Promise<void>;
}

function isLoopbackCallback(current: string, start: URL): boolean {
  let url: URL;
  try {
    url = new URL(current);
  } catch {
    return false;
  }
  const loopback =
    url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  return url.protocol === 'http:' && loopback && url.host !== start.host;
}

/** Launches headless Chromium and returns a user that drives authorization pages. */
export async function createBrowserUser(options: BrowserUserOptions = {}): Promise<BrowserUser> {
  const browser: Browser = await chromium.launch({
    executablePath: options.executablePath ?? CHROMIUM_EXECUTABLE,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  const context = await browser.newContext();
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  let login = options.login ?? 'alice';
  const drives = new Set<Promise<void>>();
  const callbacks: string[] = [];
  const errors: Error[] = [];
  let closed = false;

  /** One step on the current page; returns true once a callback has been reached. */
  const step = async (
    page: Page,
    start: URL,
    approve: boolean,
    userCode?: string,
  ): Promise<boolean> => {
    if (userCode === undefined && isLoopbackCallback(page.url(), start)) return true;
    if (userCode !== undefined && (await page.title()) === 'Sign-in Success') return true;
    const codeField = page.locator('input[name="user_code"]:not([type="hidden"])');
    const confirmForm = page.locator('form[id="op.deviceConfirmForm"]');
    const loginField = page.locator('input[name="login"]');
    const consentForm = page.locator('input[name="prompt"][value="consent"]');
    const approveButton = page.getByRole('button', {
      name: approve ? 'Approve' : 'Deny',
      exact: true,
    });
    const abortLink = page.getByRole('link', { name: /cancel|abort/i });
    const loaded = page.waitForEvent('domcontentloaded');
    loaded.catch(() => undefined);
    if (userCode !== undefined && (await confirmForm.count()) > 0) {
      await page.getByRole('button', { name: approve ? 'Continue' : 'Abort' }).click();
      if (!approve) {
        await loaded;
        return true;
      }
    } else if (userCode !== undefined && (await codeField.count()) > 0) {
      await codeField.fill(userCode);
      await page.getByRole('button', { name: 'Continue' }).click();
    } else if ((await loginField.count()) > 0) {
      if (!approve && (await abortLink.count()) > 0) {
        await abortLink.first().click();
      } else {
        await loginField.fill(login);
        await page.locator('input[name="password"]').fill('any-password');
        await page.locator('button[type="submit"]').first().click();
      }
    } else if ((await consentForm.count()) > 0) {
      if (!approve && (await abortLink.count()) > 0) await abortLink.first().click();
      else await page.locator('button[type="submit"]').first().click();
    } else if ((await approveButton.count()) > 0) {
      await approveButton.first().click();
    } else {
      const text = (
        await page
          .locator('body')
          .innerText()
          .catch(() => '')
      ).slice(0, 300);
      throw new Error(`browser user: no login, consent or Approve/Deny on ${page.url()}: ${text}`);
    }
    await loaded;
    if (userCode !== undefined) return (await page.title()) === 'Sign-in Success';
    return isLoopbackCallback(page.url(), start);
  };

  const drive = async (
    page: Page,
    url: string,
    approve: boolean,
    navigation: Promise<unknown>,
    userCode?: string,
  ): Promise<void> => {
    const start = new URL(url);
    try {
      await navigation;
      for (let i = 0; i < MAX_STEPS; i += 1) {
        if (await step(page, start, approve, userCode)) {
          callbacks.push(page.url());
          return;
        }
      }
      throw new Error(`browser user: no callback after ${MAX_STEPS} pages, stuck at ${page.url()}`);
    } catch (error) {
      if (!closed) errors.push(error instanceof Error ? error : new Error(String(error)));
    } finally {
      await page.close().catch(() => undefined);
    }
  };

  const start = async (url: string, approve: boolean, userCode?: string): Promise<void> => {
    if (closed) throw new Error('browser user is closed');
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`browser user: refusing to open ${parsed.protocol} URL`);
    }
    const page = await context.newPage();
    const navigation = page.goto(url, { waitUntil: 'domcontentloaded' });
    navigation.catch(() => undefined);
    const running = drive(page, url, approve, navigation, userCode);
    drives.add(running);
    void running.finally(() => drives.delete(running));
  };

  return {
    open: (url: string) => start(url, true),
    deny: (url: string) => start(url, false),
    enterCode: (url: string, userCode: string) => start(url, true, userCode),
    refuseCode: (url: string, userCode: string) => start(url, false, userCode),
    async settled() {
      await Promise.all([...drives]);
      if (errors.length > 0) throw errors[0];
    },
    get callbacks() {
      return callbacks;
    },
    get errors() {
      return errors;
    },
    setLogin(next: string) {
      login = next;
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      await browser.close();
      await Promise.allSettled([...drives]);
    },
  };
}

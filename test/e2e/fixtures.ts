import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import {
  createService,
  type ServiceOptions,
  type TokendeckService,
} from '../../src-main/core/service';
import { installBridge, type Bridge } from '../helpers/e2e-bridge';
import { createBasicTextKeychain, createSecureKeychain } from '../helpers/e2e-keychain';
import { createMemoryClipboard } from '../helpers/fake-ports';
import { startStaticServer, type StaticServer } from '../helpers/e2e-static-server';

/**
 * The end-to-end fixture: the built renderer, served on 127.0.0.1, driven in Chromium, talking to
 * the REAL core service created here with a fresh data folder.
 *
 * The page runs the built preload, and its calls reach the real IPC wrappers (see
 * {@link installBridge}); only Electron's transport is replaced. The system browser and the
 * clipboard are recorded in memory so tests can see what a flow opened or what Copy wrote.
 *
 * `test.use({ vault })` picks the state the page's service starts in (see {@link VaultSetup}).
 */

const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');
const PRELOAD_FILE = resolve(import.meta.dirname, '../../out/preload/index.cjs');

/** The passphrase of every vault the harness creates with one. */
export const E2E_PASSPHRASE = 'e2e-passphrase-correct-horse-battery';

/** Bytes that are not a vault: what a crash in another tool or a bad copy could leave. */
export const CORRUPT_VAULT = '{"format":"tokendeck-vault","version":1,"slots":[{"kind":"pass';

/**
 * How the page's service starts:
 * - `unlocked`: the CLI's way, with {@link E2E_PASSPHRASE} (the default);
 * - `needs-setup`: a desktop on Linux without a keyring (basic_text) and no vault yet;
 * - `locked`: the same desktop, with a vault that only a passphrase opens;
 * - `recovery`: the same desktop, with a vault file that cannot be read;
 * - `keychain-changed`: a desktop whose OS keychain key changed since the vault was made.
 */
export type VaultSetup = 'unlocked' | 'needs-setup' | 'locked' | 'recovery' | 'keychain-changed';

export interface TokendeckHarness {
  service: TokendeckService;
  bridge: Bridge;
  dataDir: string;
  /** The vault file the service uses. */
  vaultPath: string;
  /** URLs the service asked the system browser to open. */
  openedUrls: string[];
  /** Plays the system browser from now on (a second page signing in); recording stays on. */
  onBrowserOpen(handler: (url: string) => Promise<void>): void;
  /** What the service wrote to the clipboard, last write last. */
  clipboard: string[];
  /** What the clipboard holds now ('' once cleared). */
  clipboardText(): string;
  /** Console errors and page errors seen so far. */
  consoleErrors: string[];
  /** Opens the app's page and waits for the shell. */
  open(path?: string): Promise<Page>;
}

const SCRYPT_N = 2 ** 14;

/** The header pill once the vault status has loaded. */
const VAULT_PILL = /^Vault (unlocked|locked|not set up|needs recovery)$/;

/** Prepares the data folder for `setup` and creates the page's service over it. */
async function serviceFor(
  setup: VaultSetup,
  dataDir: string,
  ports: Pick<ServiceOptions, 'browser' | 'clipboard'>,
): Promise<TokendeckService> {
  const common = { dataDir, ...ports, schedule: false, scryptN: SCRYPT_N };
  switch (setup) {
    case 'unlocked':
      return createService({ ...common, passphrase: E2E_PASSPHRASE });
    case 'needs-setup':
      return createService({ ...common, keychain: createBasicTextKeychain() });
    case 'locked': {
      const creator = await createService({ ...common, passphrase: E2E_PASSPHRASE });
      await creator.close();
      return createService({ ...common, keychain: createBasicTextKeychain() });
    }
    case 'recovery':
      writeFileSync(join(dataDir, 'vault.json'), CORRUPT_VAULT, { mode: 0o600 });
      return createService({ ...common, keychain: createBasicTextKeychain() });
    case 'keychain-changed': {
      const creator = await createService({ ...common, keychain: createSecureKeychain('before') });
      await creator.close();
      return createService({ ...common, keychain: createSecureKeychain('after') });
    }
    default: {
      const unknown: never = setup;
      throw new Error(`Unknown vault setup: ${String(unknown)}`);
    }
  }
}

export const test = base.extend<
  { vault: VaultSetup; tokendeck: TokendeckHarness },
  { rendererServer: StaticServer }
>({
  vault: ['unlocked', { option: true }],

  rendererServer: [
    // Playwright requires a destructuring pattern here, even when no fixture is used.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      if (!existsSync(join(RENDERER_DIR, 'index.html')) || !existsSync(PRELOAD_FILE)) {
        throw new Error('out/ is missing: run `npm run build` before the e2e tests.');
      }
      const server = await startStaticServer(RENDERER_DIR);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  tokendeck: async ({ context, page, rendererServer, vault }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tokendeck-e2e-'));
    const openedUrls: string[] = [];
    const clipboard: string[] = [];
    const consoleErrors: string[] = [];
    let browserHandler: (url: string) => Promise<void> = async () => undefined;
    const board = createMemoryClipboard();
    const service = await serviceFor(vault, dataDir, {
      browser: {
        open: async (url) => {
          openedUrls.push(url);
          await browserHandler(url);
        },
      },
      clipboard: {
        writeText: (text) => {
          clipboard.push(text);
          board.writeText(text);
        },
        readText: () => board.readText(),
        clear: () => board.clear(),
      },
    });
    const bridge = await installBridge(context, service, rendererServer.origin);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await use({
      service,
      bridge,
      dataDir,
      vaultPath: join(dataDir, 'vault.json'),
      openedUrls,
      onBrowserOpen: (handler) => {
        browserHandler = handler;
      },
      clipboard,
      clipboardText: () => board.readText(),
      consoleErrors,
      async open(path = '/index.html') {
        await page.goto(`${rendererServer.origin}${path}`);
        // The shell is ready once the vault's state is known: the navigation when it is
        // unlocked, a setup, unlock or recovery screen otherwise.
        await expect(page.getByRole('status').filter({ hasText: VAULT_PILL })).toBeVisible();
        return page;
      },
    });
    bridge.stop();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { createService, type TokendeckService } from '../../src-main/core/service';
import { installBridge, type Bridge } from '../helpers/e2e-bridge';
import { startStaticServer, type StaticServer } from '../helpers/e2e-static-server';

/**
 * The end-to-end fixture: the built renderer, served on 127.0.0.1, driven in Chromium, talking to
 * the REAL core service created here with a fresh data folder.
 *
 * The preload is replaced by {@link installBridge}; the system browser and the clipboard are
 * recorded in memory so tests can see what a flow opened or what Copy wrote.
 */

const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');

export interface TokendeckHarness {
  service: TokendeckService;
  bridge: Bridge;
  dataDir: string;
  /** URLs the service asked the system browser to open. */
  openedUrls: string[];
  /** What the service wrote to the clipboard, last write last. */
  clipboard: string[];
  /** Console errors and page errors seen so far. */
  consoleErrors: string[];
  /** Opens the app's page and waits for the shell. */
  open(path?: string): Promise<Page>;
}

export const test = base.extend<{ tokendeck: TokendeckHarness }, { rendererServer: StaticServer }>({
  rendererServer: [
    // Playwright requires a destructuring pattern here, even when no fixture is used.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
        throw new Error('out/renderer is missing: run `npm run build` before the e2e tests.');
      }
      const server = await startStaticServer(RENDERER_DIR);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  tokendeck: async ({ context, page, rendererServer }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tokendeck-e2e-'));
    const openedUrls: string[] = [];
    const clipboard: string[] = [];
    const consoleErrors: string[] = [];
    const service = await createService({
      dataDir,
      passphrase: 'e2e-passphrase-correct-horse-battery',
      browser: { open: async (url) => void openedUrls.push(url) },
      clipboard: { writeText: (text) => void clipboard.push(text) },
      schedule: false,
      scryptN: 2 ** 14,
    });
    const bridge = await installBridge(context, service);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await use({
      service,
      bridge,
      dataDir,
      openedUrls,
      clipboard,
      consoleErrors,
      async open(path = '/index.html') {
        await page.goto(`${rendererServer.origin}${path}`);
        await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
        return page;
      },
    });
    bridge.stop();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };
